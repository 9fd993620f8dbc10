package main

import (
	"fmt"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/keys"
)

var keygenCommand = &command{
	name:  "keygen",
	args:  "[-o FILE] NAME",
	short: "make a key pair: write the private key file, print the public key",
	run:   runKeygen,
}

func runKeygen(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	out := fs.String("o", "", "private key `file` (default NAME.key, with / in NAME made _)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("keygen: want one key NAME, have %d arguments", fs.NArg())
	}
	name := fs.Arg(0)
	skey, vkey, err := keys.Generate(nil, name)
	if err != nil {
		return err
	}
	path := *out
	if path == "" {
		path = strings.ReplaceAll(name, "/", "_") + ".key"
	}
	if err := keys.WriteFile(path, skey); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, vkey)
	return nil
}
