// Package center is the tallying center: it receives every machine's signed
// acta, accepts it only if it is valid for the election and signed by the
// machine key enrolled for its station, appends it verbatim to the public log
// (package ledger), indexes it (package store) and publishes results.
//
// # Modes
//
// [Config] picks one of three ways to run:
//
//   - One front-end, the default: the log is Tessera's POSIX files in
//     Dir/log, the index the embedded SQLite file Dir/index.db. One machine
//     serves a whole country.
//   - Several front-ends of one election: each has its own Dir and sets
//     Config.Log to the same MySQL/MariaDB database, which holds the shared
//     log (Tessera's MySQL driver) and the ingest switch, and usually
//     Config.Store to one PostgreSQL index. The log's order decides each
//     acta: every front-end follows the log and decides what the others
//     appended. All front-ends but one set NoPublish; the one left writes
//     the results' files that a CDN serves.
//   - Rebuild: [Rebuild] makes the index anew from the log alone, with no
//     center running, deciding every entry again as Submit decided it.
//
// The store is an index over the log: on [Open] the center also indexes
// whatever the log holds that the store has not seen.
//
// # HTTP
//
// [Center.Handler] serves the API, the log and the results' files:
//
//	POST /v1/actas                 submit a signed acta
//	GET  /v1/receipts/{index}      the receipt of a log entry, once published
//	GET  /v1/stations/{id}         a station's actas in the log and their status
//	GET  /v1/results[/{area...}]   totals of the election or of a jurisdiction
//	GET  /v1/announced             the announced per-station figures
//	GET  /v1/announced/{station}   one station's announced figures, signed by the center
//	POST /v1/admin/ingest          open or close ingest (admin token)
//	GET  /log/...                  the log's tiles, entry bundles and checkpoint
//	GET  /log/checkpoint.public    the slow feed's checkpoint, cosigned by public witnesses
//	GET  /public/results/...       the results' immutable files, by published log size
//	GET  /healthz                  liveness
//	GET  /metrics                  Prometheus metrics
//
// Every other address, from / down, is the dashboard of package web/dashboard, which
// reads the center through [Center.Result], [Center.Station] and the like.
// [Serve] runs a center as an HTTP server from a [ServeConfig], with the
// dashboard (ServeConfig.Site) mounted beside the center's own paths, until
// its context ends; "triplicate center serve" only fills the ServeConfig.
//
// # Inside
//
// [Center.Submit] holds the logic of ingest, and [Center.Handler] maps HTTP
// requests to it and its errors to status codes in one place (status). The
// Center wires parts that each do one job, each in its file: the decider
// (decide.go) decides every acta by the log's order and keeps the running
// totals (results.go); the indexer (indexer.go) writes the decisions to the
// store; the publisher (publish.go) writes the results' files of each
// published checkpoint; with a shared log the follower (follow.go) decides
// the entries other front-ends appended, and the gate (gate.go) holds this
// front-end's lease on the shared ingest switch (ingest.go).
package center

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/triplicate-vote/triplicate/internal/dirlock"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/intake"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/store"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// Config is what a center runs with.
type Config struct {
	Election *election.Definition
	Key      *keys.Key // signs the log's checkpoints; must be the definition's center key
	Dir      string    // the log in Dir/log, the index in Dir/index.db unless Store names another

	// Store is where the index is kept: empty for SQLite in Dir/index.db, or
	// a PostgreSQL database's URL (postgres:// or postgresql://), where it is
	// kept in the schema the URL's schema parameter names, by default
	// store.DefaultSchema of the election's id. Dir still holds the log.
	Store string

	// Log is where the log is kept: empty for files in Dir/log, or a MySQL
	// (MariaDB) database's URL, mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE,
	// for a log that several centers — front-ends of one election, each with
	// its own Dir — share, most usefully with one PostgreSQL index (Store).
	// The log's order then decides each acta (see follow.go).
	Log string

	// Witnesses cosign the log's checkpoints, each of the party that the
	// election enrols its key for. A checkpoint is published once witnesses
	// of Quorum distinct parties (0: every party of Witnesses) have
	// cosigned it, or, if the election's log quorum is a group, once that
	// group is met; the election's quorum is the least.
	Witnesses []ledger.Witness
	Quorum    int

	// PublicWitnesses are the public witnesses the election declares
	// (publicwitness lines) that the center asks to cosign its slow feed,
	// served at /log/checkpoint.public: at most once a PublicInterval each
	// (default ledger.DefaultPublicInterval). Only the center that
	// publishes (not NoPublish) runs the feed, so that front-ends of one
	// log do not ask the public witnesses once each.
	PublicWitnesses []ledger.Witness
	PublicInterval  time.Duration

	AdminToken string       // bearer token for the admin operations; none if empty
	Logger     *slog.Logger // default slog.Default()
	Registry   prometheus.Registerer

	// PublishKeep is how many publications of the results' static files
	// (one a published log size) are kept in Dir/public; default
	// DefaultPublishKeep. PublishInterval is the least time between two;
	// default DefaultPublishInterval, and if negative the center publishes
	// only when Publish is called. Between two the center also waits four
	// times as long as the last publication took, so that publishing takes
	// at most a fifth of its time however large the election.
	PublishKeep     int
	PublishInterval time.Duration
	// NoPublish: the center writes no results' files in the background and
	// serves none under /public/ — for all front-ends of a shared log but
	// the one that publishes, whose files a CDN serves.
	NoPublish bool

	// MaxSubmissions bounds the submissions' bodies read at once, and
	// SubmitTimeout the wait for a slow one (see limit.go); by default
	// DefaultMaxSubmissions and DefaultSubmitTimeout.
	MaxSubmissions int
	SubmitTimeout  time.Duration

	// Ledger tunes the log; Dir, Key, Witnesses and Quorum are set from the
	// fields above.
	Ledger ledger.Config

	testingOnly struct {
		// wrapIndex, if set, stands between the center and its index, so
		// that a test can make writes fail.
		wrapIndex func(store.Index) store.Index
	}
}

// Center is a running tallying center: the parts the package doc names,
// wired by Open.
type Center struct {
	def    *election.Definition
	key    *keys.Key // the center's: signs the log's checkpoints and the announcements
	ledger *ledger.Ledger
	store  store.Index
	lock   *os.File // the data directory, held
	log    *slog.Logger
	dir    string
	admin  string
	m      *metrics
	dec    *decider
	idx    *indexer
	follow *follower // following a shared log; nil for a log of the center's own
	gate   *gate     // the ingest switch in a shared log's database; nil for a log of the center's own
	pub    *publisher
	slow   *ledger.PublicFeed // the slow feed; nil without public witnesses
	// noPublish: the publisher publishes only when Publish is called, and
	// /public/ is not served.
	noPublish bool

	limits *intake.Limits // on reading submissions

	// bundling holds the one signed bundle written at a time: a
	// signature a station, it is the dearest thing a reader can ask for
	bundling chan struct{}

	closed  atomic.Bool // ingest closed by the admin
	stopped bool        // Close has begun; under dec.logging
}

// Open opens (or makes) the center's log and index in c.Dir, indexes what the
// log holds that the index lacks, and loads the results.
func Open(ctx context.Context, c Config) (*Center, error) {
	if c.Election.Center == "" {
		return nil, fmt.Errorf("election %s enrols no center key: nobody could check the log's checkpoints", c.Election.ID)
	}
	for _, st := range c.Election.Stations {
		if st.Observer() {
			return nil, fmt.Errorf("election %s: %w: a center ingests only actas its machines sign", c.Election.ID, st.NoMachine())
		}
	}
	if err := checkWitnesses(c); err != nil {
		return nil, err
	}
	publicWitnesses, err := checkPublicWitnesses(c)
	if err != nil {
		return nil, err
	}
	if c.Key.Public != c.Election.Center {
		return nil, fmt.Errorf("center key %s is not the one election %s enrols (%s)", election.KeyID(c.Key.Public), c.Election.ID, election.KeyID(c.Election.Center))
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return nil, err
	}
	lock, err := dirlock.Open(c.Dir)
	if err != nil {
		return nil, fmt.Errorf("center data %s: %w", c.Dir, err)
	}
	loc, err := indexLocation(c.Dir, c.Store)
	if err != nil {
		lock.Close()
		return nil, err
	}
	st, err := store.Open(ctx, loc, store.DefaultSchema(c.Election.ID))
	if err != nil {
		lock.Close()
		return nil, err
	}
	if c.testingOnly.wrapIndex != nil {
		st = c.testingOnly.wrapIndex(st)
	}
	lc := c.Ledger
	lc.Dir, lc.Key = filepath.Join(c.Dir, "log"), c.Key
	lc.Witnesses, lc.Quorum, lc.Groups = witnessPolicy(c)
	if c.Log != "" {
		if !ledger.IsMySQL(c.Log) {
			st.Close()
			lock.Close()
			return nil, fmt.Errorf("log %q: want a mysql:// URL (the log of the center's own is always in the data directory)", c.Log)
		}
		if lc.MySQL, err = ledger.MySQLDSN(c.Log); err != nil {
			st.Close()
			lock.Close()
			return nil, err
		}
	}
	lg, err := ledger.Open(ctx, lc)
	if err != nil {
		st.Close()
		lock.Close()
		return nil, err
	}
	if _, err := startLog(ctx, lg, c.Election); err != nil {
		lg.Close(ctx)
		st.Close()
		lock.Close()
		return nil, err
	}
	ctr := &Center{def: c.Election, key: c.Key, bundling: make(chan struct{}, 1), ledger: lg, store: st, lock: lock, log: c.Logger, dir: c.Dir, admin: c.AdminToken,
		m: newMetrics(c.Registry), dec: newDecider(c.Election), limits: newLimits(c.MaxSubmissions, c.SubmitTimeout)}
	size, err := ctr.load(ctx, c.Log != "")
	if err != nil {
		lg.Close(ctx)
		st.Close()
		lock.Close()
		return nil, err
	}
	if err := ctr.openIngest(ctx, lc.MySQL); err != nil {
		lg.Close(ctx)
		st.Close()
		lock.Close()
		return nil, err
	}
	ctr.idx = &indexer{store: st, m: ctr.m, log: c.Logger}
	ctr.idx.start()
	if c.Log != "" {
		ctr.follow = &follower{ledger: lg, dec: ctr.dec, idx: ctr.idx, m: ctr.m, log: c.Logger}
		ctr.follow.start(size)
	}
	if c.NoPublish {
		c.PublishInterval, ctr.noPublish = -1, true
	}
	if ctr.pub, err = startPublisher(c, lg, ctr.dec, c.Logger); err != nil {
		ctr.Close(ctx)
		return nil, err
	}
	if len(publicWitnesses) > 0 && !c.NoPublish {
		ctr.slow, err = lg.StartPublicFeed(ledger.PublicConfig{Witnesses: publicWitnesses, Policy: tlog.PublicPolicy(c.Election),
			Interval: c.PublicInterval, File: filepath.Join(c.Dir, "checkpoint.public"), Logger: c.Logger})
		if err != nil {
			ctr.Close(ctx)
			return nil, err
		}
	}
	return ctr, nil
}

// indexLocation is where the index of the center in dir is kept: the
// PostgreSQL database at location, or by default the SQLite file index.db in
// dir.
func indexLocation(dir, location string) (string, error) {
	switch {
	case location == "":
		return filepath.Join(dir, "index.db"), nil
	case store.IsPostgres(location):
		return location, nil
	}
	return "", fmt.Errorf("index store %q: want a postgres:// or postgresql:// URL (the SQLite index is always in the data directory)", location)
}

// checkWitnesses checks the center's witnesses against the log witnesses the
// election enrols: every witness must be one of them, and the quorum at least
// the election's, or machines would refuse the receipts.
func checkWitnesses(c Config) error {
	def := c.Election
	for _, w := range c.Witnesses {
		if err := checkWitnessKey(w); err != nil {
			return err
		}
		enrolled := false
		for _, lw := range def.LogWitnesses {
			enrolled = enrolled || sameKey(lw.Key, w.Key)
		}
		if !enrolled {
			return fmt.Errorf("witness %s: key %s is not a log witness election %s enrols", w.URL, election.KeyID(w.Key), def.ID)
		}
	}
	if _, q, _ := witnessPolicy(c); q < def.LogQuorum {
		return fmt.Errorf("witness quorum %d is below the %d of %d log witnesses election %s requires", q, def.LogQuorum, len(def.LogWitnesses), def.ID)
	}
	return nil
}

// checkWitnessKey checks a witness's key as its cosignatures are verified:
// sameKey compares public keys only, and a key hash mistyped would have the
// witness cosign (it signs with its own) and every check of the log's
// checkpoints fail after.
func checkWitnessKey(w ledger.Witness) error {
	if _, err := keys.NewCosignatureVerifier(w.Key); err != nil {
		return fmt.Errorf("witness %s: key %q: %v", w.URL, w.Key, err)
	}
	return nil
}

// checkPublicWitnesses checks the center's public witnesses against those
// the election declares, and returns them with their names.
func checkPublicWitnesses(c Config) ([]ledger.Witness, error) {
	ws := slices.Clone(c.PublicWitnesses)
	for i, w := range ws {
		if err := checkWitnessKey(w); err != nil {
			return nil, fmt.Errorf("public %v", err)
		}
		for _, pw := range c.Election.PublicWitnesses {
			if sameKey(pw.Key, w.Key) {
				ws[i].Party = pw.Name
			}
		}
		if ws[i].Party == "" {
			return nil, fmt.Errorf("public witness %s: key %s is not a public witness election %s declares", w.URL, election.KeyID(w.Key), c.Election.ID)
		}
	}
	return ws, nil
}

// witnessPolicy returns the log's witnesses, each with the party the
// election enrols its key for, and the quorum of parties (c.Quorum, or by
// default every party of the witnesses) or the election's groups, whose
// last is the quorum, as ledger.Config has them.
func witnessPolicy(c Config) ([]ledger.Witness, int, []tlog.Group) {
	p := tlog.ElectionPolicy(c.Election)
	ws := slices.Clone(c.Witnesses)
	parties := map[string]bool{}
	for i, w := range ws {
		for _, lw := range c.Election.LogWitnesses {
			if sameKey(lw.Key, w.Key) {
				ws[i].Party = lw.Party
			}
		}
		parties[ws[i].Party] = true
	}
	if len(p.Groups) > 0 {
		return ws, 0, p.Groups
	}
	if c.Quorum == 0 {
		return ws, len(parties), nil
	}
	return ws, c.Quorum, nil
}

// sameKey reports whether two verifier keys are the same public key.
func sameKey(a, b string) bool {
	ka, kb := election.KeyBytes(a), election.KeyBytes(b)
	return ka != nil && string(ka) == string(kb)
}

// load replays the log's entries in order, as the index has them, to rebuild
// the decisions and the results in memory; the entries the index lacks —
// after its last, or in gaps a crash left between the indexer's batches —
// are read from the log, decided and indexed.
//
// With a shared log, other centers may append and index while this one
// loads: what they index past the log's size as load found it is left to the
// follower. load returns that size.
func (c *Center) load(ctx context.Context, shared bool) (uint64, error) {
	size, err := c.ledger.Integrated(ctx)
	if err != nil {
		return 0, err
	}
	var next uint64 = firstActa // the next log entry to account for; entry 0 is the definition
	var missing []store.Entry
	fill := func(to uint64) error {
		if to <= next {
			return nil
		}
		err := c.ledger.Entries(ctx, next, to, func(index uint64, msg []byte) error {
			if c.dec.skip(msg) {
				return nil
			}
			e, err := c.dec.replay(index, msg, "")
			if err != nil {
				return err
			}
			missing = append(missing, *e)
			return nil
		})
		next = to
		return err
	}
	err = c.store.Scan(ctx, func(e store.Entry) error {
		if e.Index >= size && shared {
			return nil
		}
		if e.Index >= size {
			return fmt.Errorf("the index has log entry %d but the log has %d entries: it is not this log's index (rebuild it)", e.Index, size)
		}
		if err := fill(e.Index); err != nil {
			return err
		}
		if _, err := c.dec.replay(e.Index, e.Acta, e.Status); err != nil {
			return err
		}
		next = e.Index + 1
		return nil
	})
	if err == nil {
		err = fill(size)
	}
	if err != nil {
		return 0, fmt.Errorf("loading the log and its index: %w", err)
	}
	if len(missing) > 0 {
		if err := c.store.Put(ctx, missing...); err != nil {
			return 0, err
		}
		c.log.Info("indexed log entries the index lacked", "entries", len(missing), "first", missing[0].Index)
	}
	c.m.logSize.Set(float64(size))
	return size, nil
}

// Close stops the log (once a published checkpoint covers every entry) and
// closes the index. Closing again does nothing.
func (c *Center) Close(ctx context.Context) error {
	c.dec.logging.Lock()
	again := c.stopped
	c.stopped = true
	c.dec.logging.Unlock()
	if again {
		return nil
	}
	if c.pub != nil {
		c.pub.close()
	}
	if c.slow != nil {
		c.slow.Close()
	}
	if c.gate != nil {
		c.gate.close()
	}
	err := c.ledger.Close(ctx)
	if c.follow != nil {
		c.follow.close()
	}
	c.idx.close()
	if cerr := c.store.Close(); err == nil {
		err = cerr
	}
	c.lock.Close()
	return err
}

// PublicCheckpoint returns the latest checkpoint of the log's slow feed,
// which public witnesses cosigned, or nil if there is none yet.
func (c *Center) PublicCheckpoint() []byte {
	if c.slow == nil {
		return nil
	}
	return c.slow.Latest()
}

// Ledger returns the center's log.
func (c *Center) Ledger() *ledger.Ledger { return c.ledger }
