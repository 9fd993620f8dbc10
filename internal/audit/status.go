package audit

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/auditmath"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
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
	HandCounts    []HandCountRef   `json:"hand_counts,omitempty"` // the hand actas read (MACRO)
	Polls         int              `json:"polls,omitempty"`       // vouchers polled (ballot polling)
	Discrepancies []Discrepancy    `json:"discrepancies"`
	Contests      []ContestOutcome `json:"contests"`
	// Decision: "confirmed" (every contest within the risk limit), "next
	// round" (draw NextRound more), "waiting" (paper of drawn items not yet
	// recorded) or "full hand count".
	Decision  string `json:"decision"`
	NextRound int64  `json:"next_round,omitempty"`
}

// HandCountRef is a hand acta the audit read, and the parties whose
// witnesses cosigned it.
type HandCountRef struct {
	File      string   `json:"file"`
	Station   string   `json:"station"`
	Witnesses []string `json:"witnesses"`
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
	Contest string `json:"contest"`
	// Margin is the reported diluted margin; under alpha and oneaudit, the
	// fewest ballot changes that could alter the outcome under the
	// contest's rule, over its ballots.
	Margin    float64 `json:"margin"`
	Risk      float64 `json:"risk"`
	Confirmed bool    `json:"confirmed"`
	// NextRound is the size (ballots or station draws) of the next round
	// this contest asks for, if it is not confirmed; FullHandCount when
	// the evidence calls for counting every box instead.
	NextRound     int64 `json:"next_round,omitempty"`
	FullHandCount bool  `json:"full_hand_count,omitempty"`
	// Assertions are the SHANGRLA assertions the contest's outcome rests
	// on and the risk measured for each (ALPHA); the contest's risk is
	// the largest.
	Assertions []AssertionRisk `json:"assertions,omitempty"`
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
	case ALPHA, ONEAudit:
		err = alphaStatus(dir, a, rep, r)
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
//
// Vouchers are drawn from every station's box; a contest is measured on the
// draws from the stations whose ballot has it (given where they fell, such
// draws are uniform over the contest's ballots, with replacement), and its
// round sizes, in its own ballots, are scaled to draws over the whole
// election. A voucher not found in its box counts as a vote for the
// contest's reported runner-up. Once a contest's draws reach its ballots,
// only a full hand count can settle it (BRAVO's shortcut of risk 0 there is
// not taken).
func pollingStatus(dir string, a *RLA, rep *Reported, r *Report) error {
	polls, _, err := loadPolls(dir, rep.Def)
	if err != nil {
		return err
	}
	r.Polls = len(polls)
	sizes := map[string][]int64{}               // per contest, per complete round: its draws
	perRound := map[string][]map[string]int64{} // per contest, per complete round: choices
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
		for _, c := range rep.Contests {
			runnerUp := c.Losers()[0]
			m := map[string]int64{}
			var n int64
			for _, d := range round.Draws {
				if !rep.has(d.Station, c.ID) {
					continue
				}
				n++
				x := polls[pollKey{d.Station, d.Ballot}].Choices[c.ID]
				if x == NotFound {
					x = runnerUp
				}
				m[x]++
			}
			sizes[c.ID] = append(sizes[c.ID], n)
			perRound[c.ID] = append(perRound[c.ID], m)
		}
	}
	for _, c := range rep.Contests {
		co := ContestOutcome{Contest: c.ID, Margin: c.Margin(), Risk: 1}
		cum := map[string]int64{}
		var drawn int64
		for i, m := range perRound[c.ID] {
			drawn += sizes[c.ID][i]
			for k, v := range m {
				if _, isCand := c.Votes[k]; isCand {
					cum[k] += v
				}
			}
		}
		if drawn >= c.Ballots {
			co.FullHandCount = true
			r.Contests = append(r.Contests, co)
			continue
		}
		if r.Complete > 0 {
			switch a.Method {
			case BRAVO:
				co.Risk, co.Confirmed = auditmath.BravoRisk(c, a.RiskLimit, withDrawn(cum, drawn))
			case Minerva:
				co.Risk, co.Confirmed = auditmath.MinervaRisk(c, a.RiskLimit, sizes[c.ID], candidatesOnly(c, perRound[c.ID]))
			}
		}
		if !co.Confirmed {
			var opts map[string]int64
			var err error
			if a.Method == BRAVO {
				opts, err = auditmath.BravoSampleSizes(c, a.RiskLimit, withDrawn(cum, drawn))
			} else {
				opts, err = auditmath.MinervaSampleSizes(c, a.RiskLimit, sizes[c.ID], candidatesOnly(c, perRound[c.ID]))
			}
			if err := co.nextRound(rep, c, opts, err, drawn); err != nil {
				return err
			}
		}
		r.Contests = append(r.Contests, co)
	}
	return nil
}

// nextRound sets the contest's next round from the size options, in the
// contest's ballots, scaled to draws over the whole election; or a full
// hand count, when the options say so or the round would reach the
// contest's ballots.
func (co *ContestOutcome) nextRound(rep *Reported, c auditmath.Contest, opts map[string]int64, err error, drawn int64) error {
	switch {
	case errors.Is(err, auditmath.ErrAllAudited):
		co.FullHandCount = true
		return nil
	case err != nil:
		return fmt.Errorf("contest %s: %w", c.ID, err)
	case opts["all-ballots"] > 0:
		co.FullHandCount = true
		return nil
	}
	n := opts["0.9"]
	if n == 0 {
		n = opts["asn"]
	}
	if n <= 0 || drawn+n >= c.Ballots {
		co.FullHandCount = true
		return nil
	}
	co.NextRound = int64(math.Ceil(float64(n) * float64(rep.Ballots) / float64(c.Ballots)))
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
	case BRAVO, Minerva, ALPHA, ONEAudit:
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
// contests of the 90% option (MACRO: its draws with no discrepancy).
func FirstRoundSize(a *RLA, rep *Reported) (*Report, error) {
	r := &Report{Decision: "next round"}
	if a.Method == ALPHA || a.Method == ONEAudit {
		if err := alphaFirstRound(a, rep, r); err != nil {
			return nil, err
		}
		r.decide()
		return r, nil
	}
	for _, c := range rep.Contests {
		co := ContestOutcome{Contest: c.ID, Margin: c.Margin(), Risk: 1}
		switch a.Method {
		case BRAVO, Minerva:
			var opts map[string]int64
			var err error
			if a.Method == BRAVO {
				opts, err = auditmath.BravoSampleSizes(c, a.RiskLimit, nil)
			} else {
				opts, err = auditmath.MinervaSampleSizes(c, a.RiskLimit, nil, nil)
			}
			if err := co.nextRound(rep, c, opts, err, 0); err != nil {
				return nil, err
			}
		case MACRO:
			n, err := macroSize(a, rep, nil, nil)
			if err != nil {
				return nil, fmt.Errorf("contest %s: %w", c.ID, err)
			}
			co.NextRound = n
			co.FullHandCount = n >= int64(len(rep.Stations))
		}
		r.Contests = append(r.Contests, co)
	}
	r.decide()
	return r, nil
}

// handCounts reads the hand actas in dir: each auditor-signed, by station.
func handCounts(def *election.Definition, dir string) (map[string]tally.Figures, []HandCountRef, error) {
	out := map[string]tally.Figures{}
	var refs []HandCountRef
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
		if prev, ok := out[id]; ok && prev.Differs(tally.FromActa(sa.Acta)) {
			return nil, nil, fmt.Errorf("%s: a second, different hand count of station %s", p, id)
		}
		out[id] = tally.FromActa(sa.Acta)
		ref := HandCountRef{File: p, Station: id, Witnesses: []string{}}
		for _, s := range sa.Signatures {
			if s.Signer.Role == election.RoleWitness {
				ref.Witnesses = append(ref.Witnesses, s.Signer.Party)
			}
		}
		refs = append(refs, ref)
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].File < refs[j].File })
	return out, refs, nil
}
