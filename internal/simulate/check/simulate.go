package check

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/verify"
	"github.com/triplicate-vote/triplicate/internal/web/report"
)

// Config is a simulation as "triplicate simulate" runs it.
type Config struct {
	Out      io.Writer // the story and the verifier's summary
	Terminal bool      // Out is a terminal: a streamed election shows progress bars
	Attack   string    // the attack on a day of the embedded tables: a name in simulate.Attacks
	Stream   bool      // stream an honest election of Stations stations instead, in bounded memory
	Stations int       // how many tables; streamed, 0 is the 1,534 embedded ones
	Senders  int       // streamed: concurrent transmissions to the center
	Dir      string    // for the evidence: made if need be; "" for a new temporary one, removed after
	Seed     uint64    // of the voters' order and the attack's choices
	JSON     string    // if set, the file of the verifier's evidence bundle
	HTML     string    // if set, the file of its HTML report
}

// Simulate runs an election day under one attack (or none) and holds it
// to its attack with [Caught], or streams an honest election and verifies
// it from its log; it tells the story to c.Out. The error says what the
// verifier missed, or found of an attack that did not happen.
func Simulate(ctx context.Context, c Config) error {
	if c.Stream {
		return simulateStream(ctx, c)
	}
	at, ok := simulate.AttackNamed(c.Attack)
	if !ok {
		return fmt.Errorf("simulate: no attack %q", c.Attack)
	}
	dir, cleanup, err := evidenceDir(c.Dir)
	if err != nil {
		return err
	}
	defer cleanup()
	start := time.Now()
	step := func(f string, args ...any) {
		fmt.Fprintf(c.Out, "%6.1fs  "+f+"\n", append([]any{time.Since(start).Seconds()}, args...)...)
	}
	fmt.Fprintf(c.Out, "attack %s: %s\n", at.Name, at.Does)
	day, err := simulate.Run(ctx, simulate.Config{Dir: dir, Stations: c.Stations, Seed: c.Seed, Attack: at.Name, Hand: 0.05, Progress: step})
	if err != nil {
		return err
	}
	defer day.Close()
	ev, err := Sources(day)
	if err != nil {
		return err
	}
	r := verify.Gather(ctx, day.Election.Def, ev)
	r.Simulated = true
	step("verified")
	if err := report.Write(c.Out, r, 20, c.JSON, c.HTML); err != nil {
		return err
	}
	if err := Caught(day, r); err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	switch {
	case at.Name == "honest":
		fmt.Fprintf(c.Out, "certified clean: every count of every source agrees, and everything given was checked\n")
	case at.Refused:
		fmt.Fprintf(c.Out, "refused: the verifier took neither of the rows at the stations the attack touched, and says so\n")
	default:
		fmt.Fprintf(c.Out, "caught: the verifier found %s at exactly the stations the attack touched, with its evidence\n", strings.Join(at.Checks, ", "))
	}
	return nil
}

// simulateStream streams an honest election through the whole pipeline
// and verifies it from the center's log: progress bars on a terminal, a
// few summary lines otherwise, and the verifier's summary only if it is
// not clean or its files are asked for.
func simulateStream(ctx context.Context, c Config) error {
	n := c.Stations
	if n <= 0 {
		n = simulate.EmbeddedTables
	}
	dir, cleanup, err := evidenceDir(c.Dir)
	if err != nil {
		return err
	}
	defer cleanup()
	if entries, _ := os.ReadDir(dir); c.Dir != "" && len(entries) > 0 {
		return fmt.Errorf("%s is not empty: a simulated election needs a directory of its own", dir)
	}
	r, rep, err := Stream(ctx, simulate.StreamConfig{Dir: dir, Stations: n, Seed: c.Seed, Senders: c.Senders,
		Progress: c.Out, Terminal: c.Terminal})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Out, "verified from the log: %d stations agree, %d findings, %d problems\n", rep.Agreeing, len(rep.Findings), len(rep.Problems))
	r.WriteStages(c.Out)
	if !rep.Clean() || rep.Agreeing != n {
		if err := report.Write(c.Out, rep, 20, c.JSON, c.HTML); err != nil {
			return err
		}
		return fmt.Errorf("simulate: the streamed election is not clean: %d of %d stations agree", rep.Agreeing, n)
	}
	if c.JSON != "" || c.HTML != "" {
		if err := report.Write(c.Out, rep, 20, c.JSON, c.HTML); err != nil {
			return err
		}
	}
	fmt.Fprintf(c.Out, "certified clean: %d stations, every acta in the log signed, cosigned and counted; %.1fs\n", n, r.Wall.Seconds())
	return nil
}

// evidenceDir returns the directory a simulation writes to: out, made if
// need be, or a new temporary one that cleanup removes.
func evidenceDir(out string) (dir string, cleanup func(), err error) {
	if out == "" {
		tmp, err := os.MkdirTemp("", "triplicate-simulate-")
		if err != nil {
			return "", nil, err
		}
		return tmp, func() { os.RemoveAll(tmp) }, nil
	}
	return out, func() {}, os.MkdirAll(out, 0o755)
}
