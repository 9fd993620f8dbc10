// Package ledger is the tallying center's public append-only log: every
// accepted acta, verbatim, as an entry of a C2SP tlog-tiles log
// (https://c2sp.org/tlog-tiles) built with Tessera on its POSIX driver. The
// center signs checkpoints with its note key, and a checkpoint is published
// only once the witness policy (witnesses of k of n parties, C2SP tlog-witness)
// has cosigned it, so the center cannot show different histories to different
// people.
//
// [Ledger.Add] returns once an entry is durably sequenced: it survives a crash
// at any moment after. [Ledger.Receipt] waits until a published checkpoint
// covers an entry and returns that checkpoint with the entry's inclusion proof.
// [Handler] serves the public files of the log (checkpoint, tiles, entry
// bundles) read-only, and never Tessera's private state.
//
// [Ledger.StartPublicFeed] runs the log's slow feed beside it: public
// witnesses, outside the parties, asked at most once an interval each to
// cosign the latest published checkpoint (see public.go).
package ledger

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/tessera"
	"github.com/transparency-dev/tessera/client"
	"github.com/transparency-dev/tessera/storage/posix"

	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// Config says where the log lives, who signs it and who must cosign it.
type Config struct {
	Dir string // the log's files
	// MySQL, if not empty, is the DSN of a MySQL (or MariaDB) database that
	// keeps the log instead of Dir: a log that several centers share (see
	// MySQLDSN). Its checkpoint interval is at least
	// MinMySQLCheckpointInterval.
	MySQL string
	Key   *keys.Key // the center's key: signs checkpoints; its name is the log's origin

	// Witnesses cosign checkpoints; one is published only once witnesses
	// of Quorum distinct parties have cosigned it, or, if Groups are given,
	// once the last of them is met. A witness without a Party is a party of
	// its own.
	Witnesses []Witness
	Quorum    int
	// Groups are k-of-n groups of parties (as the witnesses name them) and
	// of earlier groups, as in [tlog.Policy]; members with no witness here
	// are left out.
	Groups []tlog.Group

	// Batching of appends: a batch is written when it has BatchSize entries
	// or is BatchAge old. The defaults (64, 10 ms) suit tens to thousands of
	// machines transmitting at once.
	BatchSize uint
	BatchAge  time.Duration
	// CheckpointInterval is how often a new checkpoint is offered to the
	// witnesses and published; default 100 ms, the driver's least.
	CheckpointInterval time.Duration
	// WitnessTimeout bounds one round of cosigning; default 5 s.
	WitnessTimeout time.Duration
}

// Witness is a party's log witness: its public key and the URL it serves
// C2SP tlog-witness at. The key is the witness's Ed25519 note key, as keygen
// prints it, or the cosignature/v1 key made from it.
type Witness struct {
	Key   string
	URL   string
	Party string // the party whose witness it is
}

// Ledger is an open log, appending.
type Ledger struct {
	mu     sync.Mutex
	latest *Checkpoint // the last checkpoint read and checked

	app      *tessera.Appender
	shutdown func(context.Context) error
	reader   tessera.LogReader
	cancel   context.CancelFunc
	dir      string  // the log's files, or
	db       *sql.DB // the log's database

	policy tlog.Policy
}

// Open opens the log in c.Dir, making it if it is new, and starts appending.
// A new log's first (empty) checkpoint must be cosigned too, so Open fails
// if the witness policy cannot be met.
func Open(ctx context.Context, c Config) (*Ledger, error) {
	if c.BatchSize == 0 {
		c.BatchSize = 64
	}
	if c.BatchAge == 0 {
		c.BatchAge = 10 * time.Millisecond
	}
	if c.CheckpointInterval == 0 {
		c.CheckpointInterval = 100 * time.Millisecond
	}
	if c.MySQL != "" {
		c.CheckpointInterval = max(c.CheckpointInterval, MinMySQLCheckpointInterval)
	}
	if c.WitnessTimeout == 0 {
		c.WitnessTimeout = 5 * time.Second
	}
	policy, group, err := witnessPolicy(c)
	if err != nil {
		return nil, err
	}
	l := &Ledger{policy: policy, dir: c.Dir}
	opts := tessera.NewAppendOptions().
		WithCheckpointSigner(c.Key).
		WithBatching(c.BatchSize, c.BatchAge).
		WithCheckpointInterval(c.CheckpointInterval)
	if group != nil {
		opts = opts.WithWitnesses(*group, &tessera.WitnessOptions{Timeout: c.WitnessTimeout})
	}
	// The appender publishes checkpoints until its context ends: it gets a
	// context of its own, cancelled by Close after the shutdown, so that no
	// checkpoint is published behind the witnesses' back once Close returns.
	actx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var (
		driver tessera.Driver
		where  = c.Dir
	)
	if c.MySQL != "" {
		l.dir, where = "", "its database"
		l.db, driver, err = openMySQL(actx, c.MySQL)
	} else {
		driver, err = posix.New(actx, posix.Config{Path: c.Dir})
	}
	if err != nil {
		cancel()
		return nil, err
	}
	l.app, l.shutdown, l.reader, err = tessera.NewAppender(actx, driver, opts)
	if err != nil {
		cancel()
		if l.db != nil {
			l.db.Close()
		}
		return nil, fmt.Errorf("opening the log in %s: %w", where, err)
	}
	if l.db != nil {
		l.reader = trimmed{l.reader}
	}
	l.cancel = cancel
	return l, nil
}

// Add appends an entry and returns its index once it is durably sequenced.
// It always waits for that (a batch is written within BatchAge of being
// started), whatever ctx says: an entry handed to the log is logged, and the
// caller must learn its index to account for it.
func (l *Ledger) Add(ctx context.Context, data []byte) (uint64, error) {
	idx, err := l.app.Add(context.WithoutCancel(ctx), tessera.NewEntry(data))()
	return idx.Index, err
}

// Checkpoint is a published checkpoint.
type Checkpoint struct {
	log.Checkpoint
	Raw []byte // the signed note, with the witnesses' cosignatures
}

// Published returns the latest published checkpoint, checked: signed by the
// center and cosigned by at least the quorum of witnesses.
func (l *Ledger) Published(ctx context.Context) (*Checkpoint, error) {
	raw, err := l.reader.ReadCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	// Checking costs a signature check per cosigner: do it once a checkpoint.
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.latest != nil && bytes.Equal(l.latest.Raw, raw) {
		return l.latest, nil
	}
	cp, err := l.check(raw)
	if err != nil {
		return nil, err
	}
	l.latest = cp
	return cp, nil
}

// check parses a checkpoint and checks it against the witness policy.
func (l *Ledger) check(raw []byte) (*Checkpoint, error) {
	cp, err := l.policy.Check(raw)
	if err != nil {
		return nil, err
	}
	return &Checkpoint{Checkpoint: *cp, Raw: raw}, nil
}

// Integrated returns the number of entries durably sequenced, published or not.
func (l *Ledger) Integrated(ctx context.Context) (uint64, error) {
	return l.reader.IntegratedSize(ctx)
}

// ErrNotPublished is returned by Receipt when no published checkpoint covers
// the entry yet.
var ErrNotPublished = errors.New("not yet in a published checkpoint")

// Receipt returns the receipt of an entry, waiting until a published
// checkpoint covers it or ctx ends (then ErrNotPublished).
func (l *Ledger) Receipt(ctx context.Context, index uint64) (*tlog.Receipt, error) {
	for {
		cp, err := l.Published(ctx)
		if err != nil {
			return nil, err
		}
		if index < cp.Size {
			pb, err := client.NewProofBuilder(ctx, cp.Size, l.reader.ReadTile)
			if err != nil {
				return nil, err
			}
			p, err := pb.InclusionProof(ctx, index)
			if err != nil {
				return nil, err
			}
			return &tlog.Receipt{Index: index, Checkpoint: string(cp.Raw), Proof: p}, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("entry %d: %w (published size %d)", index, ErrNotPublished, cp.Size)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Close stops appending: it waits until a published checkpoint covers every
// entry added (or ctx ends), then stops the appender, so that nothing more is
// published.
func (l *Ledger) Close(ctx context.Context) error {
	err := l.shutdown(ctx)
	l.cancel()
	if l.db != nil {
		l.db.Close()
	}
	return err
}
