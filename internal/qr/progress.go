package qr

import (
	"errors"
	"fmt"
)

// Progress says how far the payloads read so far go towards the acta that
// the first part among them names, for a reader that shows "2 of 3 codes
// read" while the camera looks for the rest: that acta's digest, how many
// of its distinct parts are among the payloads, and its count of parts.
// Payloads that are not parts (other codes in view) are skipped; a
// malformed part is an error, and so is none at all.
func Progress(payloads []string) (digest string, have, count int, err error) {
	seen := map[int]bool{}
	for _, pl := range payloads {
		p, err := parsePart(pl)
		if err != nil {
			if errors.Is(err, ErrNotPart) {
				continue
			}
			return "", 0, 0, err
		}
		if digest == "" {
			digest, count = p.digest, p.n
		}
		if p.digest == digest && p.n == count {
			seen[p.i] = true
		}
	}
	if digest == "" {
		return "", 0, 0, fmt.Errorf("%w among %d codes", ErrNotPart, len(payloads))
	}
	return digest, len(seen), count, nil
}
