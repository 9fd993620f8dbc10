package audit

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/tally"
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
	bs := newBoards(au)
	bs.auditor = auditor
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

// BoardEvent is the boards' part of a trail entry.
type BoardEvent struct {
	Round int    `json:"round"`
	Board string `json:"board,omitempty"`
	// Assigned (kind boards): each board's stations.
	Assigned map[string][]string `json:"assigned,omitempty"`
	// Member, Station, Ballot, Values (kind entry): who entered what.
	Member  int               `json:"member,omitempty"`
	Station string            `json:"station,omitempty"`
	Ballot  int               `json:"ballot,omitempty"`
	Values  map[string]string `json:"values,omitempty"`
	At      string            `json:"at"`
}

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

// log appends an event to the trail, then applies it.
func (bs *Boards) log(kind string, ev *BoardEvent) error {
	ev.At = bs.now().UTC().Format(time.RFC3339)
	if err := appendTrail(bs.au.Dir, TrailEntry{Kind: kind, Board: ev}); err != nil {
		return err
	}
	return bs.apply(kind, ev, len(bs.au.State.Rounds))
}

// apply applies an event of the trail, checking it as when it was made;
// drawn is how many rounds were drawn when it was logged.
func (bs *Boards) apply(kind string, ev *BoardEvent, drawn int) error {
	switch kind {
	case "boards":
		if ev.Round < 1 || ev.Round > drawn {
			return fmt.Errorf("boards assigned to round %d, which is not drawn", ev.Round)
		}
		if r := bs.rounds[ev.Round]; r != nil && r.entered() {
			return fmt.Errorf("boards assigned to round %d again, after entries were made", ev.Round)
		}
		items := roundItems(bs.au.State.Method, bs.au.State.Rounds[ev.Round-1])
		r := &BoardRound{Number: ev.Round}
		owner := map[string]string{}
		for _, name := range slices.SortedFunc(maps.Keys(ev.Assigned), byNumber) {
			b := &Board{Name: name, Stations: slices.Sorted(slices.Values(ev.Assigned[name]))}
			for _, st := range b.Stations {
				if owner[st] != "" {
					return fmt.Errorf("round %d: station %s assigned to boards %s and %s", ev.Round, st, owner[st], name)
				}
				owner[st] = name
			}
			for _, it := range items {
				if owner[it.Station] == name {
					b.Items = append(b.Items, it)
				}
			}
			slices.SortFunc(b.Items, func(x, y Item) int {
				if c := strings.Compare(x.Station, y.Station); c != 0 {
					return c
				}
				return x.Ballot - y.Ballot
			})
			b.Entries = [2]map[Item]map[string]string{{}, {}}
			r.Boards = append(r.Boards, b)
		}
		for _, it := range items {
			if owner[it.Station] == "" {
				return fmt.Errorf("round %d: station %s drawn but assigned to no board", ev.Round, it.Station)
			}
		}
		if len(owner) != len(uniqueStations(items)) {
			return fmt.Errorf("round %d: a station assigned that was not drawn", ev.Round)
		}
		bs.rounds[ev.Round] = r
	case "entry":
		canon, err := bs.check(ev.Round, ev.Board, ev.Member, Item{ev.Station, ev.Ballot}, ev.Values)
		if err != nil {
			return err
		}
		bs.board(ev.Round, ev.Board).Entries[ev.Member-1][Item{ev.Station, ev.Ballot}] = canon
	case "signoff":
		_, b, err := bs.open(ev.Round, ev.Board)
		if err != nil {
			return err
		}
		for _, it := range b.Items {
			if !b.Agreement(it).Agree {
				return fmt.Errorf("board %s signed round %d off with %s not agreed", ev.Board, ev.Round, it)
			}
		}
		b.SignedOff = true
	case "reopen":
		b := bs.board(ev.Round, ev.Board)
		if b == nil || !b.SignedOff || bs.rounds[ev.Round].Recorded {
			return fmt.Errorf("board %s of round %d reopened, but it was not signed off or its round is recorded", ev.Board, ev.Round)
		}
		b.SignedOff = false
	case "recorded":
		r := bs.rounds[ev.Round]
		if r == nil || r.Recorded {
			return fmt.Errorf("round %d recorded, but it has no boards or was recorded already", ev.Round)
		}
		for _, b := range r.Boards {
			if !b.SignedOff {
				return fmt.Errorf("round %d recorded before board %s signed off", ev.Round, b.Name)
			}
		}
		r.Recorded = true
	default:
		return fmt.Errorf("unknown boards entry %q", kind)
	}
	return nil
}

func uniqueStations(items []Item) map[string]bool {
	m := map[string]bool{}
	for _, it := range items {
		m[it.Station] = true
	}
	return m
}

// byNumber orders board names "1", "2", ..., "10".
func byNumber(a, b string) int {
	x, _ := strconv.Atoi(a)
	y, _ := strconv.Atoi(b)
	if x != y {
		return x - y
	}
	return strings.Compare(a, b)
}

func (bs *Boards) board(number int, name string) *Board {
	r := bs.rounds[number]
	if r == nil {
		return nil
	}
	for _, b := range r.Boards {
		if b.Name == name {
			return b
		}
	}
	return nil
}

// open returns a round and a board that may still change.
func (bs *Boards) open(number int, board string) (*BoardRound, *Board, error) {
	b := bs.board(number, board)
	switch {
	case b == nil:
		return nil, nil, fmt.Errorf("round %d has no board %q: %w", number, board, ErrNotDrawn)
	case bs.rounds[number].Recorded:
		return nil, nil, fmt.Errorf("round %d's paper is recorded in the audit: %w", number, ErrClosed)
	case b.SignedOff:
		return nil, nil, fmt.Errorf("board %s has signed round %d off: the administrator must reopen it first: %w", board, number, ErrClosed)
	}
	return bs.rounds[number], b, nil
}

// check checks an entry and returns its values in canonical form.
func (bs *Boards) check(number int, board string, member int, it Item, values map[string]string) (map[string]string, error) {
	_, b, err := bs.open(number, board)
	if err != nil {
		return nil, err
	}
	if member != 1 && member != 2 {
		return nil, fmt.Errorf("member %d: a board's entries are by member 1 and member 2", member)
	}
	if !b.has(it) {
		return nil, fmt.Errorf("%s is not drawn for board %s in round %d: %w", it, board, number, ErrNotDrawn)
	}
	def := bs.au.Def
	st := def.Station(it.Station)
	if bs.au.State.Method == MACRO {
		f, err := handFigures(def, st, values)
		if err == nil {
			_, err = handActa(def, st, "", f, time.Time{})
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v: %w", it, err, ErrBadCount)
		}
		canon := map[string]string{}
		for _, k := range HandFields(def, st) {
			canon[k] = strconv.Itoa(mustAtoi(values[k]))
		}
		return canon, nil
	}
	canon := map[string]string{}
	for _, c := range def.Ballot(st) {
		choice := strings.TrimSpace(values[c.ID])
		if choice == "" {
			return nil, fmt.Errorf("%s: contest %s: no choice entered: %w", it, c.ID, ErrBadCount)
		}
		if err := checkChoice(c, choice); err != nil {
			return nil, fmt.Errorf("%s: contest %s: %v: %w", it, c.ID, err, ErrBadCount)
		}
		canon[c.ID] = choice
	}
	if extra := len(values) - len(canon); extra > 0 {
		return nil, fmt.Errorf("%s: %d values for contests not on its ballot: %w", it, extra, ErrBadCount)
	}
	return canon, nil
}

// HandFields are the fields of a station's hand count, in the order of its
// ballot: ballots (the vouchers found in the box), then each contest's
// CONTEST.CANDIDATE, CONTEST.blank and CONTEST.null.
func HandFields(def *election.Definition, st *election.Station) []string {
	out := []string{"ballots"}
	for _, c := range def.Ballot(st) {
		for _, x := range candidateIDs(c) {
			out = append(out, c.ID+"."+x)
		}
		out = append(out, c.ID+".blank", c.ID+".null")
	}
	return out
}

// handFigures reads a hand count's fields (HandFields): each a whole
// number, none missing, none other.
func handFigures(def *election.Definition, st *election.Station, values map[string]string) (tally.Figures, error) {
	fields := HandFields(def, st)
	f := tally.Figures{Registered: int32(st.Registered)}
	for i, k := range fields {
		v := strings.TrimSpace(values[k])
		if v == "" {
			return f, fmt.Errorf("%s: no figure entered", k)
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1<<30 {
			return f, fmt.Errorf("%s: %q is not a whole number of votes", k, clip(v))
		}
		if i == 0 {
			f.Ballots = int32(n)
		} else {
			f.Votes = append(f.Votes, int32(n))
		}
	}
	if len(values) != len(fields) {
		var extra []string
		for k := range values {
			if !slices.Contains(fields, k) {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		return f, fmt.Errorf("fields not on the station's ballot: %s", clip(strings.Join(extra, ", ")))
	}
	return f, nil
}

func mustAtoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
