package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/triplicate-vote/triplicate/internal/auditmath"
	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/strictjson"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// Method is how a risk-limiting audit compares paper with the reported
// result.
type Method string

const (
	// MACRO: batch comparison. Stations are drawn with probability
	// proportional to their error bound; each drawn station's box is hand
	// counted and compared with its reported figures.
	MACRO Method = "macro"
	// BRAVO: ballot polling. Single vouchers are drawn; each drawn voucher's
	// choices are read, with no comparison to any station's figures.
	BRAVO Method = "bravo"
	// Minerva: ballot polling as BRAVO, with a test that needs fewer
	// ballots when rounds are large.
	Minerva Method = "minerva"
	// ALPHA: ballot polling of the SHANGRLA assertions that each
	// contest's outcome rests on under its own rule (plurality with any
	// number of seats, majority and threshold rules with a runoff, party
	// lists, referendums), tested by ALPHA; vouchers are drawn without
	// replacement.
	ALPHA Method = "alpha"
	// ONEAudit: vouchers drawn as for ALPHA, each compared with its
	// station's acta when the station has a valid signed one that agrees
	// with the announcement (RLA.Compared), the others polled, in one
	// sample and one risk (auditmath.OneAudit).
	ONEAudit Method = "oneaudit"
)

// RLA is a risk-limiting audit in progress, as kept in its directory's
// audit.json: what it audits, from what seed, and every round drawn.
type RLA struct {
	Election string `json:"election"`
	Method   Method `json:"method"`
	Seed     string `json:"seed"`
	// SeedCommitment is the hex SHA-256 of the seed's digits, recorded
	// when the audit is announced before the seed is rolled (Commit):
	// the seed revealed must match it. Empty when the seed was given at
	// the start.
	SeedCommitment  string  `json:"seed_commitment,omitempty"`
	RiskLimit       float64 `json:"risk_limit"`
	Announced       string  `json:"announced"`        // where the reported result was read
	AnnouncedSHA256 string  `json:"announced_sha256"` // of its bytes: the audit is of those
	// Compared are the stations whose vouchers a ONEAudit compares with
	// their acta, sorted; fixed when the audit starts, before the draw.
	Compared []string `json:"compared,omitempty"`
	Rounds   []Round  `json:"rounds"`
}

// Round is one round's sample.
type Round struct {
	Number int    `json:"number"`
	Draws  []Draw `json:"draws"`
	// FullHandCount: the evidence calls for counting every box instead of
	// another round.
	FullHandCount bool `json:"full_hand_count,omitempty"`
}

// Draw is one draw of a round: a station (MACRO) or a voucher of a station
// (ballot polling; Ballot is its position in the box, from 1).
type Draw struct {
	Ticket  string `json:"ticket"`
	Station string `json:"station"`
	Ballot  int    `json:"ballot,omitempty"`
}

// StateFile is the name of an audit's state in its directory.
const StateFile = "audit.json"

// Load reads an audit's state from its directory.
func Load(dir string) (*RLA, error) {
	data, err := os.ReadFile(filepath.Join(dir, StateFile))
	if err != nil {
		return nil, err
	}
	var a RLA
	if err := strictjson.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("%s: %v", filepath.Join(dir, StateFile), err)
	}
	return &a, nil
}

// Save writes the state durably: a crash leaves the old state or the new.
func (a *RLA) Save(dir string) error {
	data, err := json.MarshalIndent(a, "", " ")
	if err != nil {
		return err
	}
	return durable.WriteFile(filepath.Join(dir, StateFile), append(data, '\n'), 0o644)
}

// Reported is the result an audit checks: the center's announced figures,
// station by station, and each contest's totals.
type Reported struct {
	Def      *election.Definition
	Stations map[string]tally.Figures
	Contests []auditmath.Contest // the contests with a loser: the others need no audit
	Ballots  int64               // every announced station's ballots: the vouchers drawn from
	// Totals are every contest's reported figures, in the order of its
	// candidates, for the audits that decide it under its rule (ALPHA).
	Totals map[string]contest.Totals
}

// has reports whether a station's ballot has a contest.
func (r *Reported) has(station, contest string) bool {
	st := r.Def.Station(station)
	return st != nil && election.ContestIndex(r.Def.Ballot(st), contest) >= 0
}

// ReadReported reads the announced figures an audit checks, and checks they
// are the bytes the audit started from (if sum is not empty).
func ReadReported(def *election.Definition, name string, data []byte, sum string) (*Reported, error) {
	if got := SHA256(data); sum != "" && got != sum {
		return nil, fmt.Errorf("%s: SHA-256 %s, but the audit is of the announcement with SHA-256 %s", name, got, sum)
	}
	ann, problems := tally.ParseAnnounced(def, name, data)
	if ann == nil || len(problems) > 0 {
		return nil, fmt.Errorf("%s", problems[0])
	}
	r := &Reported{Def: def, Stations: map[string]tally.Figures{}}
	for _, s := range ann.Stations {
		if _, dup := r.Stations[s.Station]; dup {
			return nil, fmt.Errorf("%s: station %s announced twice", name, s.Station)
		}
		r.Stations[s.Station] = s.Figures
	}
	r.Totals = map[string]contest.Totals{}
	for _, c := range def.Contests {
		r.Totals[c.ID] = contestTotals(def, r.Stations, c)
		ct := auditmath.Contest{ID: c.ID, Votes: map[string]int64{}, NumWinners: 1}
		for _, x := range c.Candidates {
			ct.Votes[x.ID] = 0
		}
		for _, st := range def.Stations {
			f, ok := r.Stations[st.ID]
			ballot := def.Ballot(st)
			i := election.ContestIndex(ballot, c.ID)
			if !ok || i < 0 {
				continue
			}
			cands, _, _ := f.Contest(ballot, i)
			for j, x := range c.Candidates {
				ct.Votes[x.ID] += int64(cands[j])
			}
			ct.Ballots += int64(f.Ballots)
		}
		if ct.Ballots > 0 && len(ct.Losers()) > 0 {
			r.Contests = append(r.Contests, ct)
		}
	}
	for _, f := range r.Stations {
		r.Ballots += int64(f.Ballots)
	}
	if len(r.Contests) == 0 {
		return nil, fmt.Errorf("%s: no station announced: nothing to audit", name)
	}
	return r, nil
}

// contestTotals sums the announced figures of contest c over the stations
// whose ballot has it. A station's registered voters are its announced
// ones, or the definition's when the announcement does not give them.
func contestTotals(def *election.Definition, stations map[string]tally.Figures, c *election.Contest) contest.Totals {
	t := contest.Totals{Votes: make([]int64, len(c.Candidates))}
	for _, st := range def.Stations {
		f, ok := stations[st.ID]
		ballot := def.Ballot(st)
		i := election.ContestIndex(ballot, c.ID)
		if !ok || i < 0 {
			continue
		}
		cands, blank, null := f.Contest(ballot, i)
		for j, v := range cands {
			t.Votes[j] += int64(max(v, 0))
		}
		t.Blank += int64(max(blank, 0))
		t.Null += int64(max(null, 0))
		t.Ballots += int64(max(f.Ballots, 0))
		reg := f.Registered
		if reg == tally.Unknown {
			reg = int32(st.Registered)
		}
		t.Registered += int64(max(reg, 0))
	}
	return t
}

// SHA256 is the hex SHA-256 of data.
func SHA256(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// drawn returns every draw of every round.
func (a *RLA) drawn() []Draw {
	var out []Draw
	for _, r := range a.Rounds {
		out = append(out, r.Draws...)
	}
	return out
}

// ErrConfirmed: every contest is confirmed; there is nothing to draw.
var ErrConfirmed = errors.New("every contest is confirmed within the risk limit: nothing more to draw")

// Recheck draws every round of the audit again from its seed and the
// reported result, with the sizes recorded, and checks that each draw is the
// one recorded: anyone can rerun the sample, and a changed audit.json is
// caught.
func Recheck(a *RLA, rep *Reported) error {
	redo := &RLA{Election: a.Election, Method: a.Method, Seed: a.Seed, RiskLimit: a.RiskLimit, Compared: a.Compared}
	for _, round := range a.Rounds {
		var draws []Draw
		switch a.Method {
		case MACRO:
			var err error
			if draws, err = macroDraws(redo, rep, len(round.Draws)); err != nil {
				return err
			}
		default:
			draws = ballotDraws(redo, rep, len(round.Draws))
		}
		if len(draws) != len(round.Draws) {
			return fmt.Errorf("round %d: %d draws recorded, the seed gives %d", round.Number, len(round.Draws), len(draws))
		}
		for i, d := range draws {
			if d != round.Draws[i] {
				return fmt.Errorf("round %d, draw %d: recorded %+v, but the seed gives %+v", round.Number, i+1, round.Draws[i], d)
			}
		}
		redo.Rounds = append(redo.Rounds, round)
	}
	return nil
}

// ballotDraws draws n vouchers after those already drawn: with
// replacement for BRAVO and Minerva, without for ALPHA and ONEAudit.
func ballotDraws(a *RLA, rep *Reported, n int) []Draw {
	manifest := map[string]int{}
	for id, f := range rep.Stations {
		manifest[id] = int(f.Ballots)
	}
	var out []Draw
	for _, d := range auditmath.BallotSample(a.Seed, manifest, n, a.Method != ALPHA && a.Method != ONEAudit, len(a.drawn())) {
		out = append(out, Draw{Ticket: d.Ticket, Station: d.Batch, Ballot: d.Ballot})
	}
	return out
}
