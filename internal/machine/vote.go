package machine

import (
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// Voucher is the paper voucher of one vote: the voter checks it and drops it
// in the box, where a hand count can find it and match it, by serial, to the
// electronic record.
type Voucher struct {
	Election     string // the election's id
	ElectionName string
	Station      string
	Serial       string // random, 12 characters of Crockford's base-32
	Choices      []Choice
}

// Choice is the choice of one contest on a voucher, in ballot order.
type Choice struct {
	Contest       string // id
	ContestName   string
	Candidate     string // id, or "blank" or "null"
	CandidateName string // "" for blank and null
}

// String returns the voucher as printed for the voter.
func (v *Voucher) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nstation %s\nvoucher %s\n", v.ElectionName, v.Station, v.Serial)
	for _, c := range v.Choices {
		name := c.CandidateName
		switch c.Candidate {
		case "blank":
			name = "(blank)"
		case "null":
			name = "(null)"
		}
		fmt.Fprintf(&b, "%s: %s\n", c.ContestName, name)
	}
	return b.String()
}

// Record returns the electronic record of the vote as it appears in
// records.txt: one line, ending in "\n" (doc/spec/acta.md).
func (v *Voucher) Record() string {
	var b strings.Builder
	b.WriteString(v.Serial)
	for _, c := range v.Choices {
		fmt.Fprintf(&b, " %s=%s", c.Contest, c.Candidate)
	}
	b.WriteByte('\n')
	return b.String()
}

// Vote casts a ballot. choices maps contest ids to candidate ids, or to
// "blank" or "null"; in a contest of N votes a ballot, to up to N
// candidate ids joined by "+" in the ballot's order ("ALBA+CORA"); a
// contest of the ballot missing from it is blank. The
// record is on stable storage when Vote returns the voucher.
//
// Vote refuses with [ErrNotOpen] before the polls open, [ErrClosed] after
// they close, [ErrFull] when every registered voter has voted, and
// [ErrChoice] for a contest or candidate that is not on the ballot.
func (t *Terminal) Vote(choices map[string]string) (*Voucher, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.refuse(PhaseOpen); err != nil {
		return nil, err
	}
	if len(t.free) == 0 || len(t.serials) >= t.st.Registered {
		return nil, fmt.Errorf("station %s: %w (%d registered)", t.st.ID, ErrFull, t.st.Registered)
	}
	r, err := t.record(choices)
	if err != nil {
		return nil, err
	}
	for {
		if r.serial, err = newSerial(t.o.Rand); err != nil {
			return nil, fmt.Errorf("station %s: drawing a serial: %v", t.st.ID, err)
		}
		if !t.serials[r.serial] {
			break
		}
	}
	i, err := uniform(t.o.Rand, len(t.free))
	if err != nil {
		return nil, fmt.Errorf("station %s: drawing a slot: %v", t.st.ID, err)
	}
	off := int64(t.free[i]+1) * int64(t.size) // after the header slot
	if _, err := t.slots.WriteAt(encodeSlot(t.size, r.line(t.ballot)), off); err != nil {
		return nil, t.fail(err)
	}
	if !t.o.NoSync {
		if err := datasync(t.slots); err != nil {
			return nil, t.fail(err)
		}
	}
	t.free[i] = t.free[len(t.free)-1]
	t.free = t.free[:len(t.free)-1]
	t.serials[r.serial] = true
	return t.voucher(r), nil
}

// record checks choices against the ballot and returns the record without
// its serial.
func (t *Terminal) record(choices map[string]string) (record, error) {
	r := record{choices: make([]string, len(t.ballot))}
	known := 0
	for i, c := range t.ballot {
		choice, ok := choices[c.ID]
		if !ok {
			r.choices[i] = "blank"
			continue
		}
		known++
		if !validChoice(c, choice) {
			return record{}, fmt.Errorf("station %s: %w: contest %s has no candidate %q", t.st.ID, ErrChoice, c.ID, clip(choice))
		}
		r.choices[i] = choice
	}
	if known < len(choices) {
		var unknown []string
		for id := range choices {
			if !slices.ContainsFunc(t.ballot, func(c *election.Contest) bool { return c.ID == id }) {
				unknown = append(unknown, id)
			}
		}
		slices.Sort(unknown)
		return record{}, fmt.Errorf("station %s: %w: no contest %q on the ballot", t.st.ID, ErrChoice, clip(unknown[0]))
	}
	return r, nil
}

func (t *Terminal) voucher(r record) *Voucher {
	v := &Voucher{Election: t.def.ID, ElectionName: t.def.Name, Station: t.st.ID, Serial: r.serial}
	for i, c := range t.ballot {
		ch := Choice{Contest: c.ID, ContestName: c.Name, Candidate: r.choices[i]}
		var names []string
		for _, id := range chosen(ch.Candidate) {
			for _, x := range c.Candidates {
				if x.ID == id {
					names = append(names, x.Name)
				}
			}
		}
		ch.CandidateName = strings.Join(names, " + ")
		v.Choices = append(v.Choices, ch)
	}
	return v
}

// Serials are 12 digits of Crockford's base-32: 60 random bits.
const (
	serialLen = 12
	crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
)

func newSerial(rnd io.Reader) (string, error) {
	var b [8]byte
	if _, err := io.ReadFull(rnd, b[:]); err != nil {
		return "", err
	}
	v := binary.BigEndian.Uint64(b[:])
	var s [serialLen]byte
	for i := range s {
		s[i] = crockford[v&31]
		v >>= 5
	}
	return string(s[:]), nil
}

func validSerial(s string) bool {
	if len(s) != serialLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(crockford, s[i]) < 0 {
			return false
		}
	}
	return true
}

// uniform returns a number drawn uniformly from [0, n), n > 0.
func uniform(rnd io.Reader, n int) (int, error) {
	// Reject the low 2⁶⁴ mod n values so that those left are a multiple of n.
	reject := -uint64(n) % uint64(n)
	var b [8]byte
	for {
		if _, err := io.ReadFull(rnd, b[:]); err != nil {
			return 0, err
		}
		if v := binary.BigEndian.Uint64(b[:]); v >= reject {
			return int(v % uint64(n)), nil
		}
	}
}
