package audit

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

// Audit boards are the people at the tables who pull the drawn boxes and
// count them. A round's stations are divided among boards (Boards.Assign);
// two members of a board each enter, independently, the hand count of each
// of its stations (batch comparison) or the choices read on each of its
// drawn vouchers (ballot polling) (Boards.Enter); an entry counts only once
// the other member's agrees. A board signs off when every entry of its
// stations agrees (Boards.SignOff); the administrator may reopen a board's
// sign-off until the round's paper is recorded, which happens when the last
// board signs off: the agreed counts become hand actas signed by the
// auditor key (Record) or a signed record of polls (Audit.Poll), exactly as
// from the command line, and the audit's status is measured.
//
// Every assignment, entry, sign-off, reopening and recording is appended to
// the audit trail before it takes effect (kinds boards, entry, signoff,
// reopen, recorded), so nothing entered is lost and OpenBoards rebuilds the
// boards' work from the trail alone; VerifyTrail replays it by the same
// rules.

// Sentinel errors of the boards' work; the errors returned wrap them with
// what was refused and why.
var (
	// ErrNotDrawn: an entry for a station or voucher not drawn for the board.
	ErrNotDrawn = errors.New("not drawn")
	// ErrBadCount: an entry that cannot be a count of the box or voucher.
	ErrBadCount = errors.New("not a possible count")
	// ErrClosed: the board has signed off, or the round's paper is recorded.
	ErrClosed = errors.New("closed")
	// ErrNotReady: a sign-off while entries are missing or disagree, or an
	// action that the round's state does not allow yet.
	ErrNotReady = errors.New("not ready")
)

// Item is what a board counts: a station's box (Ballot 0, batch
// comparison) or one drawn voucher of it (ballot polling).
type Item struct {
	Station string
	Ballot  int
}

func (it Item) String() string {
	if it.Ballot == 0 {
		return "station " + it.Station
	}
	return fmt.Sprintf("voucher %d of station %s", it.Ballot, it.Station)
}

// BoardRound is the boards' work on one round.
type BoardRound struct {
	Number   int
	Boards   []*Board
	Recorded bool // the agreed paper is recorded in the audit: nothing more changes
}

// entered reports whether any board has entered anything in the round.
func (r *BoardRound) entered() bool {
	for _, b := range r.Boards {
		if len(b.Entries[0])+len(b.Entries[1]) > 0 {
			return true
		}
	}
	return false
}

// Board is one audit board's work on a round.
type Board struct {
	Name     string   // "1", "2", ...
	Stations []string // its stations, sorted
	Items    []Item   // what it counts: its stations' boxes or drawn vouchers, by station and position
	// Entries are each member's latest entry of each item: Entries[0] the
	// first member's, Entries[1] the second's. An entry is a value by
	// field (HandFields or the contests' ids), canonical.
	Entries   [2]map[Item]map[string]string
	SignedOff bool
}

// Agreement is the state of an item's two entries.
type Agreement struct {
	Entered [2]bool
	Agree   bool     // both entered, the same
	Differ  []string // the fields on which both entered disagree
}

// Agreement returns the state of an item's entries.
func (b *Board) Agreement(it Item) Agreement {
	var a Agreement
	for m := range 2 {
		_, a.Entered[m] = b.Entries[m][it]
	}
	if a.Entered[0] && a.Entered[1] {
		x, y := b.Entries[0][it], b.Entries[1][it]
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if x[k] != y[k] {
				a.Differ = append(a.Differ, k)
			}
		}
		a.Agree = len(a.Differ) == 0
	}
	return a
}

// Agreed counts the items whose entries agree.
func (b *Board) Agreed() int {
	n := 0
	for _, it := range b.Items {
		if b.Agreement(it).Agree {
			n++
		}
	}
	return n
}

func (b *Board) has(it Item) bool { return slices.Contains(b.Items, it) }

// Boards is the boards' work on an audit, rebuilt from its trail. Its
// methods are safe for concurrent use.
type Boards struct {
	mu      sync.Mutex
	au      *Audit
	auditor *keys.Key // signs the paper recorded; nil when only replaying
	rounds  map[int]*BoardRound
	now     func() time.Time
}

// OpenBoards rebuilds the boards' work on an open audit from its trail.
// auditor signs the paper the boards' agreed entries become: it must be an
// auditor key of the election.
func OpenBoards(au *Audit, auditor *keys.Key) (*Boards, error) {
	if who, ok := au.Def.Signer(auditor.Public); !ok || who.Role != election.RoleAuditor {
		return nil, fmt.Errorf("key %s is not an auditor key of election %s", auditor.Signer.Name(), au.Def.ID)
	}
	bs, err := ReadBoards(au)
	if err != nil {
		return nil, err
	}
	bs.auditor = auditor
	return bs, nil
}

// ReadBoards rebuilds the boards' work from the trail, to read it (audit
// status): without an auditor key, it cannot record a round's paper.
func ReadBoards(au *Audit) (*Boards, error) {
	bs := newBoards(au)
	entries, err := ReadTrail(filepath.Join(au.Dir, TrailFile))
	if err != nil && !errors.Is(err, os.ErrNotExist) { // none yet: an audit started, not saved
		return nil, err
	}
	drawn := 0
	for _, e := range entries {
		if e.State != nil {
			drawn = len(e.State.Rounds)
		}
		if e.Board != nil {
			if err := bs.apply(e.Kind, e.Board, drawn); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", filepath.Join(au.Dir, TrailFile), e.Seq, err)
			}
		}
	}
	return bs, nil
}

func newBoards(au *Audit) *Boards {
	return &Boards{au: au, rounds: map[int]*BoardRound{}, now: time.Now}
}

// Audit returns the audit the boards work on. Its state changes only
// through the boards' methods while they serve it.
func (bs *Boards) Audit() *Audit { return bs.au }

// Round returns a copy of the boards' work on round n, or nil if no
// boards were assigned to it.
func (bs *Boards) Round(n int) *BoardRound {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	r := bs.rounds[n]
	if r == nil {
		return nil
	}
	c := &BoardRound{Number: r.Number, Recorded: r.Recorded}
	for _, b := range r.Boards {
		cb := *b
		for m := range 2 {
			cb.Entries[m] = map[Item]map[string]string{}
			for it, v := range b.Entries[m] {
				cb.Entries[m][it] = maps.Clone(v)
			}
		}
		c.Boards = append(c.Boards, &cb)
	}
	return c
}

// Rounds is how many rounds are drawn.
func (bs *Boards) Rounds() int {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	return len(bs.au.State.Rounds)
}

// WriteText writes the boards' progress on the last round they were given,
// for a terminal: each board's items agreed, in disagreement, and its
// sign-off. It writes nothing if no round has boards.
func (bs *Boards) WriteText(w io.Writer) {
	var r *BoardRound
	for n := bs.Rounds(); n >= 1 && r == nil; n-- {
		r = bs.Round(n)
	}
	if r == nil {
		return
	}
	state := "counting"
	if r.Recorded {
		state = "recorded"
	}
	fmt.Fprintf(w, "audit boards, round %d (%s):\n", r.Number, state)
	for _, b := range r.Boards {
		disagree := 0
		for _, it := range b.Items {
			if len(b.Agreement(it).Differ) > 0 {
				disagree++
			}
		}
		signed := "not signed off"
		if b.SignedOff {
			signed = "signed off"
		}
		fmt.Fprintf(w, "  board %s: %d drawn, %d agreed, %d in disagreement, %s\n", b.Name, len(b.Items), b.Agreed(), disagree, signed)
	}
}
