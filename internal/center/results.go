package center

import (
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// figures holds the counts of every station's accepted final acta, by the
// station's position in the definition, compactly: the log entry, and the
// numbers in one array shared by all stations. A station's numbers are its
// ballots, then for each contest on its ballot (in ballot order, as an acta
// has them) its candidates' votes, blank and null; the registered voters are
// the definition's, which the acta matches. So the center's memory holds a
// few dozen bytes a station, not its acta.
//
// A station's figures are written once, when its final acta is accepted,
// under decider.mu; whoever has seen its entry under decider.mu may read its
// numbers without it.
type figures struct {
	def    *election.Definition
	ballot map[string][]*election.Contest // by the stations' area
	entry  []uint64                       // the log entry plus one; 0 if none accepted
	off    []uint32                       // station i's numbers are nums[off[i]:off[i+1]]
	nums   []int32                        // votes fit: an acta's numbers have at most 9 digits
}

func newFigures(def *election.Definition) *figures {
	f := &figures{def: def, ballot: map[string][]*election.Contest{},
		entry: make([]uint64, len(def.Stations)), off: make([]uint32, len(def.Stations)+1)}
	n := 0
	for i, st := range def.Stations {
		b, ok := f.ballot[st.Area]
		if !ok {
			b = def.Ballot(st)
			f.ballot[st.Area] = b
		}
		n++
		for _, c := range b {
			n += len(c.Candidates) + 2
		}
		f.off[i+1] = uint32(n)
	}
	f.nums = make([]int32, n)
	return f
}

// add records station i's accepted final acta, logged at index.
func (f *figures) add(i int, index uint64, sa *acta.Signed) {
	f.entry[i] = index + 1
	nums := f.nums[f.off[i]:f.off[i+1]]
	nums[0] = int32(sa.Ballots)
	k := 1
	for _, t := range sa.Contests {
		for _, x := range t.Candidates {
			nums[k] = int32(x.Votes)
			k++
		}
		nums[k], nums[k+1] = int32(t.Blank), int32(t.Null)
		k += 2
	}
}

// reported returns the log entry of station i's accepted final acta, if any.
func (f *figures) reported(i int) (uint64, bool) {
	e := f.entry[i]
	return e - 1, e > 0
}

// station returns station i's ballots, and its numbers of each contest on
// its ballot: the candidates' votes, blank and null.
func (f *figures) station(i int) (ballot []*election.Contest, ballots int, nums []int32) {
	nums = f.nums[f.off[i]:f.off[i+1]]
	return f.ballot[f.def.Stations[i].Area], int(nums[0]), nums[1:]
}

// results holds the totals of every jurisdiction, kept up to date as final
// actas are accepted, so that reading them costs no more than copying them.
type results struct {
	def   *election.Definition
	areas map[string]*tally   // by area path; "" is the whole election
	chain map[string][]*tally // by a station's area: its tally and its ancestors'
}

type tally struct {
	expected, registered  int // stations and registered voters, reported or not
	reported, regReported int
	ballots               int
	contests              map[string]*contestTally
}

type contestTally struct {
	votes       []int // by the candidate's position in the contest
	blank, null int
}

func newResults(def *election.Definition) *results {
	r := &results{def: def, areas: map[string]*tally{}, chain: map[string][]*tally{}}
	for _, st := range def.Stations {
		chain, ok := r.chain[st.Area]
		if !ok {
			for _, a := range areaChain(st.Area) {
				t := r.areas[a]
				if t == nil {
					t = &tally{contests: map[string]*contestTally{}}
					r.areas[a] = t
				}
				chain = append(chain, t)
			}
			r.chain[st.Area] = chain
		}
		for _, t := range chain {
			t.expected++
			t.registered += st.Registered
		}
	}
	return r
}

// areaChain returns the paths of an area and its ancestors, and "".
func areaChain(area string) []string {
	out := []string{""}
	for i := 0; i <= len(area); i++ {
		if i == len(area) || area[i] == '/' {
			out = append(out, area[:i])
		}
	}
	return out
}

// add counts station i's figures.
func (r *results) add(f *figures, i int) {
	st := r.def.Stations[i]
	ballot, ballots, nums := f.station(i)
	for _, t := range r.chain[st.Area] {
		t.reported++
		t.regReported += st.Registered
		t.ballots += ballots
		k := 0
		for _, c := range ballot {
			ct := t.contests[c.ID]
			if ct == nil {
				ct = &contestTally{votes: make([]int, len(c.Candidates))}
				t.contests[c.ID] = ct
			}
			for j := range ct.votes {
				ct.votes[j] += int(nums[k+j])
			}
			k += len(ct.votes)
			ct.blank += int(nums[k])
			ct.null += int(nums[k+1])
			k += 2
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
		for i, x := range c.Candidates {
			v := 0
			if ct != nil {
				v = ct.votes[i]
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
