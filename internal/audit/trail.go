package audit

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// The audit trail: every step of an audit appended, as it happens, to
// DIR/trail.log, one JSON object a line, each naming the SHA-256 of the
// line before it (a hash chain), so that the trail can be published as it
// grows and anyone holding it and the audit's files can recompute every
// step (VerifyTrail). Entries:
//
//	state   audit.json as saved: what is fixed at the start (election,
//	        method, risk limit, the announcement's SHA-256, the stations
//	        compared, the seed's commitment), the seed once known, and each
//	        round's draws by count and SHA-256
//	polls   a signed record of polled vouchers, by file and SHA-256
//	report  a status: report.json's SHA-256, the decision, each contest's risk
//	boards, entry, signoff, reopen, recorded
//	        the audit boards' work (boards.go): a round's stations divided
//	        among boards, each member's entry of a count, a board's
//	        sign-off and its reopening, the round's paper recorded
//
// It is a log of the audit's own, not yet witnessed: see VerifyTrail.

// TrailFile is the name of the audit trail in an audit's directory.
const TrailFile = "trail.log"

// TrailEntry is one line of the trail.
type TrailEntry struct {
	Seq    int          `json:"seq"`
	Prev   string       `json:"prev"` // SHA-256 of the previous line, without its newline; "" for the first
	Kind   string       `json:"kind"` // state, polls, report
	State  *trailState  `json:"state,omitempty"`
	File   string       `json:"file,omitempty"`   // polls: the record's name in the directory
	SHA256 string       `json:"sha256,omitempty"` // polls: of the record; report: of report.json
	Report *trailReport `json:"report,omitempty"`
	Board  *BoardEvent  `json:"board,omitempty"` // boards, entry, signoff, reopen, recorded: see boards.go
}

type trailState struct {
	Election        string       `json:"election"`
	Method          Method       `json:"method"`
	RiskLimit       float64      `json:"risk_limit"`
	AnnouncedSHA256 string       `json:"announced_sha256"`
	Compared        []string     `json:"compared,omitempty"`
	SeedCommitment  string       `json:"seed_commitment,omitempty"`
	Seed            string       `json:"seed,omitempty"`
	Rounds          []trailRound `json:"rounds"`
}

type trailRound struct {
	Number int    `json:"number"`
	Draws  int    `json:"draws"`
	SHA256 string `json:"sha256"` // of the round's draws as JSON
}

type trailReport struct {
	Decision string             `json:"decision"`
	Risks    map[string]float64 `json:"risks"`
}

func stateEntry(a *RLA) *trailState {
	s := &trailState{Election: a.Election, Method: a.Method, RiskLimit: a.RiskLimit, AnnouncedSHA256: a.AnnouncedSHA256,
		Compared: a.Compared, SeedCommitment: a.SeedCommitment, Seed: a.Seed, Rounds: []trailRound{}}
	for _, r := range a.Rounds {
		data, _ := json.Marshal(r.Draws)
		s.Rounds = append(s.Rounds, trailRound{Number: r.Number, Draws: len(r.Draws), SHA256: SHA256(data)})
	}
	return s
}

// appendTrail appends an entry to dir's trail, chained to its last line.
func appendTrail(dir string, e TrailEntry) error {
	path := filepath.Join(dir, TrailFile)
	entries, last, err := readTrail(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	e.Seq = len(entries) + 1
	e.Prev = last
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadTrail reads the audit trail at path and checks its chain: each
// line one entry, numbered from 1, naming the SHA-256 of the line before.
func ReadTrail(path string) ([]TrailEntry, error) {
	entries, _, err := readTrail(path)
	return entries, err
}

// readTrail reads a trail and checks its chain; it returns the entries
// and the SHA-256 of the last line.
func readTrail(path string) ([]TrailEntry, string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	var out []TrailEntry
	prev := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 64<<20)
	for n := 1; sc.Scan(); n++ {
		var e TrailEntry
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			return nil, "", fmt.Errorf("%s:%d: %v", path, n, err)
		}
		if e.Seq != n || e.Prev != prev {
			return nil, "", fmt.Errorf("%s:%d: entry %d chained to %q, want entry %d chained to %q (the line before): the trail was altered", path, n, e.Seq, e.Prev, n, prev)
		}
		h := sha256.Sum256(sc.Bytes())
		prev = hex.EncodeToString(h[:])
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, "", fmt.Errorf("%s: %v", path, err)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		return nil, "", fmt.Errorf("%s: the last line is cut short", path)
	}
	return out, prev, nil
}

// VerifyTrail recomputes an audit from its trail and its files alone:
// the chain of the trail; that what is fixed at the start never changes;
// that the seed, once known, is the one committed (if one was) and is
// revealed before any round; that rounds are only ever added; that the
// last state is audit.json; every round redrawn from the seed; every
// record of polls present with the digest logged, and none unlogged; and
// the last report's decision and risks recomputed from the files.
//
// What it does not do yet: check witnesses' cosignatures of the trail
// (it is a log of the audit's own, not the election's transparency log),
// recompute the reports before the last (the polls they were made from
// are known, but not replayed), or cover a batch comparison's hand actas
// (only polls are logged).
func VerifyTrail(dir string) (*Report, error) {
	path := filepath.Join(dir, TrailFile)
	entries, _, err := readTrail(path)
	if err != nil {
		return nil, err
	}
	au, err := Open(dir)
	if err != nil {
		return nil, err
	}
	var first, last *trailState
	var lastReport *TrailEntry
	pollsLogged := map[string]string{}
	pollsSinceReport := false
	boards := newBoards(au)
	for i := range entries {
		e := &entries[i]
		where := fmt.Sprintf("%s:%d", path, e.Seq)
		switch e.Kind {
		case "state":
			s := e.State
			if s == nil {
				return nil, fmt.Errorf("%s: a state entry without its state", where)
			}
			if first == nil {
				first = s
			}
			if s.Election != first.Election || s.Method != first.Method || s.RiskLimit != first.RiskLimit ||
				s.AnnouncedSHA256 != first.AnnouncedSHA256 || !slices.Equal(s.Compared, first.Compared) || s.SeedCommitment != first.SeedCommitment {
				return nil, fmt.Errorf("%s: what is fixed at the start (election, method, risk limit, announcement, stations compared, seed commitment) changed", where)
			}
			if s.Seed != "" && first.SeedCommitment != "" && SHA256([]byte(s.Seed)) != first.SeedCommitment {
				return nil, fmt.Errorf("%s: seed %s is not the one committed (%s)", where, s.Seed, first.SeedCommitment)
			}
			if len(s.Rounds) > 0 && s.Seed == "" {
				return nil, fmt.Errorf("%s: a round drawn before the seed is known", where)
			}
			if last != nil {
				if last.Seed != "" && s.Seed != last.Seed {
					return nil, fmt.Errorf("%s: the seed changed from %s to %s", where, last.Seed, s.Seed)
				}
				if last.Seed == "" && s.Seed != "" && len(last.Rounds) > 0 {
					return nil, fmt.Errorf("%s: the seed appears after rounds were drawn", where)
				}
				if len(s.Rounds) < len(last.Rounds) || !slices.Equal(s.Rounds[:len(last.Rounds)], last.Rounds) {
					return nil, fmt.Errorf("%s: rounds already drawn were changed or removed", where)
				}
			}
			last = s
		case "polls":
			data, err := os.ReadFile(filepath.Join(dir, e.File))
			if err != nil {
				return nil, fmt.Errorf("%s: %v", where, err)
			}
			if got := SHA256(data); got != e.SHA256 {
				return nil, fmt.Errorf("%s: %s has SHA-256 %s, the trail logged %s: the record was altered", where, e.File, got, e.SHA256)
			}
			pollsLogged[e.File] = e.SHA256
			pollsSinceReport = true
		case "report":
			if e.Report == nil {
				return nil, fmt.Errorf("%s: a report entry without its report", where)
			}
			lastReport = e
			pollsSinceReport = false
		case "boards", "entry", "signoff", "reopen", "recorded":
			if e.Board == nil {
				return nil, fmt.Errorf("%s: a %s entry without its board", where, e.Kind)
			}
			drawn := 0
			if last != nil {
				drawn = len(last.Rounds)
			}
			if err := boards.apply(e.Kind, e.Board, drawn); err != nil {
				return nil, fmt.Errorf("%s: %v", where, err)
			}
		default:
			return nil, fmt.Errorf("%s: unknown entry kind %q", where, e.Kind)
		}
	}
	if last == nil {
		return nil, fmt.Errorf("%s: no state logged", path)
	}
	now := stateEntry(au.State)
	a, _ := json.Marshal(now)
	b, _ := json.Marshal(last)
	if !bytes.Equal(a, b) {
		return nil, fmt.Errorf("%s is not the last state the trail logged", filepath.Join(dir, StateFile))
	}
	files, _ := filepath.Glob(filepath.Join(dir, "polls-*.note"))
	for _, f := range files {
		if _, ok := pollsLogged[filepath.Base(f)]; !ok {
			return nil, fmt.Errorf("%s is not in the trail", f)
		}
	}
	r, err := Status(dir, au.State, au.Reported, filepath.Join(dir, HandDir))
	if err != nil {
		return nil, err
	}
	if lastReport != nil && !pollsSinceReport {
		risks := reportRisks(r)
		if r.Decision != lastReport.Report.Decision || !sameRisks(risks, lastReport.Report.Risks) {
			return nil, fmt.Errorf("%s:%d: the report logged (%s, risks %v) is not what the files give (%s, risks %v)",
				path, lastReport.Seq, lastReport.Report.Decision, lastReport.Report.Risks, r.Decision, risks)
		}
	}
	return r, nil
}

func reportRisks(r *Report) map[string]float64 {
	out := map[string]float64{}
	for _, c := range r.Contests {
		out[c.Contest] = c.Risk
	}
	return out
}

func sameRisks(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// Save saves the audit's state and logs it in the trail.
func (au *Audit) Save() error {
	if err := au.State.Save(au.Dir); err != nil {
		return err
	}
	return appendTrail(au.Dir, TrailEntry{Kind: "state", State: stateEntry(au.State)})
}

// logPolls logs a record of polls just written.
func (au *Audit) logPolls(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return appendTrail(au.Dir, TrailEntry{Kind: "polls", File: filepath.Base(path), SHA256: SHA256(data)})
}

// logReport logs a report just written.
func (au *Audit) logReport(r *Report, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return appendTrail(au.Dir, TrailEntry{Kind: "report", SHA256: SHA256(data), Report: &trailReport{Decision: r.Decision, Risks: reportRisks(r)}})
}
