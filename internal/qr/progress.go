package qr

import (
	"errors"
	"fmt"
)

// Status is how far the codes read so far go towards one acta, for a reader
// that shows "2 read, 1 more needed" while the camera looks for the rest.
type Status struct {
	Digest  string // the acta's digest, as its parts name it
	Have    int    // how many of its distinct parts were read
	Need    int    // how many distinct parts rebuild it: K of a version 2 acta, all of a version 1
	Printed int    // how many codes it has on the sheet
}

// More is how many more of the acta's codes must be read to rebuild it.
func (s Status) More() int { return max(0, s.Need-s.Have) }

// Progress says how far the payloads read so far go towards the acta that
// the first part among them names. Payloads that are not parts (other codes
// in view) are skipped, and so are parts of other actas; a malformed part
// is an error, and so is none at all.
func Progress(payloads []string) (Status, error) {
	var s Status
	var first *part
	seen := map[int]bool{}
	for _, pl := range payloads {
		p, err := parsePart(pl)
		if err != nil {
			if errors.Is(err, ErrNotPart) {
				continue
			}
			return Status{}, err
		}
		if first == nil {
			first = p
			s = Status{Digest: p.digest, Need: p.k, Printed: p.n}
		}
		if p.digest == first.digest && p.v == first.v && p.n == first.n && p.k == first.k && p.l == first.l {
			seen[p.i] = true
		}
	}
	if first == nil {
		return Status{}, fmt.Errorf("%w among %d codes", ErrNotPart, len(payloads))
	}
	s.Have = len(seen)
	return s, nil
}
