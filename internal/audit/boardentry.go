package audit

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// What an entry may be: a possible hand count of a station drawn for the
// board (the same checks as Record's), or possible choices read on a
// drawn voucher (as ReadPolls's).

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
		// Several candidates in the order of the ballot: one choice, one text.
		ids := strings.Split(choice, "+")
		slices.SortFunc(ids, func(a, b string) int { return c.CandidateIndex(a) - c.CandidateIndex(b) })
		canon[c.ID] = strings.Join(ids, "+")
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
