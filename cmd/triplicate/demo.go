package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/qr"
	"github.com/triplicate-vote/triplicate/internal/simulate"
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
	fmt.Fprintf(c.stdout, "A SIMULATION: simulated figures on the real tables of the Distrito Capital (Venezuela, presidential\n"+
		"election of 28 July 2024), with its real candidates' names; the votes, keys, signatures and the attack are made up.\n\n")
	prog := &demoProgress{w: c.stdout, terminal: isTerminal(c.stdout), start: start, last: start, every: 5 * time.Second}
	ctx := context.Background()
	day, err := simulate.Run(ctx, simulate.Config{Dir: *out, Stations: *n, Seed: *seed, Margin: demoMargin,
		Attack: "announce", Print: true, Hand: 0.02, Progress: step, Count: prog.count})
	if err != nil {
		return err
	}
	defer day.Close()
	e := day.Election
	step("the center announces its results: for %d stations, figures other than their actas say", len(day.Attacked))

	// A party scans some of its printed copies back.
	scanned, how, err := demoScan(*out, e, day.Finals, *nscan, prog.count)
	if err != nil {
		return err
	}
	step("scanned: %d of %d printed sheets %s read back, byte for byte the signed actas", scanned, min(*nscan, len(day.Finals)), how)

	// The verifier, over HTTP, as an observer would run it.
	ev := dayEvidence(day)
	ev.log = day.CenterURL + "/log/"
	ev.announced = day.CenterURL + "/v1/announced"
	if scanned > 0 {
		ev.copies = append(ev.copies, filepath.Join(*out, "scans"))
	}
	r, err := gather(ctx, e.Def, ev)
	if err != nil {
		return err
	}
	step("verified: the center's log over HTTP, %d witness copies and hand counts, %d scans, the announced figures, the observers' CSV",
		len(day.Finals), scanned)
	fmt.Fprintln(c.stdout)
	r.Simulated = true
	report, bundle := filepath.Join(*out, "report.html"), filepath.Join(*out, "report.json")
	if err := r.WriteText(c.stdout, 15); err != nil {
		return err
	}
	if err := writeReportFiles(r, bundle, report); err != nil {
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
	if len(r.Outcomes) > 0 && r.Outcomes[0].Flips && r.Outcomes[0].AnnouncedWinner != "" {
		o := r.Outcomes[0]
		flips = fmt.Sprintf(", and that the outcome flips: %s was announced the winner by %d votes; the actas make %s the winner by %d", o.AnnouncedWinner, o.AnnouncedMargin, o.CorrectedWinner, o.CorrectedMargin)
		if o.Tie {
			flips = fmt.Sprintf(", and that the outcome changes: %s was announced the winner by %d votes; the actas tie %s", o.AnnouncedWinner, o.AnnouncedMargin, strings.Join(o.Tied, ", "))
		}
	}
	fmt.Fprintf(c.stdout, "\nThe verifier proved all %d altered stations with signed evidence%s (simulated figures).\n", found, flips)
	again := selfCommand()
	fmt.Fprintf(c.stdout, "\nEverything is in %s: election.txt, copies/ (the witnesses' cosigned actas), hand/ (the auditors' counts),\n"+
		"print/ (the PDFs), scans/, center/ (the log and its index), announced.json, observers.csv, report.json.\n"+
		"Check it again yourself:\n  %s verify -election %s -log %s -copies %s -announced %s\n\nThe report: %s\n"+
		"Browse it, in Spanish or English:\n  %s report %s\n",
		*out, again, day.Evidence.Definition, day.Evidence.Log, filepath.Join(*out, "copies"), day.Evidence.Announced, report, again, bundle)
	return nil
}

// selfCommand is how to run this program again as the user can type it:
// "go run ./cmd/triplicate" if go run built it (its executable is in the
// go-build cache, gone or not on the PATH), "triplicate" if that is it on
// the PATH, else its path.
func selfCommand() string {
	exe, err := os.Executable()
	if err != nil {
		return "triplicate"
	}
	if strings.Contains(filepath.ToSlash(exe), "go-build") {
		return "go run ./cmd/triplicate"
	}
	if p, err := exec.LookPath("triplicate"); err == nil {
		if a, err := os.Stat(p); err == nil {
			if b, err := os.Stat(exe); err == nil && os.SameFile(a, b) {
				return "triplicate"
			}
		}
	}
	return exe
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// demoProgress shows how far a long step is: on a terminal a bar, redrawn
// and cleared when the step is done; otherwise a plain line at most every
// so often, so that a log shows the demo is working.
type demoProgress struct {
	w        io.Writer
	terminal bool
	start    time.Time
	every    time.Duration // between plain lines
	last     time.Time     // of the last plain line
}

// demoSteps names the steps that count, and what they count.
var demoSteps = map[string][2]string{"vote": {"voting, signing, printing", "stations"},
	"transmit": {"transmitting", "stations"}, "scan": {"scanning", "printed sheets"}}

func (p *demoProgress) count(step string, done, total int) {
	name, unit := step, ""
	if s, ok := demoSteps[step]; ok {
		name, unit = s[0], " "+s[1]
	}
	elapsed := time.Since(p.start).Seconds()
	if p.terminal {
		const width = 30
		n := width * done / max(total, 1)
		fmt.Fprintf(p.w, "\r\x1b[2K%6.1fs  %-26s %s%s %d/%d", elapsed, name, strings.Repeat("█", n), strings.Repeat("·", width-n), done, total)
		if done == total {
			io.WriteString(p.w, "\r\x1b[2K")
		}
		return
	}
	if done < total && time.Since(p.last) >= p.every {
		p.last = time.Now()
		fmt.Fprintf(p.w, "%6.1fs  %s: %d/%d%s\n", elapsed, name, done, total, unit)
	}
}

// demoScan scans back the first copy of n printed sheets, spread over the
// election, and checks each is the signed acta, byte for byte. With pdftoppm
// it renders the page at 200 dpi, as a scanner would; without, it scans the
// QR codes as images.
func demoScan(out string, e *simulate.Election, finals [][]byte, n int, count func(step string, done, total int)) (int, string, error) {
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
			// The codes are on the copy's first page, or, when the acta
			// leaves them no room there, on its second.
			base := filepath.Join(dir, station)
			for page := 1; page <= 2; page++ {
				name := base
				if page > 1 {
					os.Remove(base + ".png")
					name = fmt.Sprintf("%s-page%d", base, page)
				}
				cmd := exec.Command(pdftoppm, "-r", "200", "-png", "-gray", "-f", fmt.Sprint(page), "-l", fmt.Sprint(page), "-singlefile",
					filepath.Join(out, "print", station+".pdf"), name)
				if msg, err := cmd.CombinedOutput(); err != nil {
					return 0, "", fmt.Errorf("pdftoppm: %v: %s", err, msg)
				}
				if _, errs := qr.ScanFiles(e.Def, []string{name + ".png"}); len(errs) == 0 || page == 2 {
					images = append(images, name+".png")
					break
				}
			}
			count("scan", k+1, n)
			continue
		}
		codes, err := qr.CodeImages(finals[i])
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
	scanned, errs := qr.ScanFiles(e.Def, images)
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
