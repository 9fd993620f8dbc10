package announced

import (
	"bytes"
	"fmt"
)

// Split cuts a bundle of signed announcements — signed notes one after
// another, as GET /v1/announced?format=signed serves them — into its
// notes, verbatim. It checks only where each note ends (after its body,
// the blank line and its signature lines, each "— " and a newline); Open
// checks each.
func Split(bundle []byte) ([][]byte, error) {
	var notes [][]byte
	for rest := bundle; len(rest) > 0; {
		end := bytes.Index(rest, []byte("\n\n"))
		if end < 0 {
			return nil, fmt.Errorf("announcement %d: %w: no blank line after its body", len(notes)+1, ErrMalformed)
		}
		n := end + 2
		sigs := 0
		for bytes.HasPrefix(rest[n:], []byte("— ")) {
			nl := bytes.IndexByte(rest[n:], '\n')
			if nl < 0 {
				return nil, fmt.Errorf("announcement %d: %w: a signature line with no newline", len(notes)+1, ErrMalformed)
			}
			n += nl + 1
			sigs++
		}
		if sigs == 0 {
			return nil, fmt.Errorf("announcement %d: %w: no signature after its body", len(notes)+1, ErrMalformed)
		}
		notes = append(notes, rest[:n:n])
		rest = rest[n:]
	}
	return notes, nil
}
