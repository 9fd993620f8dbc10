package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/printing"
	"github.com/triplicate-vote/triplicate/internal/simulate"
)

var demoCommand = &command{
	name: "demo",
	args: "[-out DIR] [-stations N] [-scan N] [-seed N]",
	short: "run the story of the tally sheets on real data: an election from the 2024 Venezuelan tables\n" +
		"of the Distrito Capital, a terminal per table casting the sheet's votes, witnesses cosigning,\n" +
		"every acta printed and transmitted to a tallying center on loopback whose log two parties'\n" +
		"witnesses cosign, a sample of sheets scanned back at 200 dpi, everything verified",
	run: runDemo,
}

// demoMarker marks a directory the demo made, so that it may clear it.
const demoMarker = ".triplicate-demo"

func runDemo(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	out := fs.String("out", filepath.Join(os.TempDir(), "triplicate-demo"), "`directory` for everything the demo makes (cleared first)")
	n := fs.Int("stations", 100, "how many tables of the Distrito Capital to run (0: all 1,534)")
	nscan := fs.Int("scan", 8, "how many printed sheets to scan back")
	seed := fs.Uint64("seed", 2024, "seed of the order in which each table's voters vote (keys are new every run)")
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

	// The election: real tables, new keys.
	e, err := simulate.VE2024(*n, nil)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, "election.txt"), e.Def.Marshal(), 0o644); err != nil {
		return err
	}
	for party, k := range e.Witness {
		if err := writeDemoKey(*out, "witness-"+party, k); err != nil {
			return err
		}
	}
	if err := writeDemoKey(*out, "auditor", e.Auditor); err != nil {
		return err
	}
	registered := 0
	for _, st := range e.Def.Stations {
		registered += st.Registered
	}
	step("election %s: %d tables of the Distrito Capital, %d registered voters, %d parties with witnesses",
		e.Def.ID, len(e.Def.Stations), registered, len(e.Def.Parties))

	// Election day: every terminal opens, takes its table's votes and closes;
	// the witnesses cosign; the acta is printed.
	finals := make([][]byte, len(e.Tables))   // as the machines signed them
	cosigned := make([][]byte, len(e.Tables)) // as the witnesses keep them
	work := make(chan int)
	errc := make(chan error, len(e.Tables))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				rnd := rand.New(rand.NewPCG(*seed, uint64(i)))
				errc <- demoStation(*out, e, i, rnd, finals, cosigned)
			}
		}()
	}
	for i := range e.Tables {
		work <- i
	}
	close(work)
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			return err
		}
	}
	ballots := 0
	for _, t := range e.Tables {
		ballots += t.Ballots()
	}
	step("voted: %d ballots cast on %d terminals; %d zero tapes and %d final actas signed by their machines",
		ballots, len(e.Tables), len(e.Tables), len(e.Tables))
	step("cosigned: %d witness signatures; printed: %d PDFs of %d copies each, in %s",
		len(e.Tables)*len(e.Def.Parties), len(e.Tables), len(e.Def.Parties)+1, filepath.Join(*out, "print"))

	// Every terminal transmits its acta to the tallying center, whose log
	// two parties' witnesses cosign.
	res, size, err := demoCenter(context.Background(), *out, e)
	if err != nil {
		return err
	}
	if err := checkTotals(res, e); err != nil {
		return err
	}
	step("transmitted: %d final actas over HTTP to the tallying center on loopback, each logged and its receipt verified;\n"+
		"          the log's checkpoint of %d entries cosigned by 2 of 2 party witnesses; the center's totals equal the tally sheets",
		len(e.Tables), size)

	// Scan a sample of printed sheets back.
	scanned, how, err := demoScan(*out, e, finals, *nscan)
	if err != nil {
		return err
	}
	step("scanned: %d of %d sheets %s read back, byte for byte the signed actas, every signature verified",
		scanned, min(*nscan, len(finals)), how)

	// Verify every cosigned acta and add up the tally.
	totals := map[string]int{}
	var null, sigs int
	for i, msg := range cosigned {
		sa, err := acta.Open(msg, e.Def)
		if err != nil {
			return fmt.Errorf("verifying station %s: %w", e.Tables[i].Station, err)
		}
		sigs += len(sa.Signatures)
		for _, x := range sa.Contests[0].Candidates {
			totals[x.Candidate] += x.Votes
			if x.Votes != e.Tables[i].Votes[x.Candidate] {
				return fmt.Errorf("station %s: %s has %d votes in the acta, %d on the real sheet", sa.Station, x.Candidate, x.Votes, e.Tables[i].Votes[x.Candidate])
			}
		}
		null += sa.Contests[0].Null
	}
	step("verified: %d of %d cosigned final actas, %d signatures, every count equal to its real tally sheet", len(cosigned), len(cosigned), sigs)
	contest := e.Def.Contests[0]
	for _, x := range contest.Candidates[:3] {
		fmt.Fprintf(c.stdout, "          %-28s %9d  %5.1f%%\n", x.Name, totals[x.ID], 100*float64(totals[x.ID])/float64(ballots-null))
	}
	fmt.Fprintf(c.stdout, "\nEverything is in %s: election.txt, the witnesses' keys, stations/ (each terminal's state,\n"+
		"with its zero.acta, final.acta, records.txt, receipt.json and the witnesses' cosigned.acta), print/ (the PDFs),\n"+
		"center/ (the log and its index), witness-*/ (what each party's log witness cosigned), scans/ (the sheets scanned back).\n"+
		"Check any acta yourself:\n  triplicate acta verify -election %s %s\n",
		*out, filepath.Join(*out, "election.txt"), filepath.Join(*out, "stations", e.Tables[0].Station, "final.acta"))
	return nil
}

// demoStation runs table i: the terminal's day, the witnesses'
// cosignatures, the printed PDF.
func demoStation(out string, e *simulate.Election, i int, rnd *rand.Rand, finals, cosigned [][]byte) error {
	t := e.Tables[i]
	_, final, err := e.Station(filepath.Join(out, "stations", t.Station), t, rnd)
	if err != nil {
		return err
	}
	// The machine prints its acta at the table, before anyone cosigns it
	// digitally: the copies the witnesses take home carry its signature.
	sa, err := acta.Open(final, e.Def)
	if err != nil {
		return err
	}
	pdf, err := printing.PDF(sa, e.Def)
	if err != nil {
		return fmt.Errorf("printing station %s: %w", t.Station, err)
	}
	if err := os.WriteFile(filepath.Join(out, "print", t.Station+".pdf"), pdf, 0o644); err != nil {
		return err
	}
	finals[i] = final
	// Then each witness checks it and cosigns; the cosigned acta is kept
	// beside the machine's.
	if cosigned[i], err = e.Cosign(final); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "stations", t.Station, "cosigned.acta"), cosigned[i], 0o644)
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
	for _, sub := range []string{"stations", "print", "keys"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, demoMarker), nil, 0o644)
}

func writeDemoKey(dir, name string, k *keys.Key) error {
	return keys.WriteFile(filepath.Join(dir, "keys", name+".key"), k.Private)
}
