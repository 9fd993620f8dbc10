package audit

import (
	"errors"
	"fmt"
	"sort"

	"github.com/triplicate-vote/triplicate/internal/auditmath"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// StationSample draws n of the election's stations from a public seed,
// without replacement (the quick count's sample; the hot audit's is a
// share instead).
func StationSample(def *election.Definition, seed string, n int) ([]auditmath.Ticket, error) {
	if n < 2 || n > len(def.Stations) {
		return nil, fmt.Errorf("sample of %d stations: want at least 2 and at most the election's %d", n, len(def.Stations))
	}
	ids := make([]string, len(def.Stations))
	for i, st := range def.Stations {
		ids[i] = st.ID
	}
	return auditmath.Sample(seed, ids, n, false), nil
}

// ContestCount is the quick count of one contest.
type ContestCount struct {
	Contest   string                `json:"contest"`
	Stations  int                   `json:"stations"`  // on whose ballot it is
	Sampled   int                   `json:"sampled"`   // of them in the sample
	Collected int                   `json:"collected"` // of those, with a count collected
	Missing   []string              `json:"missing"`   // sampled, not collected: the estimate leaves them out
	Estimate  *auditmath.QuickCount `json:"estimate"`  // nil: fewer than 2 stations collected
	// Announced shares of the valid votes, if an announcement was given,
	// and the candidates whose announced share lies outside the interval.
	Announced map[string]float64 `json:"announced,omitempty"`
	Outside   []string           `json:"outside,omitempty"`
	// WinnerDiffers: the announced winner is not the one the quick count
	// calls.
	WinnerDiffers bool `json:"winner_differs,omitempty"`
}

// QuickCount estimates each contest from the counts collected at the
// sampled stations (observers' copies of the actas), at the given
// confidence, and holds the announced figures, if any, against the
// intervals.
func QuickCount(def *election.Definition, sample []string, counts map[string]tally.Figures, announced *tally.Announcement, confidence float64) ([]ContestCount, error) {
	inSample := map[string]bool{}
	for _, s := range sample {
		inSample[s] = true
	}
	var ann map[string]tally.Figures
	if announced != nil {
		ann = map[string]tally.Figures{}
		for _, s := range announced.Stations {
			ann[s.Station] = s.Figures
		}
	}
	var out []ContestCount
	for _, c := range def.Contests {
		cc := ContestCount{Contest: c.ID}
		var votes []auditmath.StationVotes
		annVotes := map[string]int64{}
		var annValid int64
		for _, st := range def.Stations {
			ballot := def.Ballot(st)
			i := election.ContestIndex(ballot, c.ID)
			if i < 0 {
				continue
			}
			cc.Stations++
			if f, ok := ann[st.ID]; ok {
				cands, _, _ := f.Contest(ballot, i)
				for j, x := range c.Candidates {
					annVotes[x.ID] += int64(max(cands[j], 0))
					annValid += int64(max(cands[j], 0))
				}
			}
			if !inSample[st.ID] {
				continue
			}
			cc.Sampled++
			f, ok := counts[st.ID]
			if !ok {
				cc.Missing = append(cc.Missing, st.ID)
				continue
			}
			cands, _, _ := f.Contest(ballot, i)
			sv := auditmath.StationVotes{}
			known := true
			for j, x := range c.Candidates {
				if cands[j] == tally.Unknown {
					known = false
				}
				sv[x.ID] = int64(cands[j])
			}
			if !known {
				cc.Missing = append(cc.Missing, st.ID)
				continue
			}
			cc.Collected++
			votes = append(votes, sv)
		}
		if cc.Sampled == 0 {
			continue
		}
		est, err := auditmath.EstimateContest(cc.Stations, votes, confidence)
		if errors.Is(err, auditmath.ErrTooFewStations) {
			out = append(out, cc) // not estimated: too few counts collected
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("contest %s: %w", c.ID, err)
		}
		cc.Estimate = est
		if ann != nil && annValid > 0 {
			cc.Announced = map[string]float64{}
			best := ""
			for _, x := range c.Candidates {
				share := float64(annVotes[x.ID]) / float64(annValid)
				cc.Announced[x.ID] = share
				if !est.Shares[x.ID].Contains(share) {
					cc.Outside = append(cc.Outside, x.ID)
				}
				if best == "" || annVotes[x.ID] > annVotes[best] {
					best = x.ID
				}
			}
			sort.Strings(cc.Outside)
			cc.WinnerDiffers = est.Called && best != est.Leader
		}
		out = append(out, cc)
	}
	return out, nil
}
