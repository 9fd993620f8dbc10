package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// An audit's directory holds everything it reads and writes:
//
//	DIR/audit.json       its state (StateFile): method, seed, risk limit, every round drawn
//	DIR/election.txt     the election definition, copied when the audit starts
//	DIR/announced.json   the announced figures it checks, copied when it starts (.csv if they were)
//	DIR/round-N.csv      round N's draws: ticket,station (MACRO) or ticket,station,ballot
//	DIR/hand/            the hand actas of the drawn stations (MACRO)
//	DIR/polls-N.note     the vouchers read (ballot polling)
//	DIR/report.json      the last status: what the verifier reads
const (
	electionFile = "election.txt"
	reportFile   = "report.json"
	// HandDir is where a batch-comparison audit's hand actas are, in its
	// directory.
	HandDir = "hand"
)

// Audit is a risk-limiting audit in its directory: its state, the election
// and the reported result it checks.
type Audit struct {
	Dir      string
	State    *RLA
	Def      *election.Definition
	Reported *Reported
}

// Started reports whether dir holds an audit.
func Started(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, StateFile))
	return !errors.Is(err, os.ErrNotExist)
}

// Start begins an audit in dir, which must be new or empty: it keeps its
// own copies of the definition and of the announced figures (data, read
// from name), whose SHA-256 it records. Its state is written with the first
// round, by Sample.
func Start(dir string, def *election.Definition, name string, data []byte, m Method, seed string, limit float64) (*Audit, error) {
	rep, err := ReadReported(def, name, data, "")
	if err != nil {
		return nil, err
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("%s is not empty and holds no audit: start an audit in a new directory", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := durable.WriteFile(filepath.Join(dir, electionFile), def.Marshal(), 0o644); err != nil {
		return nil, err
	}
	kept := "announced.json"
	if filepath.Ext(name) == ".csv" {
		kept = "announced.csv"
	}
	if err := durable.WriteFile(filepath.Join(dir, kept), data, 0o644); err != nil {
		return nil, err
	}
	a := &RLA{Election: def.ID, Method: m, Seed: seed, RiskLimit: limit, Announced: kept, AnnouncedSHA256: SHA256(data)}
	return &Audit{Dir: dir, State: a, Def: def, Reported: rep}, nil
}

// Commit announces an audit in dir before its seed is rolled, as Start
// does, recording the SHA-256 (hex) of the seed to come instead of the
// seed: the method, the risk limit, the announcement audited and the
// commitment are saved at once, and no round can be drawn until Reveal
// gives a seed that matches the commitment.
func Commit(dir string, def *election.Definition, name string, data []byte, m Method, commitment string, limit float64) (*Audit, error) {
	if len(commitment) != 64 || strings.Trim(commitment, "0123456789abcdef") != "" {
		return nil, fmt.Errorf("seed commitment %q: want the 64 lower-case hex digits of the seed's SHA-256", clip(commitment))
	}
	au, err := Start(dir, def, name, data, m, "", limit)
	if err != nil {
		return nil, err
	}
	au.State.SeedCommitment = commitment
	return au, au.Save()
}

// Reveal gives a committed audit its seed: refused unless the audit has a
// commitment, no seed yet, and the seed's SHA-256 is the commitment.
func (au *Audit) Reveal(seed string) error {
	switch {
	case au.State.SeedCommitment == "":
		return fmt.Errorf("the audit in %s has its seed from the start: there is no commitment to reveal", au.Dir)
	case au.State.Seed != "":
		return fmt.Errorf("the audit in %s has its seed already", au.Dir)
	case SHA256([]byte(seed)) != au.State.SeedCommitment:
		return fmt.Errorf("seed %s: its SHA-256 is %s, not the commitment %s recorded before the draw: refused", seed, SHA256([]byte(seed)), au.State.SeedCommitment)
	}
	au.State.Seed = seed
	return nil
}

// Open loads the audit in dir: its state, its copy of the definition and
// the announced figures, checked against the digest the audit recorded.
func Open(dir string) (*Audit, error) {
	a, err := Load(dir)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, electionFile)
	def, err := election.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if def.ID != a.Election {
		return nil, fmt.Errorf("%s is election %s, the audit is of %s", path, def.ID, a.Election)
	}
	announced := a.Announced
	if !filepath.IsAbs(announced) {
		announced = filepath.Join(dir, announced) // the audit's own copy
	}
	data, err := tally.Fetch(context.Background(), announced, nil)
	if err != nil {
		return nil, err
	}
	rep, err := ReadReported(def, a.Announced, data, a.AnnouncedSHA256)
	if err != nil {
		return nil, err
	}
	return &Audit{Dir: dir, State: a, Def: def, Reported: rep}, nil
}

// Sample draws the next round, the size the paper recorded so far asks for
// (the first round's from the margins alone), writes it to DIR/round-N.csv
// and saves the state. It returns the round and the file's path.
func (au *Audit) Sample() (*Round, string, error) {
	if au.State.Seed == "" {
		return nil, "", fmt.Errorf("the audit in %s has no seed yet: the seed whose SHA-256 is %s must be revealed before the draw", au.Dir, au.State.SeedCommitment)
	}
	var status *Report
	var err error
	if len(au.State.Rounds) == 0 {
		status, err = FirstRoundSize(au.State, au.Reported)
	} else {
		status, err = Status(au.Dir, au.State, au.Reported, filepath.Join(au.Dir, HandDir))
	}
	if err != nil {
		return nil, "", err
	}
	round, err := NextRound(au.State, au.Reported, status)
	if err != nil {
		return nil, "", err
	}
	path := filepath.Join(au.Dir, fmt.Sprintf("round-%d.csv", round.Number))
	if err := writeRound(path, au.State.Method, round); err != nil {
		return nil, "", err
	}
	if err := au.Save(); err != nil {
		return nil, "", err
	}
	return round, path, nil
}

// Status measures the audit from the paper recorded so far and writes its
// report to DIR/report.json, returning the report and the file's path.
func (au *Audit) Status() (*Report, string, error) {
	r, err := Status(au.Dir, au.State, au.Reported, filepath.Join(au.Dir, HandDir))
	if err != nil {
		return nil, "", err
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, "", err
	}
	path := filepath.Join(au.Dir, reportFile)
	if err := durable.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return nil, "", err
	}
	return r, path, au.logReport(r, path)
}

// Poll records vouchers read in a ballot-polling audit, signed by the
// auditor: see RecordPolls.
func (au *Audit) Poll(auditor *keys.Key, polls []Poll) (string, []error) {
	if au.State.Method == MACRO {
		return "", []error{fmt.Errorf("the audit in %s is a batch comparison: its paper is hand counts, not polls", au.Dir)}
	}
	path, errs := RecordPolls(au.Dir, au.State, au.Def, auditor, polls)
	if path != "" {
		if err := au.logPolls(path); err != nil {
			errs = append(errs, err)
		}
	}
	return path, errs
}
