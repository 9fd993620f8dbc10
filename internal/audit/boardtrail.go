package audit

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The boards' work in the audit trail: every action is logged first and
// then applied by apply, which OpenBoards and VerifyTrail use to replay the
// trail by the same rules the action was checked by.

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
