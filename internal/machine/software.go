package machine

import (
	"runtime/debug"
	"strings"
	"sync"

	"github.com/triplicate-vote/triplicate/internal/acta"
)

// Software returns the terminal's software identity, as its zero tape and
// final acta name it (doc/spec/acta.md, "Version 2"): "triplicate", the main
// module's version ("(devel)" for a build from a work tree), its VCS
// revision ("unknown" if the build recorded none) and "modified" if it was
// built from a tree with uncommitted changes.
var Software = sync.OnceValue(func() string {
	version, revision, modified := "(devel)", "unknown", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	f := []string{"triplicate", token(version), token(revision)}
	if modified {
		f = append(f, "modified")
	}
	s := strings.Join(f, " ")
	if acta.CheckSoftware(s) != nil {
		return "triplicate (devel) unknown"
	}
	return s
})

// token keeps a build setting to the software line's grammar: printable
// ASCII but the space, at most 64 bytes.
func token(s string) string {
	s = strings.Map(func(r rune) rune {
		if r <= ' ' || r > '~' {
			return '_'
		}
		return r
	}, s)
	if len(s) > 64 {
		s = s[:64]
	}
	if s == "" {
		return "unknown"
	}
	return s
}
