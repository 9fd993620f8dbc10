package acta

import (
	"fmt"
	"strings"
)

// MaxSoftware bounds a software identity: its length in bytes and its
// number of tokens.
const (
	MaxSoftware       = 200
	MaxSoftwareTokens = 8
)

// CheckSoftware checks a software identity, the value of a version 2 zero
// tape's or final acta's software line: 1 to MaxSoftwareTokens tokens of
// printable ASCII other than the space (0x21 to 0x7e), one space between
// tokens, at most MaxSoftware bytes in all. The machine writes its module,
// its module version and VCS revision ("triplicate (devel) 5db9d8c1..."),
// and "modified" if it was built from a modified tree.
func CheckSoftware(s string) error {
	if len(s) > MaxSoftware {
		return fmt.Errorf("%d bytes, more than %d", len(s), MaxSoftware)
	}
	tokens := strings.Split(s, " ")
	if len(tokens) > MaxSoftwareTokens {
		return fmt.Errorf("%d tokens, more than %d", len(tokens), MaxSoftwareTokens)
	}
	for _, t := range tokens {
		if t == "" {
			return fmt.Errorf("malformed %q (want tokens of printable ASCII separated by one space)", clip(s))
		}
		for i := 0; i < len(t); i++ {
			if t[i] <= ' ' || t[i] > '~' {
				return fmt.Errorf("malformed %q (want tokens of printable ASCII separated by one space)", clip(s))
			}
		}
	}
	return nil
}
