package audit

import (
	"errors"
	"fmt"
	"sort"

	"github.com/triplicate-vote/triplicate/internal/auditmath"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// batchResult is a station's figures as MACRO takes them: votes per
// candidate per contest.
func batchResult(rep *Reported, station string, f tally.Figures) auditmath.BatchResult {
	st := rep.Def.Station(station)
	ballot := rep.Def.Ballot(st)
	br := auditmath.BatchResult{Ballots: int64(max(f.Ballots, 0)), Votes: map[string]map[string]int64{}}
	for i, c := range ballot {
		cands, _, _ := f.Contest(ballot, i)
		m := map[string]int64{}
		for j, x := range c.Candidates {
			m[x.ID] = int64(max(cands[j], 0))
		}
		br.Votes[c.ID] = m
	}
	return br
}

// reportedBatches is every announced station as a MACRO batch.
func reportedBatches(rep *Reported) map[string]auditmath.BatchResult {
	out := map[string]auditmath.BatchResult{}
	for id, f := range rep.Stations {
		out[id] = batchResult(rep, id, f)
	}
	return out
}

// macroDrawn is the stations drawn in the complete rounds, in order, with
// repetitions, and the draws of later rounds still waiting for a hand count.
func macroDrawn(a *RLA, audited map[string]tally.Figures) (draws []string, complete int, missing []Draw) {
	for _, round := range a.Rounds {
		var waiting []Draw
		for _, d := range round.Draws {
			if _, ok := audited[d.Station]; !ok {
				waiting = append(waiting, d)
			}
		}
		if len(waiting) > 0 || len(missing) > 0 {
			missing = append(missing, waiting...)
			continue
		}
		complete++
		for _, d := range round.Draws {
			draws = append(draws, d.Station)
		}
	}
	return draws, complete, missing
}

// macroStatus measures a batch-comparison audit from the hand actas.
func macroStatus(a *RLA, rep *Reported, handDir string, r *Report) error {
	hand, refs, err := handCounts(rep.Def, handDir)
	if err != nil {
		return err
	}
	r.HandCounts = refs
	draws, complete, missing := macroDrawn(a, hand)
	r.Complete, r.Missing = complete, missing
	reported := reportedBatches(rep)
	audited := map[string]auditmath.BatchResult{}
	var ids []string
	for id, f := range hand {
		audited[id] = batchResult(rep, id, f)
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if _, ok := rep.Stations[id]; !ok {
			continue
		}
		for _, c := range rep.Def.Contests {
			votes, ok := audited[id].Votes[c.ID]
			if !ok {
				continue
			}
			rv := reported[id].Votes[c.ID]
			for _, x := range c.Candidates {
				if rv[x.ID] != votes[x.ID] {
					r.Discrepancies = append(r.Discrepancies, Discrepancy{Station: id, Contest: c.ID, Reported: rv, Audited: votes})
					break
				}
			}
		}
	}
	risk, confirmed := 1.0, false
	if len(draws) > 0 {
		risk, confirmed = auditmath.MacroRisk(a.RiskLimit, rep.Contests, reported, audited, draws)
	}
	next := int64(0)
	full := false
	if !confirmed {
		n, err := macroSize(a, rep, audited, draws)
		switch {
		case errors.Is(err, auditmath.ErrAllAudited):
			full = true // every station counted: the hand count is the result
		case err != nil:
			return err
		default:
			next = n
			full = n >= int64(len(rep.Stations))
		}
	}
	for _, c := range rep.Contests {
		r.Contests = append(r.Contests, ContestOutcome{Contest: c.ID, Margin: c.Margin(), Risk: risk, Confirmed: confirmed, NextRound: next, FullHandCount: full})
	}
	return nil
}

// macroSize is MACRO's next round size, in station draws.
func macroSize(a *RLA, rep *Reported, audited map[string]auditmath.BatchResult, draws []string) (int64, error) {
	if audited == nil {
		audited = map[string]auditmath.BatchResult{}
	}
	return auditmath.MacroSampleSize(a.RiskLimit, rep.Contests, reportedBatches(rep), audited, draws)
}

// macroDraws draws n stations with probability proportional to their error
// bound, after the already drawn ones.
func macroDraws(a *RLA, rep *Reported, n int) ([]Draw, error) {
	var batches []auditmath.WeightedBatch
	var total float64
	bounds := map[string]float64{}
	for id := range rep.Stations {
		u := auditmath.MacroErrorBound(rep.Contests, batchResult(rep, id, rep.Stations[id]))
		bounds[id] = u
		total += u
	}
	if total <= 0 {
		return nil, fmt.Errorf("no station can hold an error: nothing to draw")
	}
	for id, u := range bounds {
		batches = append(batches, auditmath.WeightedBatch{Key: auditmath.BatchKey{Jurisdiction: a.Election, Name: id}, Weight: u / total})
	}
	var previous []auditmath.BatchKey
	for _, d := range a.drawn() {
		previous = append(previous, auditmath.BatchKey{Jurisdiction: a.Election, Name: d.Station})
	}
	got, err := auditmath.BatchSample(a.Seed, batches, n, previous)
	if err != nil {
		return nil, err
	}
	out := make([]Draw, len(got))
	for i, d := range got {
		out[i] = Draw{Ticket: d.Ticket, Station: d.Key.Name}
	}
	return out, nil
}
