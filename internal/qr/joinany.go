package qr

import (
	"errors"
	"slices"
)

// JoinAny reassembles one acta from codes read off photos, where a code
// that is not the acta's may be among them: another acta's or a poster's
// in the frame, or a sticker made to look like one of its parts. It joins
// every set of parts that agree on their header (digest, version, count,
// length) and have enough of them, leaving out at most one part that
// disagrees with the others when more than enough were read, and returns
// the acta so rebuilt from the most parts. What it returns is only what the parts'
// digest names; the acta's signatures are what make it trustworthy, and
// they are checked after. If no set joins, it returns Join's error for the
// set with the most parts (the first seen of those), or [ErrNoCode] for no
// part at all.
//
// Join is the strict reading of the format (any part that disagrees is an
// error); JoinAny is for readers of photos, which must not let one stray
// code sink a sheet whose genuine codes suffice.
func JoinAny(payloads []string) ([]byte, error) {
	type class struct {
		digest   string
		v, n, k  int
		l        int
		payloads []string
		seen     map[int]bool
	}
	var classes []*class
	for _, pl := range payloads {
		p, err := parsePart(pl)
		if err != nil {
			continue // not a part, or not a well-formed one: not this acta's
		}
		i := slices.IndexFunc(classes, func(c *class) bool {
			return c.digest == p.digest && c.v == p.v && c.n == p.n && c.k == p.k && c.l == p.l
		})
		if i < 0 {
			classes = append(classes, &class{digest: p.digest, v: p.v, n: p.n, k: p.k, l: p.l, seen: map[int]bool{}})
			i = len(classes) - 1
		}
		c := classes[i]
		if c.seen[p.i] {
			continue // the same part again (or another reading of it)
		}
		c.seen[p.i] = true
		c.payloads = append(c.payloads, pl)
	}
	if len(classes) == 0 {
		return nil, ErrNoCode
	}
	// The sets with the most parts first: of two actas in the frame, the
	// one photographed whole rather than the neighbour's at its edge.
	slices.SortStableFunc(classes, func(a, b *class) int { return len(b.payloads) - len(a.payloads) })
	best := classes[0]
	var bestErr error
	for _, c := range classes {
		if len(c.payloads) < c.k {
			continue
		}
		// join leaves out the part that disagrees, if one does: once, not
		// again for every part left out here.
		msg, _, err := join(c.payloads)
		if err == nil {
			return msg, nil
		}
		if c == best {
			bestErr = err
		}
	}
	if bestErr == nil {
		_, bestErr = Join(best.payloads) // too few parts: said before any rebuilding
	}
	if bestErr == nil {
		bestErr = errors.New("qr: no acta rebuilt") // not reached: best joined above
	}
	return nil, bestErr
}
