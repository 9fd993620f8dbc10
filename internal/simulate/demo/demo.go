// Package demo tells the whole story of triplicate on real data, as
// "triplicate demo" runs it: the 1,534 tables of the Distrito Capital in
// 2024 as a race decided by 728 votes; terminals vote, sign and print,
// witnesses cosign and keep copies, the machines transmit to a tallying
// center on loopback whose log two parties' witnesses cosign, auditors
// hand-count a sample; the center alters the figures it announces for 11
// stations, a party scans some of its printed copies back, and the verifier,
// over HTTP as an observer would run it, proves the alteration.
//
// [Run] writes the story as it goes, progress bars on a terminal and a
// plain line now and then otherwise, and ends with the commands that check
// its evidence again.
package demo

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/simulate/check"
	"github.com/triplicate-vote/triplicate/internal/verify"
	"github.com/triplicate-vote/triplicate/internal/web/report"
)

// margin is the honest result's margin: the race of 2017 that printed
// tally sheets from 11 stations would have flipped.
const margin = 728

// Config is what a demo runs with.
type Config struct {
	Out      io.Writer // the story
	Terminal bool      // Out is a terminal: progress bars, redrawn
	Dir      string    // for everything the demo makes; cleared first if the demo made it
	Stations int       // how many tables of the Distrito Capital (0: all 1,534)
	Scan     int       // how many printed sheets to scan back
	Seed     uint64    // of the voters' order and the close race
	Command  string    // how the user runs this program again, in the closing commands
}

// Run runs the demo. It fails if the verifier does not prove every
// altered station.
func Run(ctx context.Context, c Config) error {
	if err := clearDir(c.Dir); err != nil {
		return err
	}
	start := time.Now()
	step := func(f string, args ...any) {
		fmt.Fprintf(c.Out, "%6.1fs  "+f+"\n", append([]any{time.Since(start).Seconds()}, args...)...)
	}
	fmt.Fprintf(c.Out, "A SIMULATION: simulated figures on the real tables of the Distrito Capital (Venezuela, presidential\n"+
		"election of 28 July 2024), with its real candidates' names; the votes, keys, signatures and the attack are made up.\n\n")
	prog := &progress{w: c.Out, terminal: c.Terminal, start: start, last: start, every: 5 * time.Second}
	day, err := simulate.Run(ctx, simulate.Config{Dir: c.Dir, Stations: c.Stations, Seed: c.Seed, Margin: margin,
		Attack: "announce", Print: true, Hand: 0.02, Progress: step, Count: prog.count})
	if err != nil {
		return err
	}
	defer day.Close()
	e := day.Election
	step("the center announces its results: for %d stations, figures other than their actas say", len(day.Attacked))

	// A party scans some of its printed copies back.
	scanned, how, err := scanBack(c.Dir, e, day.Finals, c.Scan, prog.count)
	if err != nil {
		return err
	}
	step("scanned: %d of %d printed sheets %s read back, byte for byte the signed actas", scanned, min(c.Scan, len(day.Finals)), how)

	// The verifier, over HTTP, as an observer would run it.
	ev, err := check.Sources(day)
	if err != nil {
		return err
	}
	ev.Log = day.CenterURL + "/log/"
	ev.Announced = day.CenterURL + "/v1/announced"
	if scanned > 0 {
		ev.Copies = append(ev.Copies, filepath.Join(c.Dir, "scans"))
	}
	r := verify.Gather(ctx, e.Def, ev)
	step("verified: the center's log over HTTP, %d witness copies and hand counts, %d scans, the announced figures, the observers' CSV",
		len(day.Finals), scanned)
	fmt.Fprintln(c.Out)
	r.Simulated = true
	page, bundle := filepath.Join(c.Dir, "report.html"), filepath.Join(c.Dir, "report.json")
	if err := r.WriteText(c.Out, 15); err != nil {
		return err
	}
	if err := report.WriteFiles(r, bundle, page); err != nil {
		return err
	}
	found := 0
	for _, st := range day.Attacked {
		if slices.ContainsFunc(r.Findings, func(f verify.Finding) bool { return f.Station == st && f.Check == verify.CheckAltered && f.Proven }) {
			found++
		}
	}
	if found != len(day.Attacked) {
		return fmt.Errorf("demo: the verifier proved %d of the %d altered stations", found, len(day.Attacked))
	}
	fmt.Fprintf(c.Out, "\nThe verifier proved all %d altered stations with signed evidence%s (simulated figures).\n", found, flips(r))
	fmt.Fprintf(c.Out, "\nEverything is in %s: election.txt, copies/ (the witnesses' cosigned actas), hand/ (the auditors' counts),\n"+
		"print/ (the PDFs), scans/, center/ (the log and its index), announced.json, observers.csv, report.json.\n"+
		"Check it again yourself:\n  %s verify -election %s -log %s -copies %s -announced %s\n\nThe report: %s\n"+
		"Browse it, in Spanish or English:\n  %s report %s\n",
		c.Dir, c.Command, shellQuote(day.Evidence.Definition), shellQuote(day.Evidence.Log), shellQuote(filepath.Join(c.Dir, "copies")),
		shellQuote(day.Evidence.Announced), page, c.Command, shellQuote(bundle))
	return nil
}

// shellQuote quotes a path for a POSIX shell if it holds anything but
// letters, digits and "_./-", so that a closing command runs as printed
// from a folder whose name has a space.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_./-", r))
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// flips says how the first contest's outcome changes, if it does: the end
// of the sentence that the verifier proved the altered stations.
func flips(r *verify.Report) string {
	if len(r.Outcomes) == 0 || !r.Outcomes[0].Flips || r.Outcomes[0].AnnouncedWinner == "" {
		return ""
	}
	o := r.Outcomes[0]
	if o.Tie {
		return fmt.Sprintf(", and that the outcome changes: %s was announced the winner by %d votes; the actas tie %s", o.AnnouncedWinner, o.AnnouncedMargin, strings.Join(o.Tied, ", "))
	}
	return fmt.Sprintf(", and that the outcome flips: %s was announced the winner by %d votes; the actas make %s the winner by %d", o.AnnouncedWinner, o.AnnouncedMargin, o.CorrectedWinner, o.CorrectedMargin)
}
