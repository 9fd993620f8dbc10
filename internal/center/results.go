package center

import (
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// results holds the totals of every jurisdiction, kept up to date as final
// actas are accepted, so that reading them costs no more than copying them.
type results struct {
	def      *election.Definition
	areas    map[string]*tally       // by area path; "" is the whole election
	stations map[string]*acta.Signed // the accepted final actas
}

type tally struct {
	expected, registered  int // stations and registered voters, reported or not
	reported, regReported int
	ballots               int
	contests              map[string]*contestTally
}

type contestTally struct {
	votes       map[string]int
	blank, null int
}

func newResults(def *election.Definition) *results {
	r := &results{def: def, areas: map[string]*tally{}, stations: map[string]*acta.Signed{}}
	for _, st := range def.Stations {
		for _, a := range r.chain(st.Area) {
			t := r.areas[a]
			if t == nil {
				t = &tally{contests: map[string]*contestTally{}}
				r.areas[a] = t
			}
			t.expected++
			t.registered += st.Registered
		}
	}
	return r
}

// chain returns the paths of an area and its ancestors, and "".
func (r *results) chain(area string) []string {
	out := []string{""}
	for i := 0; i <= len(area); i++ {
		if i == len(area) || area[i] == '/' {
			out = append(out, area[:i])
		}
	}
	return out
}

// add counts a station's accepted final acta.
func (r *results) add(sa *acta.Signed) {
	r.stations[sa.Station] = sa
	st := r.def.Station(sa.Station)
	for _, a := range r.chain(st.Area) {
		t := r.areas[a]
		t.reported++
		t.regReported += sa.Registered
		t.ballots += sa.Ballots
		for _, c := range sa.Contests {
			ct := t.contests[c.Contest]
			if ct == nil {
				ct = &contestTally{votes: map[string]int{}}
				t.contests[c.Contest] = ct
			}
			for _, x := range c.Candidates {
				ct.votes[x.Candidate] += x.Votes
			}
			ct.blank += c.Blank
			ct.null += c.Null
		}
	}
}

// Result is the count of one jurisdiction, or of the whole election.
type Result struct {
	Election           string          `json:"election"`
	Area               string          `json:"area"` // "" for the whole election
	Name               string          `json:"name"`
	Level              string          `json:"level,omitempty"`
	StationsExpected   int             `json:"stations_expected"`
	StationsReported   int             `json:"stations_reported"`
	Registered         int             `json:"registered"`          // of every station
	RegisteredReported int             `json:"registered_reported"` // of the stations reported
	Ballots            int             `json:"ballots"`
	Turnout            float64         `json:"turnout"` // ballots over registered voters of the stations reported
	Contests           []ContestResult `json:"contests"`
}

// ContestResult is the count of one contest.
type ContestResult struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Candidates []CandidateResult `json:"candidates"`
	Blank      int               `json:"blank"`
	Null       int               `json:"null"`
}

// CandidateResult is the votes of one candidate.
type CandidateResult struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Votes int    `json:"votes"`
}

// result returns the count of an area ("" for the whole election), or false
// if the election has no such area.
func (r *results) result(area string) (*Result, bool) {
	t := r.areas[area]
	if t == nil {
		return nil, false
	}
	out := &Result{Election: r.def.ID, Area: area, Name: r.def.Name,
		StationsExpected: t.expected, StationsReported: t.reported,
		Registered: t.registered, RegisteredReported: t.regReported, Ballots: t.ballots}
	if area != "" {
		a := r.def.Area(area)
		out.Name = a.Name
		out.Level = r.def.Levels[strings.Count(area, "/")]
	}
	if t.regReported > 0 {
		out.Turnout = float64(t.ballots) / float64(t.regReported)
	}
	for _, c := range r.def.Contests {
		if !overlaps(c.Scope, area) {
			continue
		}
		cr := ContestResult{ID: c.ID, Name: c.Name, Candidates: []CandidateResult{}}
		ct := t.contests[c.ID]
		for _, x := range c.Candidates {
			v := 0
			if ct != nil {
				v = ct.votes[x.ID]
			}
			cr.Candidates = append(cr.Candidates, CandidateResult{ID: x.ID, Name: x.Name, Votes: v})
		}
		if ct != nil {
			cr.Blank, cr.Null = ct.blank, ct.null
		}
		out.Contests = append(out.Contests, cr)
	}
	return out, true
}

// overlaps reports whether a contest of the given scope is on the ballot of
// some station of the area.
func overlaps(scope, area string) bool {
	if scope == "*" || area == "" {
		return true
	}
	return scope == area || strings.HasPrefix(area, scope+"/") || strings.HasPrefix(scope, area+"/")
}
