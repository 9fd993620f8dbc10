package ledger

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/transparency-dev/tessera/client"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/tlog"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// The slow feed. The log publishes a checkpoint about every 100 ms, once
// the parties' witnesses have cosigned it; public witnesses — the public
// witness network's, outside the parties — take about a request a second
// per log at most. So they are asked apart: now and then, never more often
// than a witness per interval, the latest published checkpoint goes to every
// public witness, and once their cosignatures meet the slow feed's policy,
// the checkpoint with them beside the parties' is the feed's latest. The
// fast feed never waits for it: a public witness that is down or slow only
// makes the slow feed older.

// DefaultPublicInterval is how often the slow feed asks each public witness
// at most by default: 1,440 requests a day, well within the 86,400 the
// public witness network's logs declare.
const DefaultPublicInterval = time.Minute

// PublicConfig is what the slow feed runs with.
type PublicConfig struct {
	// Witnesses are the public witnesses: key, URL and, as Party, name.
	Witnesses []Witness
	// Policy is what a checkpoint of the slow feed must meet
	// (tlog.PublicPolicy of the election).
	Policy tlog.Policy
	// Interval is the least time between two requests to one public
	// witness; default DefaultPublicInterval. One request is all a round
	// sends a witness, and a round lasts at most Interval.
	Interval time.Duration
	// File keeps the feed's latest checkpoint, so that a restart serves it
	// and knows what the witnesses cosigned.
	File   string
	Client *http.Client // default http.DefaultClient; each round is bounded by Interval anyway
	Logger *slog.Logger // default slog.Default()

	testingOnly struct {
		// now and sleepUntil are the feed's clock, faked by tests.
		now        func() time.Time
		sleepUntil func(ctx context.Context, t time.Time) error
	}
}

// PublicFeed is the log's slow feed, running.
type PublicFeed struct {
	l         *Ledger
	c         PublicConfig
	witnesses []*publicWitness
	log       *slog.Logger
	cancel    context.CancelFunc
	done      chan struct{}

	mu     sync.Mutex
	latest []byte // the feed's latest checkpoint, nil if none yet
	size   uint64 // its size
}

// publicWitness is one public witness and when it was last asked.
type publicWitness struct {
	name   string
	client *witness.Client
	last   time.Time // zero if never
}

// StartPublicFeed starts the log's slow feed: it asks the public witnesses
// to cosign the log's latest published checkpoint, at most once an
// Interval each, and keeps in c.File the latest that meets c.Policy. It
// runs until Close.
func (l *Ledger) StartPublicFeed(c PublicConfig) (*PublicFeed, error) {
	if len(c.Witnesses) == 0 {
		return nil, errors.New("slow feed: no public witnesses")
	}
	if c.File == "" {
		return nil, errors.New("slow feed: no file to keep it in")
	}
	if c.Interval <= 0 {
		c.Interval = DefaultPublicInterval
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.testingOnly.now == nil {
		c.testingOnly.now = time.Now
	}
	if c.testingOnly.sleepUntil == nil {
		c.testingOnly.sleepUntil = sleepUntil
	}
	f := &PublicFeed{l: l, c: c, log: c.Logger.With("feed", "public")}
	for _, w := range c.Witnesses {
		cl, err := witness.NewClient(w.Key, w.URL, c.Client)
		if err != nil {
			return nil, fmt.Errorf("public witness %s: %v", w.Party, err)
		}
		f.witnesses = append(f.witnesses, &publicWitness{name: w.Party, client: cl})
	}
	if err := f.load(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	f.cancel, f.done = cancel, make(chan struct{})
	go f.run(ctx)
	return f, nil
}

// load reads the feed's latest checkpoint from its file, if any: each
// public witness that cosigned it cosigned at least its size. One that no
// longer meets the policy is left to be replaced.
func (f *PublicFeed) load() error {
	raw, err := os.ReadFile(f.c.File)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("slow feed: %v", err)
	}
	cp, err := f.c.Policy.Check(raw)
	if err != nil {
		// Of another policy (the definition's public witnesses changed):
		// the feed starts again, and replaces it with its first checkpoint.
		f.log.Warn("slow feed: the saved checkpoint does not meet the policy; starting afresh", "file", f.c.File, "err", err)
		return nil
	}
	f.latest, f.size = raw, cp.Size
	for _, w := range f.witnesses {
		if _, err := note.Open(raw, note.VerifierList(w.client.Verifier())); err == nil {
			w.client.SetSize(cp.Size)
		}
	}
	return nil
}

// Latest returns the slow feed's latest checkpoint, nil if it has none yet.
func (f *PublicFeed) Latest() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.latest
}

// Close stops the feed, ending a round in flight.
func (f *PublicFeed) Close() {
	f.cancel()
	<-f.done
}

func (f *PublicFeed) run(ctx context.Context) {
	defer close(f.done)
	for {
		start := f.c.testingOnly.now()
		f.round(ctx)
		if f.c.testingOnly.sleepUntil(ctx, start.Add(f.c.Interval)) != nil {
			return
		}
	}
}

// round asks every public witness to cosign the log's latest published
// checkpoint, if the feed does not have it yet, and makes it the feed's
// latest if their cosignatures meet the policy. It lasts at most Interval.
func (f *PublicFeed) round(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, f.c.Interval)
	defer cancel()
	cp, err := f.l.Published(ctx)
	if err != nil {
		f.log.Warn("slow feed: no published checkpoint", "err", err)
		return
	}
	f.mu.Lock()
	current := f.latest != nil && f.size == cp.Size
	f.mu.Unlock()
	if current {
		return // nothing new to ask for
	}
	signed, err := centerSigned(cp.Raw, f.c.Policy.Center)
	if err != nil {
		f.log.Error("slow feed: the published checkpoint", "err", err)
		return
	}
	// One proof builder for the round, made when a witness first needs a
	// proof; it is not safe for concurrent use, so the witnesses take turns.
	var (
		pbMu sync.Mutex
		pb   *client.ProofBuilder
	)
	proof := func(ctx context.Context, from uint64) ([][]byte, error) {
		pbMu.Lock()
		defer pbMu.Unlock()
		if pb == nil {
			b, err := client.NewProofBuilder(ctx, cp.Size, f.l.reader.ReadTile)
			if err != nil {
				return nil, err
			}
			pb = b
		}
		return pb.ConsistencyProof(ctx, from, cp.Size)
	}
	lines := make([][]byte, len(f.witnesses))
	var wg sync.WaitGroup
	for i, w := range f.witnesses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Never sooner than Interval after the last request to it.
			if !w.last.IsZero() {
				if f.c.testingOnly.sleepUntil(ctx, w.last.Add(f.c.Interval)) != nil {
					return
				}
			}
			w.last = f.c.testingOnly.now()
			line, err := w.client.AddCheckpoint(ctx, signed, cp.Size, proof)
			if err != nil {
				f.log.Warn("slow feed: a public witness did not cosign", "witness", w.name, "size", cp.Size, "err", err)
				return
			}
			lines[i] = line
		}()
	}
	wg.Wait()
	out := bytes.Clone(cp.Raw)
	for _, line := range lines {
		out = append(out, line...)
	}
	if _, err := f.c.Policy.Check(out); err != nil {
		f.log.Warn("slow feed: checkpoint not published", "size", cp.Size, "err", err)
		return
	}
	if err := durable.WriteFile(f.c.File, out, 0o644); err != nil {
		f.log.Error("slow feed: writing its checkpoint", "err", err)
		return
	}
	f.mu.Lock()
	f.latest, f.size = out, cp.Size
	f.mu.Unlock()
	f.log.Info("slow feed: published", "size", cp.Size)
}

// centerSigned returns a checkpoint with the center's signature alone, as
// witnesses are asked to cosign it.
func centerSigned(raw []byte, center string) ([]byte, error) {
	v, err := note.NewVerifier(center)
	if err != nil {
		return nil, err
	}
	n, err := note.Open(raw, note.VerifierList(v))
	if err != nil {
		return nil, err
	}
	out := []byte(n.Text + "\n")
	for _, s := range n.Sigs {
		out = fmt.Appendf(out, "— %s %s\n", s.Name, s.Base64)
	}
	return out, nil
}

// sleepUntil waits until t or until ctx ends, then returns its error.
func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
