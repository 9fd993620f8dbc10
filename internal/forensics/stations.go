package forensics

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// Station is one station's figures as the indicators read them: the
// turnout is Ballots/Registered, the leader's share its votes over the sum
// of Votes (the valid votes of the contest).
type Station struct {
	ID         string
	Line       int // in the source, 0 if none
	Registered int32
	Ballots    int32
	Votes      []int32 // the contest's candidates', in the definition's order
	Signed     bool    // backed by signed evidence
	// Area is the area whose stations are the station's reference in the
	// outlier test: its own area, or the nearest above it with at least
	// minArea stations screened ("" for the whole election).
	Area string
}

// Stations are the stations screened for one contest, and those left out.
type Stations struct {
	Contest    string
	Candidates []string // ids, in the definition's order
	// Leader is the position in Candidates of the candidate with the most
	// votes over the stations kept: the one whose share the indicators
	// follow.
	Leader   int
	List     []Station
	Excluded []Exclusion // by decreasing count
	// SignedUnseen is how many stations said to be signed have no figures
	// here (not in the source, or excluded).
	SignedUnseen int
}

// Exclusion is one reason stations were left out, how many, and the first
// few of them ("station 1234 (line 17)").
type Exclusion struct {
	Reason   string   `json:"reason"`
	Count    int      `json:"count"`
	Examples []string `json:"examples"`
}

// maxExamples is how many stations an Exclusion names.
const maxExamples = 5

// Read takes the figures of the contest contestID (the definition's only
// contest if "") from rows and keeps the stations that can be screened.
// signed is the set of station ids backed by signed evidence (nil: none).
//
// A station is excluded, counted under its reason, if it is not in the
// election, does not vote in the contest, is given more than once (every
// row of it), has no registered voters or an unknown number of them (in
// the rows and in the definition), has impossible figures (more ballots or
// votes than voters, votes that do not add up: [tally.Figures.Impossible]),
// lacks a candidate's votes or the ballots cast (neither given nor the sum
// of the contest's figures), or has no valid votes (no share). It is an
// error only that the contest is not in the definition.
func Read(def *election.Definition, contestID string, rows []tally.CSVRow, signed map[string]bool) (*Stations, error) {
	if def == nil {
		return nil, fmt.Errorf("forensics: no election definition")
	}
	var c *election.Contest
	switch {
	case contestID == "" && len(def.Contests) == 1:
		c = def.Contests[0]
	case contestID == "":
		return nil, fmt.Errorf("forensics: the election has %d contests: name one", len(def.Contests))
	default:
		if c = def.Contest(contestID); c == nil {
			return nil, fmt.Errorf("forensics: contest %q is not in the election", contestID)
		}
	}
	s := &Stations{Contest: c.ID}
	for _, x := range c.Candidates {
		s.Candidates = append(s.Candidates, x.ID)
	}
	ex := map[string]*Exclusion{}
	exclude := func(reason string, r tally.CSVRow) {
		e := ex[reason]
		if e == nil {
			e = &Exclusion{Reason: reason}
			ex[reason] = e
		}
		e.Count++
		if len(e.Examples) < maxExamples {
			where := "station " + r.Station
			if r.Line > 0 {
				where += fmt.Sprintf(" (line %d)", r.Line)
			}
			e.Examples = append(e.Examples, where)
		}
	}
	// Each row's station, as its position in the definition (-1: none),
	// and how many rows each station has.
	pos := make([]int32, len(rows))
	times := make([]uint8, len(def.Stations))
	for i, r := range rows {
		pos[i] = int32(def.StationIndex(r.Station))
		if pos[i] >= 0 {
			times[pos[i]] = min(times[pos[i]]+1, 2)
		}
	}
	isSigned := make([]bool, len(def.Stations))
	for id, ok := range signed {
		if i := def.StationIndex(id); ok && i >= 0 {
			isSigned[i] = true
		}
	}
	kept := make([]bool, len(def.Stations))
	ballots := map[string][]*election.Contest{} // by area
	s.List = make([]Station, 0, len(rows))
	for k, r := range rows {
		if pos[k] < 0 {
			exclude("station not in the election", r)
			continue
		}
		st := def.Stations[pos[k]]
		ballot, ok := ballots[st.Area]
		if !ok {
			ballot = def.Ballot(st)
			ballots[st.Area] = ballot
		}
		at := election.ContestIndex(ballot, c.ID)
		if at < 0 {
			exclude("contest "+c.ID+" not on the station's ballot", r)
			continue
		}
		if len(r.Figures.Votes) != tally.BallotFigures(ballot) {
			exclude("figures not laid out for the station's ballot", r)
			continue
		}
		if times[pos[k]] > 1 {
			exclude("station given more than once", r)
			continue
		}
		f := r.Figures
		if f.Registered == tally.Unknown && st.Registered != election.Unknown {
			f.Registered = int32(st.Registered)
		}
		if reason := screen(f, ballot, at); reason != "" {
			exclude(reason, r)
			continue
		}
		cands, blank, null := f.Contest(ballot, at)
		b := f.Ballots
		if b == tally.Unknown {
			b = blank + null
			for _, v := range cands {
				b += v
			}
		}
		s.List = append(s.List, Station{ID: r.Station, Line: r.Line, Registered: f.Registered, Ballots: b,
			Votes: cands, Signed: isSigned[pos[k]], Area: st.Area})
		kept[pos[k]] = true
	}
	for id, ok := range signed {
		if i := def.StationIndex(id); ok && (i < 0 || !kept[i]) {
			s.SignedUnseen++
		}
	}
	for _, e := range ex {
		s.Excluded = append(s.Excluded, *e)
	}
	sortExclusions(s.Excluded)
	s.Leader = leader(s.List, len(s.Candidates))
	referenceAreas(s.List)
	return s, nil
}

// minArea is the fewest stations an area needs to be a station's
// reference in the outlier test: enough for a median and a median
// absolute deviation to mean something.
const minArea = 30

// referenceAreas sets each station's Area, its deepest area in the
// definition, to the deepest area above or at it that holds at least
// minArea of the stations, or "" (the whole election).
func referenceAreas(list []Station) {
	n := map[string]int{} // stations under each area path
	for i := range list {
		for a := list[i].Area; a != ""; a = parentArea(a) {
			n[a]++
		}
	}
	for i := range list {
		a := list[i].Area
		for a != "" && n[a] < minArea {
			a = parentArea(a)
		}
		list[i].Area = a
	}
}

// parentArea returns the path of an area's parent ("1/2" for "1/2/3"),
// "" for an outermost area.
func parentArea(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[:i]
	}
	return ""
}

// sortExclusions sorts by decreasing count, then by reason.
func sortExclusions(ex []Exclusion) {
	slices.SortFunc(ex, func(a, b Exclusion) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Reason, b.Reason))
	})
}

// screen returns why a station's figures cannot be screened, or "".
func screen(f tally.Figures, ballot []*election.Contest, pos int) string {
	switch {
	case f.Registered == tally.Unknown:
		return "registered voters unknown"
	case f.Registered == 0:
		return "no registered voters"
	}
	if why := f.Impossible(ballot); why != "" {
		return why
	}
	cands, blank, null := f.Contest(ballot, pos)
	valid := int64(0)
	for _, v := range cands {
		if v == tally.Unknown {
			return "a candidate's votes missing"
		}
		valid += int64(v)
	}
	if f.Ballots == tally.Unknown && (blank == tally.Unknown || null == tally.Unknown) {
		return "ballots cast unknown (no ballots, and blank or null missing)"
	}
	switch {
	case f.Ballots != tally.Unknown && valid > int64(f.Ballots):
		return "more votes than ballots cast"
	case valid == 0:
		return "no valid votes (no leader's share)"
	}
	return ""
}

// leader returns the position of the candidate with the most votes over
// the stations (the first of equals).
func leader(list []Station, n int) int {
	sum := make([]int64, n)
	for _, st := range list {
		for i, v := range st.Votes {
			sum[i] += int64(v)
		}
	}
	best := 0
	for i, v := range sum {
		if v > sum[best] {
			best = i
		}
	}
	return best
}

// valid returns the sum of a station's candidates' votes.
func (st *Station) valid() int32 {
	n := int32(0)
	for _, v := range st.Votes {
		n += v
	}
	return n
}
