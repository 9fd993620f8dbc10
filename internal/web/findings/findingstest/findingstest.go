// Package findingstest makes findings of every kind of the verifier's
// checks, with figures, for the tests of the pages that show them.
package findingstest

import "github.com/triplicate-vote/triplicate/internal/verify"

// Every returns one finding of each check in verify.Checks (and of a check
// no version knows), at the given stations in turn — even the checks of
// the whole election, so that station pages show every kind — for a
// contest and its candidates: each with the counts the verifier would
// give it, their figures differing where the check says they differ.
func Every(stations []string, contest string, candidates []string) []verify.Finding {
	count := func(src string, kind verify.SourceKind, what string, index int64, shift int32) verify.CountView {
		c := verify.CountView{Source: src, SourceKind: kind, Kind: what, Signed: kind == verify.KindLog || kind == verify.KindCopy,
			Registered: 500, Ballots: 300 + shift}
		cc := verify.ContestCounts{Contest: contest, Blank: 2, Null: 3}
		left := 295 + shift
		for i, x := range candidates {
			v := left / 2
			if i == len(candidates)-1 {
				v = left
			}
			left -= v
			cc.Candidates = append(cc.Candidates, verify.CandidateCount{Candidate: x, Votes: v})
		}
		c.Contests = []verify.ContestCounts{cc}
		if index >= 0 {
			c.Index = &index
		}
		return c
	}
	logged := func(shift int32) verify.CountView { return count("log", verify.KindLog, "final", 12, shift) }
	announced := func(shift int32) verify.CountView {
		return count("announced", verify.KindAnnounced, "final", -1, shift)
	}
	hand := func(shift int32) verify.CountView { return count("audit", verify.KindLog, "hand", 40, shift) }
	impossible := count("observers.csv", verify.KindUnsigned, "final", -1, 0)
	impossible.Ballots = 700
	entry := uint64(7)
	byCheck := map[verify.Check]verify.Finding{
		verify.CheckAltered:         {Proven: true, Counts: []verify.CountView{logged(0), announced(40)}},
		verify.CheckEquivocation:    {Proven: true, Counts: []verify.CountView{logged(0), count("copies", verify.KindCopy, "final", -1, 9)}},
		verify.CheckSubstitution:    {Proven: true, Counts: []verify.CountView{logged(0)}},
		verify.CheckTotals:          {Proven: true},
		verify.CheckHandCount:       {Proven: true, Counts: []verify.CountView{logged(0), hand(-3)}},
		verify.CheckOmitted:         {Proven: true, Counts: []verify.CountView{logged(0)}},
		verify.CheckOutcome:         {Proven: true},
		verify.CheckReopened:        {Proven: true, Counts: []verify.CountView{count("log", verify.KindLog, "zero", 3, 0), logged(0)}},
		verify.CheckSplitView:       {Proven: true},
		verify.CheckOtherDefinition: {Proven: true},
		verify.CheckImpossible:      {Counts: []verify.CountView{impossible}},
		verify.CheckDuplicate:       {Counts: []verify.CountView{announced(0), announced(5)}},
		verify.CheckMissing:         {Proven: true},
		verify.CheckUnsigned:        {Counts: []verify.CountView{logged(0), count("observers.csv", verify.KindUnsigned, "final", -1, 11)}},
		verify.CheckInvalidEntry:    {Proven: true, Evidence: []verify.Evidence{{Kind: "log-entry", Source: "log", Index: &entry}}},
		verify.CheckAudit:           {},
	}
	var out []verify.Finding
	for i, c := range append(append([]verify.Check{}, verify.Checks...), "a-newer-check") {
		f := byCheck[c]
		f.Check = c
		f.Station = stations[i%len(stations)]
		f.Summary = "the verifier's own words about " + string(c)
		out = append(out, f)
	}
	return out
}
