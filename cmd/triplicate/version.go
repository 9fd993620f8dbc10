package main

import (
	"fmt"
	"runtime/debug"
)

var versionCommand = &command{
	name:  "version",
	short: "print the module version and the VCS revision the binary was built from",
	run:   runVersion,
}

func runVersion(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("version: unexpected argument %q", fs.Arg(0))
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return fmt.Errorf("version: no build information in this binary")
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)" // a test binary's
	}
	rev, modified := "unknown", ""
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision":
			rev = s.Value
		case s.Key == "vcs.modified" && s.Value == "true":
			modified = " (modified)"
		}
	}
	fmt.Fprintf(c.stdout, "triplicate %s, revision %s%s, %s\n", version, rev, modified, info.GoVersion)
	return nil
}
