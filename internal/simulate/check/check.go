// Package check holds a simulated election day to the attack it suffered:
// the verifier, given the day's evidence, must find exactly what the attack
// leaves (its checks, at the stations it touched), prove what rests on
// signed evidence, and leave nothing unchecked; an honest day must come out
// clean. [Simulate] is "triplicate simulate": the day, the verifier and
// this check, told as a story; a test runs it for every row of the table of
// attacks in doc/design/threat-model.md.
//
// It is a package apart from simulate because verify's own tests simulate
// elections: simulate cannot import verify.
package check

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/tally"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// Sources is a simulated day's evidence as the verifier reads it.
func Sources(d *simulate.Day) (verify.Sources, error) {
	ev := d.Evidence
	m, err := tally.ParseMapping("ve2024", d.Election.Def)
	if err != nil {
		return verify.Sources{}, err
	}
	return verify.Sources{Log: ev.Log, Checkpoints: ev.Checkpoints, Copies: ev.Copies, Announced: ev.Announced,
		CSVs: []string{ev.CSV}, CSVMap: m}, nil
}

// Caught checks that the verifier's report of a simulated day found exactly
// what its attack leaves: the attack's checks, at the stations it touched,
// and nothing else; that what rests on signed evidence is proven; and that
// nothing went unchecked.
func Caught(d *simulate.Day, r *verify.Report) error {
	at := d.Attack
	var found []string
	for _, f := range r.Findings {
		c := string(f.Check)
		if !slices.Contains(found, c) {
			found = append(found, c)
		}
		if f.Station != "" && !slices.Contains(d.Attacked, f.Station) {
			return fmt.Errorf("a finding at station %s, which the attack did not touch: %s", f.Station, f.Summary)
		}
	}
	slices.Sort(found)
	want := slices.Clone(at.Checks)
	slices.Sort(want)
	if !slices.Equal(found, want) {
		return fmt.Errorf("attack %s: the verifier found %v, want %v", at.Name, found, want)
	}
	if at.Refused {
		// Refused, not weighed: a problem naming each station touched.
		for _, st := range d.Attacked {
			if !slices.ContainsFunc(r.Problems, func(p verify.Problem) bool { return strings.Contains(p.What, "station "+st+" ") }) {
				return fmt.Errorf("attack %s: no problem names station %s, which it touched: %v", at.Name, st, r.Problems)
			}
		}
		if r.Clean() {
			return fmt.Errorf("attack %s: the report is clean", at.Name)
		}
		return nil
	}
	for _, st := range d.Attacked {
		if !slices.ContainsFunc(r.Findings, func(f verify.Finding) bool { return f.Station == st }) {
			return fmt.Errorf("attack %s: nothing found at station %s, which it touched", at.Name, st)
		}
	}
	// What rests on signed evidence must be proven; nothing else may go
	// unchecked (but the rewritten log's checkpoints, which no witness
	// cosigns).
	for _, f := range r.Findings {
		signed := f.Check != verify.CheckImpossible && f.Check != verify.CheckDuplicate && f.Check != verify.CheckUnsigned
		if signed && !f.Proven {
			return fmt.Errorf("attack %s: %s at %q is not proven: %s", at.Name, f.Check, f.Station, f.Summary)
		}
	}
	if len(r.Problems) > 0 && at.Name != "split-view" {
		return fmt.Errorf("attack %s: %d things not checked, the first: %s", at.Name, len(r.Problems), r.Problems[0])
	}
	return nil
}

// Stream streams an honest election through the whole pipeline
// (simulate.Stream) and verifies it from the center's log alone, once the
// center is stopped: the pipeline's result and the verifier's report.
func Stream(ctx context.Context, cfg simulate.StreamConfig) (*simulate.StreamResult, *verify.Report, error) {
	var rep *verify.Report
	cfg.Verify = func(ctx context.Context, def *election.Definition, logDir string) error {
		v := verify.New(def)
		v.AddLog(ctx, verify.LogSource{Location: logDir})
		rep = v.Report(ctx)
		rep.Simulated = true
		return nil
	}
	r, err := simulate.Stream(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return r, rep, nil
}
