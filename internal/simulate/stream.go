package simulate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// StreamConfig is a streamed election: N stations generated from the
// embedded tables, voted, signed, cosigned and transmitted through a
// pipeline of bounded queues, so that memory holds the definition and the
// center's and verifier's per-station state, and no more with N.
type StreamConfig struct {
	Dir      string // the center's index and log, and the log witnesses' state
	Stations int    // how many: the embedded tables, cycled
	Seed     uint64 // derives every key and every voucher serial
	Senders  int    // concurrent transmissions to the center (default 64)
	// Progress, if set, receives the progress: redrawn lines if Terminal,
	// else a few summary lines.
	Progress io.Writer
	Terminal bool
	// Verify, if set, checks the whole election from the log's directory
	// once the center is stopped (the command runs the verifier: this
	// package does not import it); it is timed as the stage "verify".
	Verify func(ctx context.Context, def *election.Definition, logDir string) error
}

// StreamResult is what a streamed election did.
type StreamResult struct {
	Def        *election.Definition
	Registered int
	Ballots    int
	Logged     uint64        // the published log's size
	Wall       time.Duration // the whole run, the definition's build included
	Stages     []*Stage
}

// streamKey derives a key from the seed and its name.
func streamKey(seed uint64, name string) (skey, vkey string) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], seed)
	skey, vkey, err := keys.Derive(string(b[:]), name)
	if err != nil {
		panic(err) // names are the simulation's own
	}
	return skey, vkey
}

func mustKey(seed uint64, name string) *keys.Key {
	skey, _ := streamKey(seed, name)
	k, err := keys.Parse(skey)
	if err != nil {
		panic(err)
	}
	return k
}

// StreamElection is the definition of an election of n stations made from
// the embedded tables, cycled: the first 1,534 are the real tables, each
// later cycle the same tables again with the id suffixed "-CYCLE". It
// returns the per-station counts' source (table i%len) and the people's keys;
// machine keys are derived again from the seed when signing, not kept.
type StreamElection struct {
	Def     *election.Definition
	Tables  []Table // the embedded tables; station i votes as Tables[i%len]
	Witness map[string]*keys.Key
	Center  *keys.Key
	Log     map[string]*keys.Key
	Seed    uint64
}

// NewStreamElection builds the election of n stations.
func NewStreamElection(n int, seed uint64) (*StreamElection, error) {
	rows, err := election.ReadStations(bytes.NewReader(VE2024Capital), "ve2024-dtto-capital.csv", election.VE2024)
	if err != nil {
		return nil, err
	}
	tables, err := readCounts(VE2024Capital)
	if err != nil {
		return nil, err
	}
	e := &StreamElection{Tables: tables, Witness: map[string]*keys.Key{}, Log: map[string]*keys.Key{}, Seed: seed}
	var template bytes.Buffer
	template.Write(VE2024Template)
	for _, party := range []string{"pud", "gpp", "ad"} {
		e.Witness[party] = mustKey(seed, "ve2024/witness/"+party)
		fmt.Fprintf(&template, "witness %s %s\n", party, e.Witness[party].Public)
	}
	auditor := mustKey(seed, "ve2024/auditor/1")
	fmt.Fprintf(&template, "auditor %s\n", auditor.Public)
	e.Center = mustKey(seed, "ve2024/center")
	fmt.Fprintf(&template, "center %s\n", e.Center.Public)
	for _, party := range []string{"pud", "gpp"} {
		e.Log[party] = mustKey(seed, "ve2024/logwitness/"+party)
		fmt.Fprintf(&template, "logwitness %s %s\n", party, e.Log[party].Public)
	}
	all := make([]election.StationRow, n)
	for i := range all {
		r := rows[i%len(rows)]
		if c := i / len(rows); c > 0 {
			r.ID += "-" + strconv.Itoa(c)
		}
		all[i] = r
	}
	// The machines' keys, derived on every core: a scalar multiplication
	// each, most of the definition's time.
	machine := make(map[string]string, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				_, vkey := streamKey(seed, "ve2024/machine/"+all[i].ID)
				mu.Lock()
				machine[all[i].ID] = vkey
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	e.Def, err = election.Build(template.Bytes(), "data/ve2024-template.txt", election.VE2024, all, func(station string) (string, error) {
		return machine[station], nil
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// table is station i's votes.
func (e *StreamElection) table(i int) Table { return e.Tables[i%len(e.Tables)] }

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// finalActa is station i's final acta as its machine would have counted it:
// the table's votes, and the records digest of a record set of one record
// per ballot with serials drawn from a ChaCha8 stream seeded by the seed and
// i.
func (e *StreamElection) finalActa(i int) *acta.Acta {
	st := e.Def.Stations[i]
	t := e.table(i)
	ballot := e.Def.Ballot(st)
	contest := ballot[0]
	records := make([]string, 0, t.Ballots())
	var seed [16]byte
	binary.BigEndian.PutUint64(seed[:8], e.Seed)
	binary.BigEndian.PutUint64(seed[8:], uint64(i))
	rnd := rand.NewChaCha8(sha256.Sum256(seed[:]))
	var serial [12]byte
	add := func(choice string) {
		// A serial: 60 random bits in Crockford's base 32.
		v := rnd.Uint64()
		for k := range serial {
			serial[k] = crockford[v&31]
			v >>= 5
		}
		records = append(records, string(serial[:])+" "+contest.ID+"="+choice+"\n")
	}
	tally := acta.Blank(ballot)[0]
	for j := range tally.Candidates {
		c := &tally.Candidates[j]
		c.Votes = t.Votes[c.Candidate]
		for range c.Votes {
			add(c.Candidate)
		}
	}
	tally.Null = t.Null
	for range t.Null {
		add("null")
	}
	day := time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC)
	return &acta.Acta{Election: e.Def.ID, Station: st.ID, Kind: acta.Final, Machine: st.Machine,
		Opened: day, Closed: day.Add(12 * time.Hour), Registered: st.Registered, Ballots: len(records),
		Records: acta.Digest(records), Contests: []acta.Tally{tally}}
}

// sign signs station i's acta with its machine's key, derived again.
func (e *StreamElection) sign(i int, a *acta.Acta) ([]byte, error) {
	skey, _ := streamKey(e.Seed, "ve2024/machine/"+a.Station)
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, err
	}
	return acta.Sign(a, s)
}

// cosign has every party's witness cosign a signed acta, which checks its
// signature once.
func (e *StreamElection) cosign(msg []byte) ([]byte, error) {
	ws := make([]note.Signer, 0, len(e.Def.Parties))
	for _, p := range e.Def.Parties {
		ws = append(ws, e.Witness[p.ID])
	}
	return acta.Cosign(msg, e.Def, ws...)
}

// streamPublishKeep is how many publications of its results' files a
// streamed election's center keeps: each has every station's figures, some
// 730 MB at Brazil's size.
const streamPublishKeep = 2

// Stream runs a streamed election end to end: generate, vote, sign,
// cosign, transmit to a real center over loopback HTTP, log, and verify the
// whole election from the center's log.
func Stream(ctx context.Context, cfg StreamConfig) (*StreamResult, error) {
	start := time.Now()
	if cfg.Senders <= 0 {
		cfg.Senders = 64
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	prog := &progress{w: cfg.Progress, terminal: cfg.Terminal, start: start}

	e, define, res, err := defineStream(cfg, prog)
	if err != nil {
		return nil, err
	}
	var stop closers
	defer stop.close()
	c, url, err := openStreamCenter(ctx, cfg.Dir, e, &stop)
	if err != nil {
		return nil, err
	}

	p := newPipeline(ctx, cancel, cfg.Stations)
	sent := p.start(e, url, cfg.Senders)
	res.Logged = p.waitLogged(c, sent, prog)
	if p.err != nil {
		prog.finish(p.stages)
		return nil, p.err
	}
	logged := p.stages[len(p.stages)-1]
	logged.Busy.Store(int64(logged.Wall()))
	prog.finish(p.stages)
	prog.printf("pipeline: %d actas signed by their machines, cosigned by %d parties, transmitted by %d senders over loopback HTTP; the center's log of %d entries published in %.1fs",
		cfg.Stations, len(e.Def.Parties), cfg.Senders, res.Logged, time.Since(time.Unix(0, logged.first.Load())).Seconds())

	// The center and the witnesses are done: stop them, so that their
	// per-station state (the center's accepted actas, its publication's
	// files) is not held while the verifier builds its own.
	stop.close()

	check, err := verifyStream(ctx, cfg, e)
	if err != nil {
		return nil, err
	}
	res.Stages = append([]*Stage{define}, append(p.stages, check)...)
	res.Wall = time.Since(start)
	return res, nil
}

// defineStream builds the streamed election's definition, timed as the
// stage "define", and counts its registered voters and ballots.
func defineStream(cfg StreamConfig, prog *progress) (*StreamElection, *Stage, *StreamResult, error) {
	n := cfg.Stations
	define := &Stage{Name: "define", Total: 1}
	t0 := define.begin()
	e, err := NewStreamElection(n, cfg.Seed)
	if err != nil {
		return nil, nil, nil, err
	}
	define.end(t0)
	res := &StreamResult{Def: e.Def}
	for i := range n {
		t := e.table(i)
		res.Registered += e.Def.Stations[i].Registered
		res.Ballots += t.Ballots()
	}
	prog.printf("election %s: %d stations (the %d embedded tables, cycled), %d registered voters, %d ballots; defined in %.1fs",
		e.Def.ID, n, len(e.Tables), res.Registered, res.Ballots, define.Wall().Seconds())
	return e, define, res, nil
}

// closers are what to stop once the election is run, last first.
type closers []func()

func (cs *closers) add(f func()) { *cs = append(*cs, f) }

// close stops them all; closing again does nothing.
func (cs *closers) close() {
	for i := len(*cs) - 1; i >= 0; i-- {
		(*cs)[i]()
	}
	*cs = nil
}

// openStreamCenter starts the log's witnesses and the center in dir, each
// served over loopback HTTP, and returns the center and its URL; stop gets
// what stops them.
func openStreamCenter(ctx context.Context, dir string, e *StreamElection, stop *closers) (*center.Center, string, error) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	QuietTessera()
	var ws []ledger.Witness
	for _, lw := range e.Def.LogWitnesses {
		k := e.Log[lw.Party]
		w, err := witness.Open(filepath.Join(dir, "witness-"+lw.Party), k, []witness.Log{{Key: e.Center.Public}}, quiet)
		if err != nil {
			return nil, "", err
		}
		stop.add(func() { w.Close() })
		url, stopServing, err := ServeLoopback(w.Handler())
		if err != nil {
			return nil, "", err
		}
		stop.add(stopServing)
		ws = append(ws, ledger.Witness{Key: k.Public, URL: url})
	}
	c, err := center.Open(ctx, center.Config{Election: e.Def, Key: e.Center, Dir: filepath.Join(dir, "center"),
		Witnesses: ws, Quorum: len(ws), Logger: quiet, PublishKeep: streamPublishKeep})
	if err != nil {
		return nil, "", err
	}
	stop.add(func() { c.Close(context.Background()) })
	url, stopServing, err := ServeLoopback(c.Handler(nil))
	if err != nil {
		return nil, "", err
	}
	stop.add(stopServing)
	return c, url, nil
}

// verifyStream runs cfg.Verify, if set, on the whole election from the
// center's log, timed as the stage "verify".
func verifyStream(ctx context.Context, cfg StreamConfig, e *StreamElection) (*Stage, error) {
	check := &Stage{Name: "verify", Total: 1}
	if cfg.Verify == nil {
		return check, nil
	}
	t1 := check.begin()
	if err := cfg.Verify(ctx, e.Def, filepath.Join(cfg.Dir, "center", "log")); err != nil {
		return nil, err
	}
	check.end(t1)
	check.Busy.Store(int64(check.Wall()))
	return check, nil
}

// WriteStages writes each stage's busy time, its wall time and its share of
// the run's wall time (busy time over wall: above 100% a stage kept several
// cores busy).
func (r *StreamResult) WriteStages(w io.Writer) {
	fmt.Fprintf(w, "%-9s %10s %10s %8s %8s\n", "stage", "busy", "wall", "busy%", "wall%")
	for _, s := range r.Stages {
		fmt.Fprintf(w, "%-9s %9.1fs %9.1fs %7.1f%% %7.1f%%\n", s.Name, time.Duration(s.Busy.Load()).Seconds(), s.Wall().Seconds(),
			100*float64(s.Busy.Load())/float64(r.Wall), 100*float64(s.Wall())/float64(r.Wall))
	}
	fmt.Fprintf(w, "%-9s %10s %9.1fs\n", "total", "", r.Wall.Seconds())
	fmt.Fprintf(w, "(busy: summed over a stage's workers, transmit's with each sender's wait for the center to log; the stages overlap)\n")
}

// EmbeddedTables is how many tables the embedded data has.
const EmbeddedTables = 1534
