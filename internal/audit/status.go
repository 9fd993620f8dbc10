package audit

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/auditmath"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// Report is an audit's report: its seed and sample, what the paper showed,
// the discrepancies with the reported figures, the measured risk of each
// contest and the decision. The verifier reads it (verify -audit).
type Report struct {
	Election        string  `json:"election"`
	Method          Method  `json:"method"`
	Seed            string  `json:"seed"`
	RiskLimit       float64 `json:"risk_limit"`
	Announced       string  `json:"announced"`
	AnnouncedSHA256 string  `json:"announced_sha256"`
	Rounds          []Round `json:"rounds"`
	// Complete is how many rounds have every draw's paper recorded; the
	// risk is measured over those.
	Complete int `json:"complete_rounds"`
	// Missing are the draws of later rounds still waiting for the paper.
	Missing       []Draw           `json:"missing,omitempty"`
	HandCounts    []string         `json:"hand_counts,omitempty"` // the hand actas read (MACRO)
	Polls         int              `json:"polls,omitempty"`       // vouchers polled (ballot polling)
	Discrepancies []Discrepancy    `json:"discrepancies"`
	Contests      []ContestOutcome `json:"contests"`
	// Decision: "confirmed" (every contest within the risk limit), "next
	// round" (draw NextRound more), "waiting" (paper of drawn items not yet
	// recorded) or "full hand count".
	Decision  string `json:"decision"`
	NextRound int64  `json:"next_round,omitempty"`
}

// Discrepancy is a station whose hand count differs from its reported
// figures (MACRO), in one contest.
type Discrepancy struct {
	Station  string           `json:"station"`
	Contest  string           `json:"contest"`
	Reported map[string]int64 `json:"reported"`
	Audited  map[string]int64 `json:"audited"`
}

// ContestOutcome is one contest's measured risk.
type ContestOutcome struct {
	Contest   string  `json:"contest"`
	Margin    float64 `json:"margin"` // reported diluted margin
	Risk      float64 `json:"risk"`
	Confirmed bool    `json:"confirmed"`
	// NextRound is the size (ballots or station draws) of the next round
	// this contest asks for, if it is not confirmed; FullHandCount when
	// the evidence calls for counting every box instead.
	NextRound     int64 `json:"next_round,omitempty"`
	FullHandCount bool  `json:"full_hand_count,omitempty"`
}

// Status measures the audit: the risk of each contest over the complete
// rounds, and what to do next. handDir holds the hand actas (MACRO); the
// polls are in dir (ballot polling).
func Status(dir string, a *RLA, rep *Reported, handDir string) (*Report, error) {
	if err := Recheck(a, rep); err != nil {
		return nil, fmt.Errorf("the audit's sample is not the seed's: %w", err)
	}
	r := &Report{Election: a.Election, Method: a.Method, Seed: a.Seed, RiskLimit: a.RiskLimit,
		Announced: a.Announced, AnnouncedSHA256: a.AnnouncedSHA256, Rounds: a.Rounds, Discrepancies: []Discrepancy{}}
	var err error
	switch a.Method {
	case BRAVO, Minerva:
		err = pollingStatus(dir, a, rep, r)
	case MACRO:
		err = macroStatus(a, rep, handDir, r)
	default:
		err = fmt.Errorf("unknown method %q", a.Method)
	}
	if err != nil {
		return nil, err
	}
	r.decide()
	return r, nil
}

// decide sets the decision from the contests.
func (r *Report) decide() {
	all := true
	for _, c := range r.Contests {
		if !c.Confirmed {
			all = false
			if c.FullHandCount {
				r.Decision = "full hand count"
				return
			}
			r.NextRound = max(r.NextRound, c.NextRound)
		}
	}
	switch {
	case all && len(r.Contests) > 0:
		r.Decision = "confirmed"
	case len(r.Missing) > 0:
		r.Decision = "waiting"
		r.NextRound = 0
	default:
		r.Decision = "next round"
	}
}

// pollingStatus measures a ballot-polling audit from the recorded polls.
func pollingStatus(dir string, a *RLA, rep *Reported, r *Report) error {
	polls, _, err := LoadPolls(dir, rep.Def)
	if err != nil {
		return err
	}
	r.Polls = len(polls)
	// The complete rounds: every draw polled.
	var roundSizes []int64
	perRound := map[string][]map[string]int64{}
	for _, round := range a.Rounds {
		var missing []Draw
		for _, d := range round.Draws {
			if _, ok := polls[pollKey{d.Station, d.Ballot}]; !ok {
				missing = append(missing, d)
			}
		}
		if len(missing) > 0 || len(r.Missing) > 0 {
			r.Missing = append(r.Missing, missing...)
			continue
		}
		r.Complete++
		roundSizes = append(roundSizes, int64(len(round.Draws)))
		for _, c := range rep.Contests {
			m := map[string]int64{}
			for _, d := range round.Draws {
				if x, ok := polls[pollKey{d.Station, d.Ballot}].Choices[c.ID]; ok {
					m[x]++
				}
			}
			perRound[c.ID] = append(perRound[c.ID], m)
		}
	}
	for _, c := range rep.Contests {
		co := ContestOutcome{Contest: c.ID, Margin: c.Margin(), Risk: 1}
		cum := map[string]int64{}
		for _, m := range perRound[c.ID] {
			for k, v := range m {
				if _, isCand := c.Votes[k]; isCand {
					cum[k] += v
				}
			}
		}
		// Ballots with neither candidate (blank, null) count as drawn.
		var drawn int64
		for _, n := range roundSizes {
			drawn += n
		}
		if len(roundSizes) > 0 {
			switch a.Method {
			case BRAVO:
				co.Risk, co.Confirmed = auditmath.BravoRisk(c, a.RiskLimit, withDrawn(cum, drawn))
			case Minerva:
				co.Risk, co.Confirmed = auditmath.MinervaRisk(c, a.RiskLimit, roundSizes, candidatesOnly(c, perRound[c.ID]))
			}
		}
		if !co.Confirmed {
			var sizes map[string]int64
			var err error
			if a.Method == BRAVO {
				sizes, err = auditmath.BravoSampleSizes(c, a.RiskLimit, withDrawn(cum, drawn))
			} else {
				sizes, err = auditmath.MinervaSampleSizes(c, a.RiskLimit, roundSizes, candidatesOnly(c, perRound[c.ID]))
			}
			switch {
			case errors.Is(err, auditmath.ErrAllAudited):
				co.FullHandCount = true
			case err != nil:
				return fmt.Errorf("contest %s: %w", c.ID, err)
			case sizes["all-ballots"] > 0:
				co.FullHandCount = true
			default:
				co.NextRound = sizes["0.9"]
				if co.NextRound == 0 {
					co.NextRound = sizes["asn"]
				}
				if co.NextRound+drawn >= c.Ballots {
					co.FullHandCount = true
				}
			}
		}
		r.Contests = append(r.Contests, co)
	}
	return nil
}

// withDrawn is a cumulative sample with the ballots drawn that were not for
// any candidate under the key "", as BravoRisk counts them.
func withDrawn(cum map[string]int64, drawn int64) map[string]int64 {
	out := map[string]int64{}
	var votes int64
	for k, v := range cum {
		out[k] = v
		votes += v
	}
	if rest := drawn - votes; rest > 0 {
		out[""] = rest
	}
	return out
}

// candidatesOnly keeps the candidates' counts of each round.
func candidatesOnly(c auditmath.Contest, rounds []map[string]int64) []map[string]int64 {
	out := make([]map[string]int64, len(rounds))
	for i, m := range rounds {
		out[i] = map[string]int64{}
		for k, v := range m {
			if _, ok := c.Votes[k]; ok {
				out[i][k] = v
			}
		}
	}
	return out
}

// NextRound draws the next round of the audit (the size Status asks for)
// and appends it to a. It refuses while drawn paper is not yet recorded,
// once every contest is confirmed, and when a full hand count is due.
func NextRound(a *RLA, rep *Reported, status *Report) (*Round, error) {
	switch {
	case status != nil && status.Decision == "waiting":
		return nil, fmt.Errorf("round %d is not complete: %d draws wait for their paper to be recorded", len(a.Rounds), len(status.Missing))
	case status != nil && status.Decision == "confirmed":
		return nil, ErrConfirmed
	case status != nil && status.Decision == "full hand count":
		return nil, errors.New("the evidence calls for a full hand count, not another round")
	}
	n := int64(0)
	if status != nil {
		n = status.NextRound
	}
	round := &Round{Number: len(a.Rounds) + 1}
	switch a.Method {
	case BRAVO, Minerva:
		if n <= 0 {
			return nil, errors.New("no round size")
		}
		round.Draws = ballotDraws(a, rep, int(n))
	case MACRO:
		draws, err := macroDraws(a, rep, int(n))
		if err != nil {
			return nil, err
		}
		round.Draws = draws
	}
	a.Rounds = append(a.Rounds, *round)
	return round, nil
}

// FirstRoundSize is the size of the first round: the largest over the
// contests of the 90% option.
func FirstRoundSize(a *RLA, rep *Reported) (*Report, error) {
	r := &Report{Decision: "next round"}
	for _, c := range rep.Contests {
		co := ContestOutcome{Contest: c.ID, Margin: c.Margin(), Risk: 1}
		var sizes map[string]int64
		var err error
		switch a.Method {
		case BRAVO:
			sizes, err = auditmath.BravoSampleSizes(c, a.RiskLimit, nil)
		case Minerva:
			sizes, err = auditmath.MinervaSampleSizes(c, a.RiskLimit, nil, nil)
		case MACRO:
			var n int64
			n, err = macroSize(a, rep, nil, nil)
			sizes = map[string]int64{"0.9": n}
		}
		if err != nil {
			return nil, fmt.Errorf("contest %s: %w", c.ID, err)
		}
		if sizes["all-ballots"] > 0 {
			co.FullHandCount = true
		}
		co.NextRound = sizes["0.9"]
		if co.NextRound == 0 {
			co.NextRound = sizes["asn"]
		}
		r.Contests = append(r.Contests, co)
	}
	r.decide()
	return r, nil
}

// handCounts reads the hand actas in dir: each auditor-signed, by station.
func handCounts(def *election.Definition, dir string) (map[string]verify.Figures, []string, error) {
	out := map[string]verify.Figures{}
	var files []string
	paths, err := filepath.Glob(filepath.Join(dir, "*.acta"))
	if err != nil {
		return nil, nil, err
	}
	for _, p := range paths {
		msg, err := os.ReadFile(p)
		if err != nil {
			return nil, nil, err
		}
		sa, err := acta.Open(msg, def)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p, err)
		}
		if sa.Kind != acta.Hand {
			continue
		}
		id := def.Station(sa.Station).ID
		if prev, ok := out[id]; ok && prev.Differs(verify.FromActa(sa.Acta)) {
			return nil, nil, fmt.Errorf("%s: a second, different hand count of station %s", p, id)
		}
		out[id] = verify.FromActa(sa.Acta)
		files = append(files, p)
	}
	sort.Strings(files)
	return out, files, nil
}
