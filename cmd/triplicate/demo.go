package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"

	"github.com/triplicate-vote/triplicate/internal/printing"
	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/simulate/check"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

var demoCommand = &command{
	name: "demo",
	args: "[-out DIR] [-stations N] [-scan N] [-seed N]",
	short: "tell the whole story on real data: the 1,534 tables of the Distrito Capital in 2024 as a race\n" +
		"decided by 728 votes; terminals vote, sign and print, witnesses cosign and keep copies, the machines\n" +
		"transmit to a tallying center on loopback whose log two parties' witnesses cosign, auditors hand-count\n" +
		"a sample; the center alters the figures it announces for 11 stations, and the verifier proves it",
	run: runDemo,
}

// demoMarker marks a directory the demo made, so that it may clear it.
const demoMarker = ".triplicate-demo"

// demoMargin is the honest result's margin: the race of 2017 that printed
// tally sheets from 11 stations would have flipped.
const demoMargin = 728

func runDemo(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	out := fs.String("out", filepath.Join(os.TempDir(), "triplicate-demo"), "`directory` for everything the demo makes (cleared first)")
	n := fs.Int("stations", 0, "how many tables of the Distrito Capital to run (0: all 1,534)")
	nscan := fs.Int("scan", 8, "how many printed sheets to scan back")
	seed := fs.Uint64("seed", 2024, "seed of the voters' order and the close race (keys are new every run)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("demo: unexpected argument %q", fs.Arg(0))
	}
	if err := clearDemoDir(*out); err != nil {
		return err
	}
	start := time.Now()
	step := func(f string, args ...any) {
		fmt.Fprintf(c.stdout, "%6.1fs  "+f+"\n", append([]any{time.Since(start).Seconds()}, args...)...)
	}
	ctx := context.Background()
	day, err := simulate.Run(ctx, simulate.Config{Dir: *out, Stations: *n, Seed: *seed, Margin: demoMargin,
		Attack: "announce", Print: true, Hand: 0.02, Progress: step})
	if err != nil {
		return err
	}
	defer day.Close()
	e := day.Election
	step("the center announces its results: for %d stations, figures other than their actas say", len(day.Attacked))

	// A party scans some of its printed copies back.
	scanned, how, err := demoScan(*out, e, day.Finals, *nscan)
	if err != nil {
		return err
	}
	step("scanned: %d of %d printed sheets %s read back, byte for byte the signed actas", scanned, min(*nscan, len(day.Finals)), how)

	// The verifier, over HTTP, as an observer would run it.
	ev, err := check.Sources(day)
	if err != nil {
		return err
	}
	ev.Log = day.CenterURL + "/log/"
	ev.Announced = day.CenterURL + "/v1/announced"
	if scanned > 0 {
		ev.Copies = append(ev.Copies, filepath.Join(*out, "scans"))
	}
	r := verify.Gather(ctx, e.Def, ev)
	step("verified: the center's log over HTTP, %d witness copies and hand counts, %d scans, the announced figures, the observers' CSV",
		len(day.Finals), scanned)
	fmt.Fprintln(c.stdout)
	report := filepath.Join(*out, "report.html")
	if err := writeReport(c, r, 15, filepath.Join(*out, "report.json"), report); err != nil {
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
	flips := ""
	if len(r.Outcomes) > 0 && r.Outcomes[0].Flips {
		o := r.Outcomes[0]
		flips = fmt.Sprintf(", and that the outcome flips: %s was announced the winner by %d votes; the actas make %s the winner by %d", o.AnnouncedWinner, o.AnnouncedMargin, o.CorrectedWinner, o.CorrectedMargin)
	}
	fmt.Fprintf(c.stdout, "\nThe verifier proved all %d altered stations with signed evidence%s.\n", found, flips)
	fmt.Fprintf(c.stdout, "\nEverything is in %s: election.txt, copies/ (the witnesses' cosigned actas), hand/ (the auditors' counts),\n"+
		"print/ (the PDFs), scans/, center/ (the log and its index), announced.json, observers.csv, report.json.\n"+
		"Check it again yourself:\n  triplicate verify -election %s -log %s -copies %s -announced %s\n\nThe report: %s\n"+
		"Browse it, in Spanish or English:\n  triplicate report %s\n",
		*out, day.Evidence.Definition, day.Evidence.Log, filepath.Join(*out, "copies"), day.Evidence.Announced, report, filepath.Join(*out, "report.json"))
	return nil
}

// demoScan scans back the first copy of n printed sheets, spread over the
// election, and checks each is the signed acta, byte for byte. With pdftoppm
// it renders the page at 200 dpi, as a scanner would; without, it scans the
// QR codes as images.
func demoScan(out string, e *simulate.Election, finals [][]byte, n int) (int, string, error) {
	n = min(n, len(finals))
	if n == 0 {
		return 0, "", nil
	}
	dir := filepath.Join(out, "scans")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, "", err
	}
	pdftoppm, lookErr := exec.LookPath("pdftoppm")
	how := "rendered at 200 dpi by pdftoppm and"
	if lookErr != nil {
		how = "(their QR codes as images: pdftoppm, from poppler-utils, is not installed to render whole pages)"
	}
	var images []string
	want := map[string][]byte{}
	for k := range n {
		i := k * len(finals) / n
		station := e.Tables[i].Station
		want[station] = finals[i]
		if lookErr == nil {
			base := filepath.Join(dir, station)
			cmd := exec.Command(pdftoppm, "-r", "200", "-png", "-gray", "-f", "1", "-l", "1", "-singlefile",
				filepath.Join(out, "print", station+".pdf"), base)
			if msg, err := cmd.CombinedOutput(); err != nil {
				return 0, "", fmt.Errorf("pdftoppm: %v: %s", err, msg)
			}
			images = append(images, base+".png")
			continue
		}
		codes, err := printing.CodeImages(finals[i])
		if err != nil {
			return 0, "", err
		}
		for j, img := range codes {
			var buf bytes.Buffer
			if err := png.Encode(&buf, img); err != nil {
				return 0, "", err
			}
			path := filepath.Join(dir, fmt.Sprintf("%s-code%d.png", station, j+1))
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				return 0, "", err
			}
			images = append(images, path)
		}
	}
	scanned, errs := printing.ScanFiles(e.Def, images)
	if len(errs) > 0 {
		return 0, "", fmt.Errorf("scanning the printed sheets: %w", errors.Join(errs...))
	}
	for _, s := range scanned {
		if !bytes.Equal(s.Msg, want[s.Station]) {
			return 0, "", fmt.Errorf("station %s: the scanned acta differs from the signed one", s.Station)
		}
		delete(want, s.Station)
	}
	if len(want) > 0 {
		return 0, "", fmt.Errorf("%d sheets scanned back no acta", len(want))
	}
	return len(scanned), how, nil
}

// clearDemoDir empties dir if the demo made it, and makes it.
func clearDemoDir(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, demoMarker)); err == nil {
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	} else if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty and not a directory the demo made: not clearing it", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, demoMarker), nil, 0o644)
}
