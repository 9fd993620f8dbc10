package simulate

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/transparency-dev/tessera/client"
	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/machine"
	"github.com/triplicate-vote/triplicate/internal/printing"
	"github.com/triplicate-vote/triplicate/internal/tlog"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// Config is one simulated election day.
type Config struct {
	Dir      string  // where everything is written
	Stations int     // the first Stations tables of the Distrito Capital (0: all 1,534)
	Seed     uint64  // of the voters' order, the close race and the attack's choices
	Margin   int     // if > 0, a close race decided by Margin votes (CloseRace, keeping 77% of the ballots)
	Attack   string  // an attack of Attacks; "" is "honest"
	Print    bool    // print every final acta as a PDF, as the machine does at the table
	Hand     float64 // the share of stations whose vouchers auditors hand-count
	// Progress, if set, is told of each step.
	Progress func(format string, args ...any)
	// Count, if set, is told of the tables of each long step as they
	// finish: step is "vote" or "transmit", done of total. It is called
	// once at a time, from any goroutine.
	Count func(step string, done, total int)
}

// Day is a simulated election day, and the evidence it left for the
// verifier.
type Day struct {
	Election *Election
	Attack   Attack
	Dir      string
	// CenterURL serves the center's API and log until Close: the attacker's
	// front of it when the attack is the center's.
	CenterURL string
	Evidence  Evidence
	Attacked  []string // the stations the attack touched
	Finals    [][]byte // each table's final acta as its machine signed it, in table order
	Published uint64   // the size of the log's last published checkpoint

	close []func()
}

// Evidence is where a day's evidence is, as the verifier takes it.
type Evidence struct {
	Definition  string   // the election definition
	Log         string   // the center's log: a URL or a directory
	Checkpoints []string // checkpoints of the log saved earlier (machines' receipts)
	Copies      []string // the witnesses' cosigned copies and the auditors' hand counts
	Announced   string   // the center's announced figures (file)
	CSV         string   // the observers' collection (unsigned), ve2024 layout
}

// Close stops the day's servers.
func (d *Day) Close() {
	for _, f := range slices.Backward(d.close) {
		f()
	}
	d.close = nil
}

// Run simulates an election day: the terminals vote and sign, the witnesses
// cosign and keep their copies, the machines transmit over HTTP to a real
// center on loopback whose log two parties' witnesses cosign, auditors
// hand-count a sample, observers collect the figures, and the attack, if any,
// happens. The servers keep running until Close.
func Run(ctx context.Context, cfg Config) (d *Day, err error) {
	name := cfg.Attack
	if name == "" {
		name = "honest"
	}
	at, ok := AttackNamed(name)
	if !ok {
		return nil, fmt.Errorf("no attack %q", name)
	}
	rnd := rand.New(rand.NewPCG(cfg.Seed, 0x7269706c))
	e, err := VE2024(cfg.Stations, nil)
	if err != nil {
		return nil, err
	}
	if cfg.Margin > 0 {
		e.CloseRace(cfg.Margin, 0.77, rnd)
	}
	day := &Day{Election: e, Attack: at, Dir: cfg.Dir}
	d = day
	defer func() {
		if err != nil {
			day.Close()
		}
	}()
	if entries, err := os.ReadDir(cfg.Dir); err == nil && len(entries) > 0 && !emptyDemoDir(entries) {
		return nil, fmt.Errorf("%s is not empty: a simulated day needs a directory of its own", cfg.Dir)
	}
	for _, sub := range []string{"stations", "copies", "hand", "print"} {
		if err := os.MkdirAll(filepath.Join(cfg.Dir, sub), 0o755); err != nil {
			return nil, err
		}
	}
	d.Evidence.Definition = filepath.Join(cfg.Dir, "election.txt")
	if err := os.WriteFile(d.Evidence.Definition, e.Def.Marshal(), 0o644); err != nil {
		return nil, err
	}
	// The people's keys, to cosign, count and verify by hand after the day.
	if err := os.MkdirAll(filepath.Join(cfg.Dir, "keys"), 0o755); err != nil {
		return nil, err
	}
	for party, k := range e.Witness {
		if err := keys.WriteFile(filepath.Join(cfg.Dir, "keys", "witness-"+party+".key"), k.Private); err != nil {
			return nil, err
		}
	}
	if err := keys.WriteFile(filepath.Join(cfg.Dir, "keys", "auditor.key"), e.Auditor.Private); err != nil {
		return nil, err
	}
	registered, ballots := 0, 0
	for i, st := range e.Def.Stations {
		registered += st.Registered
		ballots += e.Tables[i].Ballots()
	}
	first, second := e.leaders()
	cfg.progress("election %s: %d stations, %d registered voters, %d ballots; %s leads %s by %d votes",
		e.Def.ID, len(e.Tables), registered, ballots, first, second, e.margin(first, second))

	// The attack's stations, chosen among those with the most votes for the
	// leader (so that moving some changes the most).
	order := make([]int, len(e.Tables))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return e.Tables[b].Votes[first] - e.Tables[a].Votes[first] })
	for _, i := range order[:min(at.Stations, len(order))] {
		d.Attacked = append(d.Attacked, e.Tables[i].Station)
	}
	attacked := func(station string) bool { return slices.Contains(d.Attacked, station) }

	// Election day at every table.
	d.Finals = make([][]byte, len(e.Tables))
	hand := map[string]bool{}
	for i := range e.Tables {
		if cfg.Hand > 0 && rnd.Float64() < cfg.Hand {
			hand[e.Tables[i].Station] = true
		}
	}
	if at.Name == "miscount" {
		hand[d.Attacked[0]] = true
	}
	voteDone := cfg.counter("vote", len(e.Tables))
	err = parallel(len(e.Tables), func(i int) error {
		defer voteDone()
		t := e.Tables[i]
		voted := t
		if at.Name == "miscount" && attacked(t.Station) {
			voted = t.shifted(first, second, max(1, t.Votes[first]/5))
		}
		dir := filepath.Join(cfg.Dir, "stations", t.Station)
		_, final, err := e.Station(dir, voted, rand.New(rand.NewPCG(cfg.Seed, uint64(i))))
		if err != nil {
			return err
		}
		d.Finals[i] = final
		if cfg.Print {
			sa, err := acta.Open(final, e.Def)
			if err != nil {
				return err
			}
			pdf, err := printing.PDF(sa, e.Def, printing.English)
			if err != nil {
				return fmt.Errorf("printing station %s: %w", t.Station, err)
			}
			if err := os.WriteFile(filepath.Join(cfg.Dir, "print", t.Station+".pdf"), pdf, 0o644); err != nil {
				return err
			}
		}
		cosigned, err := e.Cosign(final)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(cfg.Dir, "copies", t.Station+".acta"), cosigned, 0o644); err != nil {
			return err
		}
		if hand[t.Station] {
			h, err := e.HandCount(final, t)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(cfg.Dir, "hand", t.Station+".acta"), h, 0o644)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	cfg.progress("voted, signed, cosigned: %d final actas, each kept by %d parties' witnesses%s; %d stations hand-counted by auditors",
		len(e.Tables), len(e.Def.Parties), map[bool]string{true: " and printed", false: ""}[cfg.Print], len(hand))
	d.Evidence.Copies = []string{filepath.Join(cfg.Dir, "copies"), filepath.Join(cfg.Dir, "hand")}

	// The center and its log's witnesses; the machines transmit.
	if err := d.runCenter(ctx, cfg, first, second); err != nil {
		return nil, err
	}
	return d, nil
}

// emptyDemoDir reports whether a directory holds only what "triplicate demo"
// prepares before running a day: its marker and empty folders.
func emptyDemoDir(entries []os.DirEntry) bool {
	for _, e := range entries {
		if e.Name() != ".triplicate-demo" && !e.IsDir() {
			return false
		}
	}
	return true
}

// margin is first's lead over second in the tables.
func (e *Election) margin(first, second string) int {
	m := 0
	for _, t := range e.Tables {
		m += t.Votes[first] - t.Votes[second]
	}
	return m
}

// shifted returns the table with n of from's votes given to to.
func (t Table) shifted(from, to string, n int) Table {
	s := Table{Station: t.Station, Votes: map[string]int{}, Null: t.Null}
	for c, v := range t.Votes {
		s.Votes[c] = v
	}
	n = min(n, s.Votes[from])
	s.Votes[from] -= n
	s.Votes[to] += n
	return s
}

// HandCount is the auditors' count of a table's vouchers: a hand acta of
// the table's real votes, signed by the auditor and cosigned by the
// witnesses.
func (e *Election) HandCount(final []byte, t Table) ([]byte, error) {
	sa, err := acta.Open(final, e.Def)
	if err != nil {
		return nil, err
	}
	h := &acta.Acta{Election: sa.Election, Station: sa.Station, Kind: acta.Hand, Machine: sa.Machine, Auditor: e.Auditor.Public,
		Counted: sa.Closed.Add(3 * time.Hour), Registered: sa.Registered, Ballots: t.Ballots()}
	tally := acta.Tally{Contest: sa.Contests[0].Contest, Null: t.Null}
	for _, c := range sa.Contests[0].Candidates {
		tally.Candidates = append(tally.Candidates, acta.Count{Candidate: c.Candidate, Votes: t.Votes[c.Candidate]})
	}
	h.Contests = []acta.Tally{tally}
	msg, err := acta.Sign(h, e.Auditor)
	if err != nil {
		return nil, err
	}
	return e.Cosign(msg)
}

// forge returns another final acta of the station, with n of from's votes
// given to to, signed with the machine's key.
func (e *Election) forge(final []byte, from, to string, n int) ([]byte, error) {
	sa, err := acta.Open(final, e.Def)
	if err != nil {
		return nil, err
	}
	a := *sa.Acta
	t := acta.Tally{Contest: a.Contests[0].Contest, Blank: a.Contests[0].Blank, Null: a.Contests[0].Null}
	t.Candidates = append(t.Candidates, a.Contests[0].Candidates...)
	fi, ti := -1, -1
	for i, c := range t.Candidates {
		switch c.Candidate {
		case from:
			fi = i
		case to:
			ti = i
		}
	}
	n = min(n, t.Candidates[fi].Votes)
	t.Candidates[fi].Votes -= n
	t.Candidates[ti].Votes += n
	a.Contests = []acta.Tally{t}
	s, err := note.NewSigner(e.Machines[sa.Station])
	if err != nil {
		return nil, err
	}
	return acta.Sign(&a, s)
}

// runCenter runs the log's witnesses and the center, has every machine
// transmit, and stages the center's side of the attack.
func (d *Day) runCenter(ctx context.Context, cfg Config, first, second string) error {
	e := d.Election
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	QuietTessera()
	var ws []ledger.Witness
	for _, lw := range e.Def.LogWitnesses {
		k := e.Log[lw.Party]
		w, err := witness.Open(filepath.Join(cfg.Dir, "witness-"+lw.Party), k, []witness.Log{{Key: e.Center.Public}}, quiet)
		if err != nil {
			return err
		}
		d.close = append(d.close, func() { w.Close() })
		url, stop, err := ServeLoopback(w.Handler())
		if err != nil {
			return err
		}
		d.close = append(d.close, stop)
		ws = append(ws, ledger.Witness{Key: k.Public, URL: url})
	}
	c, err := center.Open(ctx, center.Config{Election: e.Def, Key: e.Center, Dir: filepath.Join(cfg.Dir, "center"),
		Witnesses: ws, Quorum: len(ws), Logger: quiet})
	if err != nil {
		return err
	}
	d.close = append(d.close, func() { c.Close(context.Background()) })
	front := &front{center: c.Handler(nil)}
	url, stop, err := ServeLoopback(front)
	if err != nil {
		return err
	}
	d.close = append(d.close, stop)
	d.CenterURL = url

	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	at := d.Attack
	sentDone := cfg.counter("transmit", len(e.Tables))
	err = parallelN(256, len(e.Tables), func(i int) error {
		defer sentDone()
		t := e.Tables[i]
		attacked := slices.Contains(d.Attacked, t.Station)
		switch {
		case attacked && at.Name == "missing":
			return nil // dropped on the way
		case attacked && at.Name == "substitution":
			forged, err := e.forge(d.Finals[i], first, second, max(1, t.Votes[first]/3))
			if err != nil {
				return err
			}
			_, err = Post(ctx, client, url, forged)
			return err
		}
		term, err := machine.Load(filepath.Join(cfg.Dir, "stations", t.Station), machine.Options{NoSync: true})
		if err != nil {
			return err
		}
		defer term.Close()
		if _, err := term.Transmit(ctx, url, client); err != nil {
			return err
		}
		if attacked && at.Name == "equivocation" {
			forged, err := e.forge(d.Finals[i], first, second, max(1, t.Votes[first]/3))
			if err != nil {
				return err
			}
			if code, err := Post(ctx, client, url, forged); code != http.StatusConflict {
				return fmt.Errorf("the second acta of station %s: status %d (%v), want 409", t.Station, code, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Wait until a published checkpoint covers every entry.
	for {
		cp, err := c.Ledger().Published(ctx)
		if err != nil {
			return err
		}
		if size, _ := c.Ledger().Integrated(ctx); cp.Size == size {
			d.Published = cp.Size
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cfg.progress("transmitted over HTTP to the tallying center on loopback; its log of %d entries published, cosigned by %d of %d parties' log witnesses",
		d.Published, len(ws), len(ws))

	// What the center announces, and what the attacker makes of it.
	a, err := c.Announce(ctx)
	if err != nil {
		return err
	}
	if err := d.alter(a, first, second); err != nil {
		return err
	}
	data, err := json.MarshalIndent(a, "", " ")
	if err != nil {
		return err
	}
	front.setAnnounced(data)
	d.Evidence.Announced = filepath.Join(cfg.Dir, "announced.json")
	if err := os.WriteFile(d.Evidence.Announced, data, 0o644); err != nil {
		return err
	}
	d.Evidence.Log = filepath.Join(cfg.Dir, "center", "log")
	if at.Name == "split-view" {
		if err := d.rewriteLog(ctx, cfg); err != nil {
			return err
		}
	}
	return d.observers(cfg, first, second)
}

func (cfg Config) progress(format string, args ...any) {
	if cfg.Progress != nil {
		cfg.Progress(format, args...)
	}
}

// counter returns the function a step calls as each of its total tables
// finishes, which tells cfg.Count, one call at a time.
func (cfg Config) counter(step string, total int) func() {
	if cfg.Count == nil {
		return func() {}
	}
	var mu sync.Mutex
	done := 0
	return func() {
		mu.Lock()
		defer mu.Unlock()
		done++
		cfg.Count(step, done, total)
	}
}

// alter applies the center's side of the attack to its announcement.
func (d *Day) alter(a *center.Announced, first, second string) error {
	at := d.Attack
	switch at.Name {
	case "announce", "impossible":
		need := d.Election.margin(first, second)/2 + 1 + 5*len(d.Attacked)
		for i := range a.Stations {
			s := &a.Stations[i]
			if !slices.Contains(d.Attacked, s.Station) {
				continue
			}
			ct := &s.Contests[0]
			fi, si := candidateIndex(ct, first), candidateIndex(ct, second)
			if at.Name == "impossible" {
				extra := s.Registered - s.Ballots + 10
				s.Ballots += extra
				ct.Candidates[si].Votes += extra
				continue
			}
			n := min(ct.Candidates[fi].Votes*3/5, (need+len(d.Attacked)-1)/len(d.Attacked))
			ct.Candidates[fi].Votes -= n
			ct.Candidates[si].Votes += n
		}
		// Totals that add the altered stations up.
		a.Totals = totalsOf(a)
	case "totals":
		t := &a.Totals[0]
		fi, si := candidateIndex(t, first), candidateIndex(t, second)
		n := d.Election.margin(first, second)/2 + 100
		t.Candidates[fi].Votes -= n
		t.Candidates[si].Votes += n
	}
	return nil
}

func candidateIndex(ct *center.ContestResult, id string) int {
	for i, c := range ct.Candidates {
		if c.ID == id {
			return i
		}
	}
	return -1
}

// totalsOf sums the announced stations.
func totalsOf(a *center.Announced) []center.ContestResult {
	out := slices.Clone(a.Totals)
	for i := range out {
		out[i].Candidates = slices.Clone(out[i].Candidates)
		out[i].Blank, out[i].Null = 0, 0
		for j := range out[i].Candidates {
			out[i].Candidates[j].Votes = 0
		}
	}
	for _, s := range a.Stations {
		for _, ct := range s.Contests {
			for i := range out {
				if out[i].ID != ct.ID {
					continue
				}
				out[i].Blank += ct.Blank
				out[i].Null += ct.Null
				for j, x := range ct.Candidates {
					out[i].Candidates[j].Votes += x.Votes
				}
			}
		}
	}
	return out
}

// rewriteLog stages a split view: a machine keeps the checkpoint the center
// published, and the center then serves a log with another history (the
// first two entries swapped), under checkpoints it signs alone: the witnesses
// would not cosign them.
func (d *Day) rewriteLog(ctx context.Context, cfg Config) error {
	saved := filepath.Join(cfg.Dir, "saved-checkpoint")
	cp, err := os.ReadFile(filepath.Join(cfg.Dir, "center", "log", "checkpoint"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(saved, cp, 0o644); err != nil {
		return err
	}
	d.Evidence.Checkpoints = []string{saved}
	var entries [][]byte
	files := client.FileFetcher{Root: filepath.Join(cfg.Dir, "center", "log")}
	err = tlog.Entries(ctx, files.ReadEntryBundle, 0, d.Published, d.Published, func(_ uint64, data []byte) error {
		entries = append(entries, data)
		return nil
	})
	if err != nil {
		return err
	}
	if len(entries) < 3 {
		return fmt.Errorf("split view needs two actas, the log has %d entries", len(entries))
	}
	entries[1], entries[2] = entries[2], entries[1] // two actas; entry 0 names the definition
	dir := filepath.Join(cfg.Dir, "rewritten", "log")
	l, err := ledger.Open(ctx, ledger.Config{Dir: dir, Key: d.Election.Center, BatchAge: time.Millisecond})
	if err != nil {
		return err
	}
	for _, data := range entries {
		if _, err := l.Add(ctx, data); err != nil {
			l.Close(ctx)
			return err
		}
	}
	for {
		cp, err := l.Published(ctx)
		if err != nil {
			l.Close(ctx)
			return err
		}
		if cp.Size == uint64(len(entries)) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	d.Evidence.Log = dir
	return l.Close(ctx)
}

// observers writes the observers' collection of the tables' figures, as the
// Venezuelan observers published theirs (ve2024 layout), with the attack's
// changes.
func (d *Day) observers(cfg Config, first, second string) error {
	e := d.Election
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	cands := []string{"EG", "NM", "LM", "JABE", "JOBR", "AE", "CF", "DC", "EM", "BERA"}
	w.Write(append([]string{"CENTRO", "MESA", "RE", "VOTOS_VALIDOS", "VOTOS_NULOS"}, cands...))
	row := func(st string, reg int, t Table) {
		centre, table, _ := cutLast(st, ".")
		rec := []string{centre, table, strconv.Itoa(reg), strconv.Itoa(t.Ballots() - t.Null), strconv.Itoa(t.Null)}
		for _, c := range cands {
			rec = append(rec, strconv.Itoa(t.Votes[c]))
		}
		w.Write(rec)
	}
	for i, t := range e.Tables {
		st := e.Def.Stations[i]
		if d.Attack.Name == "miscount" && slices.Contains(d.Attacked, t.Station) {
			// Observers copy the machine's acta, which miscounted.
			t = t.shifted(first, second, max(1, t.Votes[first]/5))
		}
		if slices.Contains(d.Attacked, t.Station) && (d.Attack.Name == "unsigned" || d.Attack.Name == "duplicate") {
			if d.Attack.Name == "duplicate" {
				row(st.ID, st.Registered, t)
			}
			t = t.shifted(first, second, 7)
		}
		row(st.ID, st.Registered, t)
	}
	w.Flush()
	d.Evidence.CSV = filepath.Join(cfg.Dir, "observers.csv")
	return os.WriteFile(d.Evidence.CSV, b.Bytes(), 0o644)
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := bytes.LastIndex([]byte(s), []byte(sep))
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// front is the center's HTTP API as the public reaches it: the center's own,
// but for the announced figures, which the attacker may have changed.
type front struct {
	center    http.Handler
	mu        sync.Mutex
	announced []byte
}

func (f *front) setAnnounced(data []byte) {
	f.mu.Lock()
	f.announced = data
	f.mu.Unlock()
}

func (f *front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	data := f.announced
	f.mu.Unlock()
	if r.Method == http.MethodGet && r.URL.Path == "/v1/announced" && data != nil && r.URL.Query().Get("format") == "" {
		w.Header().Set("Content-Type", "application/json")
		w.Write(data)
		return
	}
	f.center.ServeHTTP(w, r)
}

// Post submits a signed acta to the center at url and returns the status.
func Post(ctx context.Context, client *http.Client, url string, msg []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/v1/actas", bytes.NewReader(msg))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, fmt.Errorf("POST /v1/actas: %s: %s", resp.Status, bytes.TrimSpace(body))
	}
	return resp.StatusCode, nil
}

// ServeLoopback serves h on a free port of 127.0.0.1 until stop is called.
func ServeLoopback(h http.Handler) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// parallel runs fn(0..n-1) on every core and returns the first error.
func parallel(n int, fn func(i int) error) error {
	return parallelN(runtime.GOMAXPROCS(0), n, fn)
}

// parallelN runs fn(0..n-1) on workers goroutines and returns the first
// error.
func parallelN(workers, n int, fn func(i int) error) error {
	var wg sync.WaitGroup
	next := make(chan int)
	errc := make(chan error, n)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					errc <- err
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	close(errc)
	return <-errc
}
