package ledger

import (
	"fmt"
	"strings"
)

// ParseWitness parses a witness as KEY@URL, its cosignature key and the
// URL of its tlog-witness endpoint, as "triplicate witness serve" prints
// it. It splits where the URL's scheme begins: a key's name may hold an @,
// and so may a URL.
func ParseWitness(s string) (Witness, error) {
	i := strings.Index(s, "@http://")
	if j := strings.Index(s, "@https://"); i < 0 || (j >= 0 && j < i) {
		i = j
	}
	if i <= 0 {
		return Witness{}, fmt.Errorf("want KEY@URL with an http:// or https:// URL, have %q", s)
	}
	return Witness{Key: s[:i], URL: s[i+1:]}, nil
}
