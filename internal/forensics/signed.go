package forensics

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// ReadSigned reads the set of stations backed by signed evidence: one
// station id a line, spaces around it ignored, blank lines and lines
// starting with # skipped. Every id must be a station of the election and
// be listed once; each line that breaks this is an error naming the file
// (name) and line, and the set is then nil.
func ReadSigned(r io.Reader, name string, def *election.Definition) (map[string]bool, error) {
	set := map[string]bool{}
	first := map[string]int{}
	var errs []error
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for line := 1; sc.Scan(); line++ {
		id := strings.TrimSpace(sc.Text())
		if line == 1 {
			id = strings.TrimSpace(strings.TrimPrefix(id, "\uFEFF"))
		}
		fail := func(msg string) { errs = append(errs, fmt.Errorf("%s:%d: %s", name, line, msg)) }
		switch {
		case id == "" || strings.HasPrefix(id, "#"):
		case !utf8.ValidString(id):
			fail("not UTF-8")
		case def.Station(id) == nil:
			fail(fmt.Sprintf("station %s not in the election", strconv.Quote(clip(id, 60))))
		case first[id] > 0:
			fail(fmt.Sprintf("station %s listed again (first on line %d)", id, first[id]))
		default:
			set[id] = true
			first[id] = line
		}
		if len(errs) >= 20 {
			errs = append(errs, fmt.Errorf("%s: stopped after 20 errors", name))
			return nil, errors.Join(errs...)
		}
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s: %v", name, err))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return set, nil
}

// clip cuts s to at most n bytes, at a rune boundary, for a message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// Unread counts, among the stations excluded, the rows the source's reader
// could not read (its errors, each naming the file and line): those of
// stations not in the election under that reason, the others as rows not
// read.
func (s *Stations) Unread(errs []error) {
	var other, foreign Exclusion
	other.Reason, foreign.Reason = "row not read (see the reader's error)", "station not in the election"
	for _, err := range errs {
		e := &other
		if strings.Contains(err.Error(), "not in the election") {
			e = &foreign
		}
		e.Count++
		if len(e.Examples) < maxExamples {
			e.Examples = append(e.Examples, err.Error())
		}
	}
	for _, e := range []Exclusion{foreign, other} {
		if e.Count == 0 {
			continue
		}
		if i := slices.IndexFunc(s.Excluded, func(x Exclusion) bool { return x.Reason == e.Reason }); i >= 0 {
			s.Excluded[i].Count += e.Count
			s.Excluded[i].Examples = append(s.Excluded[i].Examples, e.Examples...)[:min(maxExamples, len(s.Excluded[i].Examples)+len(e.Examples))]
			continue
		}
		s.Excluded = append(s.Excluded, e)
	}
	sortExclusions(s.Excluded)
}

// Follow makes the indicators follow a candidate's share rather than the
// leader's: the declared winner, say, where the figures give another the
// most votes.
func (s *Stations) Follow(candidate string) error {
	i := slices.Index(s.Candidates, candidate)
	if i < 0 {
		return fmt.Errorf("candidate %s is not in contest %s", strconv.Quote(clip(candidate, 60)), s.Contest)
	}
	s.Leader = i
	return nil
}
