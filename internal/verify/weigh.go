package verify

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// Outcome weighs one contest: the winner as announced, the totals corrected
// with the strongest evidence of each station, and what decides it.
type Outcome struct {
	Contest    string           `json:"contest"`
	Name       string           `json:"name"`
	Candidates []CandidateTotal `json:"candidates"` // in the definition's order

	// AnnouncedFrom says where the announced totals come from: "totals"
	// (the center's), "stations" (the sum of its announced stations), or ""
	// when nothing was announced (then the announced columns are empty).
	AnnouncedFrom   string `json:"announced_from"`
	AnnouncedWinner string `json:"announced_winner,omitempty"`
	AnnouncedMargin int64  `json:"announced_margin"`

	CorrectedWinner string `json:"corrected_winner"`
	CorrectedMargin int64  `json:"corrected_margin"` // over the runner-up
	RunnerUp        string `json:"runner_up"`
	// Flips: the corrected winner is not the announced one.
	Flips bool `json:"flips"`

	// Stations whose corrected figures come from each kind of evidence:
	// "hand", "machine", "announced", "unsigned".
	Evidence map[string]int `json:"evidence"`
	// Missing stations (no count anywhere) on this contest's ballot, and
	// their registered voters: the most they could add to the runner-up.
	Missing           int   `json:"missing"`
	MissingRegistered int64 `json:"missing_registered"`
	// Decided: the corrected winner leads by more than every missing voter
	// could give the runner-up.
	Decided bool `json:"decided"`

	// Decisive is the smallest set of stations whose figures decide the
	// outcome, and Why says in what sense (see weigh).
	Decisive []string `json:"decisive"`
	Why      string   `json:"why"`
}

// CandidateTotal is a candidate's (or blank's, null's) announced and
// corrected votes.
type CandidateTotal struct {
	Candidate string `json:"candidate"`
	Name      string `json:"name"`
	Announced int64  `json:"announced"`
	Corrected int64  `json:"corrected"`
}

// weighing is one station's figures for weighing a contest.
type weighing struct {
	station   *election.Station
	best      *Count // nil: missing
	strength  string
	announced *Count
}

// weigh weighs one contest over the stations whose ballot has it.
func (v *Verifier) weigh(c *election.Contest, stations []weighing) Outcome {
	o := Outcome{Contest: c.ID, Name: c.Name, Evidence: map[string]int{}}
	n := len(c.Candidates)
	corrected := make([]int64, n+2)
	announced := make([]int64, n+2)
	anyAnnounced := false
	// per-station votes of the contest, for the decisive set
	type stationVotes struct {
		id        string
		best, ann []int32
		reg       int64
	}
	var sv []stationVotes
	for _, w := range stations {
		ballot := v.def.Ballot(w.station)
		i := election.ContestIndex(ballot, c.ID)
		s := stationVotes{id: w.station.ID, reg: int64(w.station.Registered)}
		if w.best == nil {
			o.Missing++
			o.MissingRegistered += int64(w.station.Registered)
		} else {
			o.Evidence[w.strength]++
			cands, blank, null := w.best.Figures.Contest(ballot, i)
			s.best = append(slices.Clone(cands), blank, null)
			addKnown(corrected, s.best)
		}
		if w.announced != nil {
			anyAnnounced = true
			cands, blank, null := w.announced.Figures.Contest(ballot, i)
			s.ann = append(slices.Clone(cands), blank, null)
			addKnown(announced, s.ann)
		}
		sv = append(sv, s)
	}
	switch {
	case v.totals[c.ID] != nil:
		o.AnnouncedFrom = "totals"
		t := v.totals[c.ID]
		for j, x := range c.Candidates {
			announced[j] = t[x.ID]
		}
		announced[n], announced[n+1] = t["blank"], t["null"]
	case anyAnnounced:
		o.AnnouncedFrom = "stations"
	}
	for j, x := range c.Candidates {
		o.Candidates = append(o.Candidates, CandidateTotal{Candidate: x.ID, Name: x.Name, Announced: announced[j], Corrected: corrected[j]})
	}
	o.Candidates = append(o.Candidates,
		CandidateTotal{Candidate: "blank", Name: "blank", Announced: announced[n], Corrected: corrected[n]},
		CandidateTotal{Candidate: "null", Name: "null", Announced: announced[n+1], Corrected: corrected[n+1]})

	win, run := leaders(corrected[:n])
	o.CorrectedWinner, o.RunnerUp = c.Candidates[win].ID, c.Candidates[run].ID
	o.CorrectedMargin = corrected[win] - corrected[run]
	o.Decided = o.CorrectedMargin > o.MissingRegistered
	if o.AnnouncedFrom != "" {
		aw, ar := leaders(announced[:n])
		o.AnnouncedWinner, o.AnnouncedMargin = c.Candidates[aw].ID, announced[aw]-announced[ar]
		o.Flips = aw != win
	}

	// The decisive set. If the winner flips: the fewest stations whose
	// announced figures, corrected, undo the announced lead (largest
	// correction first). Otherwise: the fewest stations whose figures, were
	// they wholly false (the winner's votes gone, every registered voter
	// the runner-up's), could overturn the corrected lead.
	type swing struct {
		id string
		by int64
	}
	var swings []swing
	need := o.CorrectedMargin
	if o.Flips {
		aw := c.CandidateIndex(o.AnnouncedWinner)
		need = announced[aw] - announced[win]
		for _, s := range sv {
			if s.best == nil {
				continue
			}
			// A station the center left out of its announcement counts
			// there as no votes.
			ann := s.ann
			if ann == nil {
				ann = make([]int32, len(s.best))
			}
			if by := (known(ann[aw]) - known(s.best[aw])) - (known(ann[win]) - known(s.best[win])); by > 0 {
				swings = append(swings, swing{s.id, by})
			}
		}
		o.Why = fmt.Sprintf("correcting the announced figures of these stations to their strongest evidence undoes %s's announced lead of %d over %s", o.AnnouncedWinner, need, o.CorrectedWinner)
	} else {
		for _, s := range sv {
			if s.best == nil {
				continue
			}
			swings = append(swings, swing{s.id, known(s.best[win]) + s.reg - known(s.best[run])})
		}
		o.Why = fmt.Sprintf("fewer stations than these, were their figures wholly false, cannot overturn %s's lead of %d over %s", o.CorrectedWinner, o.CorrectedMargin, o.RunnerUp)
	}
	slices.SortStableFunc(swings, func(a, b swing) int { return cmp.Compare(b.by, a.by) })
	sum := int64(0)
	for _, s := range swings {
		if sum > need {
			break
		}
		o.Decisive = append(o.Decisive, s.id)
		sum += s.by
	}
	if sum <= need {
		o.Decisive = nil
		o.Why = "no set of stations' figures explains the difference: it lies in the announced totals themselves"
		if !o.Flips {
			o.Why = "no set of stations could overturn the lead"
		}
	}
	return o
}

// known is a figure, tally.Unknown counting as 0.
func known(x int32) int64 { return int64(max(x, 0)) }

func addKnown(sum []int64, votes []int32) {
	for i, x := range votes {
		if x != tally.Unknown {
			sum[i] += int64(x)
		}
	}
}

// leaders returns the positions of the most and second most voted (ties go
// to the earlier candidate).
func leaders(votes []int64) (first, second int) {
	first, second = 0, -1
	for i := 1; i < len(votes); i++ {
		switch {
		case votes[i] > votes[first]:
			first, second = i, first
		case second < 0 || votes[i] > votes[second]:
			second = i
		}
	}
	if second < 0 {
		second = first
	}
	return first, second
}
