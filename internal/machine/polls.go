package machine

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
)

// Open opens the polls: it makes the empty slots file, signs the zero tape
// (a zero acta: every count 0, the digest of no records) and writes it to
// zero.acta, and returns it. It refuses with [ErrAlreadyOpen] if the polls
// are open, and [ErrClosed] if they were closed.
func (t *Terminal) Open() ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.refuse(PhaseNew); err != nil {
		return nil, err
	}
	now := t.now()
	msg, err := t.sign(&acta.Acta{
		Election:   t.def.ID,
		Definition: t.def.Digest(),
		PerContest: acta.NeedsPerContest(t.ballot),
		Station:    t.st.ID,
		Kind:       acta.Zero,
		Machine:    t.st.Machine,
		Software:   Software(),
		Opened:     now,
		Registered: t.st.Registered,
		Records:    acta.Digest(nil),
		Contests:   acta.Blank(t.ballot),
	})
	if err != nil {
		return nil, err
	}
	// The slots file first: zero.acta is what says the polls are open. A
	// crash in between leaves a slots file that the next Open replaces.
	sync := !t.o.NoSync
	var slots bytes.Buffer
	if err := fillSlots(&slots, t.size, t.st.Registered); err != nil {
		return nil, t.fail(err)
	}
	if err := writeFile(t.dir, slotsFile, 0o600, sync, slots.Bytes()); err != nil {
		return nil, t.fail(err)
	}
	if err := writeFile(t.dir, zeroFile, 0o644, sync, msg); err != nil {
		return nil, t.fail(err)
	}
	f, err := os.OpenFile(t.path(slotsFile), os.O_RDWR, 0)
	if err != nil {
		return nil, t.fail(err)
	}
	t.slots = f
	t.free = make([]int32, t.st.Registered)
	for i := range t.free {
		t.free[i] = int32(i)
	}
	t.serials = map[string]bool{}
	t.phase, t.opened = PhaseOpen, now
	return msg, nil
}

// ClosePolls closes the polls: it counts the records on disk, signs the final
// acta, writes the record set to records.txt and the acta to final.acta, and
// returns the acta. It refuses with [ErrNotOpen] before the polls are open
// and [ErrClosed] once they are closed.
func (t *Terminal) ClosePolls() ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.refuse(PhaseOpen); err != nil {
		return nil, err
	}
	now := t.now()
	if now.Before(t.opened) {
		return nil, fmt.Errorf("station %s: the clock reads %s, before the polls opened at %s", t.st.ID, now.Format(acta.TimeFormat), t.opened.Format(acta.TimeFormat))
	}
	// Count what is on disk, not what memory says: the acta must be the
	// tally of the records it is published with.
	recs, _, _, err := readSlots(t.slots, t.size, t.ballot, t.st.Registered)
	if err != nil {
		return nil, t.fail(err)
	}
	if len(recs) != len(t.serials) {
		return nil, t.fail(fmt.Errorf("%s holds %d records, the terminal took %d votes", slotsFile, len(recs), len(t.serials)))
	}
	a := &acta.Acta{
		Election:   t.def.ID,
		Definition: t.def.Digest(),
		Station:    t.st.ID,
		Kind:       acta.Final,
		Machine:    t.st.Machine,
		Software:   Software(),
		Opened:     t.opened,
		Closed:     now,
		Registered: t.st.Registered,
		Ballots:    len(recs),
		Contests:   t.tally(recs),
	}
	if acta.NeedsPerContest(t.ballot) {
		// A contest of several votes a ballot: version 3 says how many
		// each ballot left unused.
		a.CountPerContest(t.ballot)
	}
	lines := t.lines(recs)
	a.Records = acta.Digest(lines) // sorts lines
	msg, err := t.sign(a)
	if err != nil {
		return nil, err
	}
	sync := !t.o.NoSync
	if err := writeFile(t.dir, recordsFile, 0o644, sync, []byte(strings.Join(lines, ""))); err != nil {
		return nil, t.fail(err)
	}
	if err := writeFile(t.dir, finalFile, 0o644, sync, msg); err != nil {
		return nil, t.fail(err)
	}
	t.slots.Close() // every write to it was flushed: failing to close loses nothing
	t.slots = nil
	t.phase, t.closed = PhaseClosed, now
	return msg, nil
}

// tally counts records by contest, candidate, blank and null.
func (t *Terminal) tally(recs []record) []acta.Tally {
	tallies := acta.Blank(t.ballot)
	for _, r := range recs {
		for i, choice := range r.choices {
			tl := &tallies[i]
			switch choice {
			case "blank":
				tl.Blank++
			case "null":
				tl.Null++
			default:
				for _, id := range chosen(choice) {
					for j := range tl.Candidates {
						if tl.Candidates[j].Candidate == id {
							tl.Candidates[j].Votes++
						}
					}
				}
			}
		}
	}
	return tallies
}

// lines returns the record lines of records.
func (t *Terminal) lines(recs []record) []string {
	lines := make([]string, len(recs))
	for i, r := range recs {
		lines[i] = r.line(t.ballot)
	}
	return lines
}

// sign signs an acta with the machine key and checks that the result is a
// valid acta of the election.
func (t *Terminal) sign(a *acta.Acta) ([]byte, error) {
	msg, err := acta.Sign(a, t.key)
	if err == nil {
		_, err = acta.Open(msg, t.def)
	}
	if err != nil {
		return nil, fmt.Errorf("station %s: signing the %s acta: %v", t.st.ID, a.Kind, err)
	}
	return msg, nil
}
