package audit

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// What the administrator and the boards do: launch and divide a round,
// enter, sign off, reopen, and record the round's agreed paper.

// Launch draws the next round (Audit.Sample: refused while the last one
// waits for paper, once confirmed, or when a full hand count is due) and
// divides its stations among n boards.
func (bs *Boards) Launch(n int) (*Round, error) {
	if n < 1 || n > 100 {
		return nil, fmt.Errorf("%d boards: want 1 to 100", n)
	}
	bs.mu.Lock()
	defer bs.mu.Unlock()
	round, _, err := bs.au.Sample()
	if err != nil {
		return nil, err
	}
	return round, bs.assign(round.Number, n)
}

// Assign divides the stations of round number among n boards: for a round
// drawn without boards (from the command line, or a launch interrupted),
// or again, with another number of boards, while none has entered
// anything (the undoing of a launch that the draw allows: the stations
// drawn stay the seed's).
func (bs *Boards) Assign(number, n int) error {
	if n < 1 || n > 100 {
		return fmt.Errorf("%d boards: want 1 to 100", n)
	}
	bs.mu.Lock()
	defer bs.mu.Unlock()
	return bs.assign(number, n)
}

func (bs *Boards) assign(number, n int) error {
	if number < 1 || number > len(bs.au.State.Rounds) {
		return fmt.Errorf("round %d is not drawn: %w", number, ErrNotReady)
	}
	if r := bs.rounds[number]; r != nil && r.entered() {
		return fmt.Errorf("round %d's boards have entered counts: it cannot be divided again: %w", number, ErrClosed)
	}
	// Stations in order of id, each to the board with the fewest items so
	// far: the same draw gives the same boards.
	load := map[string]int{}
	for _, it := range roundItems(bs.au.State.Method, bs.au.State.Rounds[number-1]) {
		load[it.Station]++
	}
	n = min(n, len(load))
	assigned := map[string][]string{}
	work := make([]int, n)
	for _, st := range slices.Sorted(maps.Keys(load)) {
		i := 0
		for j := range work {
			if work[j] < work[i] {
				i = j
			}
		}
		work[i] += load[st]
		name := strconv.Itoa(i + 1)
		assigned[name] = append(assigned[name], st)
	}
	return bs.log("boards", &BoardEvent{Round: number, Assigned: assigned})
}

// roundItems are what a round's boards count, in draw order, each once.
func roundItems(m Method, r Round) []Item {
	var out []Item
	seen := map[Item]bool{}
	for _, d := range r.Draws {
		it := Item{Station: d.Station, Ballot: d.Ballot}
		if m == MACRO {
			it.Ballot = 0
		}
		if !seen[it] {
			seen[it] = true
			out = append(out, it)
		}
	}
	return out
}

// Enter records one member's entry of an item for a board: refused with
// the reason (the errors wrap ErrNotDrawn, ErrBadCount or ErrClosed) if
// the item is not the board's, the values are not a possible count, or
// the board has signed off; otherwise kept, replacing the member's
// earlier entry of the item, which stays in the trail. It returns the
// item's agreement with the other member's entry.
func (bs *Boards) Enter(number int, board string, member int, it Item, values map[string]string) (Agreement, error) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	canon, err := bs.check(number, board, member, it, values)
	if err != nil {
		return Agreement{}, err
	}
	ev := &BoardEvent{Round: number, Board: board, Member: member, Station: it.Station, Ballot: it.Ballot, Values: canon}
	if err := bs.log("entry", ev); err != nil {
		return Agreement{}, err
	}
	return bs.board(number, board).Agreement(it), nil
}

// SignOff signs a board's work on a round off: refused (ErrNotReady) while
// an item has a missing entry or the two disagree. When it is the round's
// last board, the round's paper is recorded (see Record). The audit's
// status is measured after every sign-off.
func (bs *Boards) SignOff(number int, board string) (*Report, []error) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	r, b, err := bs.open(number, board)
	if err != nil {
		return nil, []error{err}
	}
	var errs []error
	for _, it := range b.Items {
		switch a := b.Agreement(it); {
		case !a.Entered[0] || !a.Entered[1]:
			errs = append(errs, fmt.Errorf("board %s, %s: %d of 2 entries: %w", board, it, btoi(a.Entered[0])+btoi(a.Entered[1]), ErrNotReady))
		case !a.Agree:
			errs = append(errs, fmt.Errorf("board %s, %s: the entries disagree on %s: %w", board, it, strings.Join(a.Differ, ", "), ErrNotReady))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if err := bs.log("signoff", &BoardEvent{Round: number, Board: board}); err != nil {
		return nil, []error{err}
	}
	all := true
	for _, b := range r.Boards {
		all = all && b.SignedOff
	}
	if all {
		if errs := bs.record(r); len(errs) > 0 {
			return nil, errs
		}
	}
	rep, _, err := bs.au.Status()
	if err != nil {
		return nil, []error{err}
	}
	return rep, nil
}

// Reopen undoes a board's sign-off, so that its entries may be corrected:
// refused once the round's paper is recorded (ErrClosed), which the audit
// keeps as it was recorded.
func (bs *Boards) Reopen(number int, board string) error {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	r := bs.rounds[number]
	b := bs.board(number, board)
	switch {
	case b == nil:
		return fmt.Errorf("round %d has no board %q: %w", number, board, ErrNotDrawn)
	case r.Recorded:
		return fmt.Errorf("round %d's paper is recorded in the audit, which keeps it: %w", number, ErrClosed)
	case !b.SignedOff:
		return fmt.Errorf("board %s has not signed off round %d: %w", board, number, ErrNotReady)
	}
	return bs.log("reopen", &BoardEvent{Round: number, Board: board})
}

// Record records a round whose boards have all signed off, if its paper is
// not recorded yet (a recording that failed, tried again): what SignOff
// does after the last sign-off.
func (bs *Boards) Record(number int) (*Report, []error) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	r := bs.rounds[number]
	if r == nil {
		return nil, []error{fmt.Errorf("round %d has no boards: %w", number, ErrNotReady)}
	}
	if r.Recorded {
		return nil, []error{fmt.Errorf("round %d's paper is recorded already: %w", number, ErrClosed)}
	}
	for _, b := range r.Boards {
		if !b.SignedOff {
			return nil, []error{fmt.Errorf("board %s has not signed off round %d: %w", b.Name, number, ErrNotReady)}
		}
	}
	if errs := bs.record(r); len(errs) > 0 {
		return nil, errs
	}
	rep, _, err := bs.au.Status()
	if err != nil {
		return nil, []error{err}
	}
	return rep, nil
}

// record writes a round's agreed paper into the audit, as the command
// line's record and poll do, and logs that it did.
func (bs *Boards) record(r *BoardRound) []error {
	if bs.auditor == nil {
		return []error{fmt.Errorf("round %d: the boards' work was read without an auditor key, which would sign its paper: %w", r.Number, ErrNotReady)}
	}
	def := bs.au.Def
	var errs []error
	if bs.au.State.Method == MACRO {
		var counts []HandCount
		sample := map[string]bool{}
		for _, b := range r.Boards {
			for _, it := range b.Items {
				f, _ := handFigures(def, def.Station(it.Station), b.Entries[0][it])
				counts = append(counts, HandCount{Station: it.Station, Where: fmt.Sprintf("round %d, board %s", r.Number, b.Name), Figures: f})
				sample[it.Station] = true
			}
		}
		_, errs = Record(filepath.Join(bs.au.Dir, HandDir), def, bs.auditor, counts, sample, bs.now())
	} else {
		var polls []Poll
		for _, b := range r.Boards {
			for _, it := range b.Items {
				polls = append(polls, Poll{Station: it.Station, Ballot: it.Ballot, Choices: maps.Clone(b.Entries[0][it]),
					Where: fmt.Sprintf("round %d, board %s", r.Number, b.Name)})
			}
		}
		_, errs = bs.au.Poll(bs.auditor, polls)
	}
	if len(errs) > 0 {
		return errs
	}
	if err := bs.log("recorded", &BoardEvent{Round: r.Number}); err != nil {
		return []error{err}
	}
	return nil
}
