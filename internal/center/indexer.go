package center

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/triplicate-vote/triplicate/internal/store"
)

// The indexer writes decided entries to the store in the background, many to
// a transaction, so that answering a machine waits for the log (durable) and
// not for the index (derived, and caught up from the log on start). Reads of
// the store first wait until everything decided before them is written.
//
// When a write fails — the index's database goes away (store.ErrUnavailable),
// its disk is full, or anything else — the indexer keeps what it could not
// write and tries again, backing off up to maxRetryWait, and ingest pauses:
// Submit refuses to log anything new with ErrIndexUnavailable (503) until a
// write succeeds again. What was acknowledged before is in the log and in
// the indexer's hands, and is written once the fault clears; an index that
// refuses a write for good (one that disagrees with the log) keeps ingest
// paused, its error in the center's log, rather than serve gaps.

type indexer struct {
	store store.Index
	m     *metrics
	log   *slog.Logger

	entries chan store.Entry
	syncs   chan chan error
	done    chan struct{}
	down    atomic.Bool // the index is unavailable: ingest is paused
}

// maxRetryWait is the longest the indexer waits before trying an
// unavailable index again.
const maxRetryWait = 2 * time.Second

// start writes the entries sent to x.entries until close.
func (x *indexer) start() {
	x.entries, x.syncs, x.done = make(chan store.Entry, 4096), make(chan chan error), make(chan struct{})
	go x.run()
}

func (x *indexer) run() {
	defer close(x.done)
	var (
		batch   []store.Entry
		syncs   []chan error // answered once batch is written
		closing bool         // entries is closed
		wait    time.Duration
	)
	// take adds the entries waiting to batch, up to a batch unless all.
	take := func(all bool) {
		for all || len(batch) < 512 {
			select {
			case e, ok := <-x.entries:
				if !ok {
					closing = true
					return
				}
				batch = append(batch, e)
				continue
			default:
			}
			return
		}
	}
	for {
		if len(batch) == 0 && len(syncs) == 0 {
			if closing {
				return
			}
			select {
			case e, ok := <-x.entries:
				if !ok {
					return
				}
				batch = append(batch, e)
				take(false)
			case done := <-x.syncs:
				// Whatever was sent before the sync is in the channel.
				syncs = append(syncs, done)
				take(true)
			}
		}
		err := x.store.Put(context.Background(), batch...)
		if err == nil {
			batch = batch[:0]
			for _, s := range syncs {
				s <- nil
			}
			syncs, wait = nil, 0
			x.setDown(nil, 0)
			continue
		}
		// The database is away, or refuses the write (a full disk): keep
		// the batch, pause ingest, try again.
		x.setDown(err, len(batch))
		for _, s := range syncs {
			s <- ErrIndexUnavailable
		}
		syncs = nil
		if closing {
			x.log.Error("stopping with logged actas the index lacks: the next start indexes them from the log",
				"from", batch[0].Index, "entries", len(batch), "err", err)
			return
		}
		wait = min(max(2*wait, 50*time.Millisecond), maxRetryWait)
		timer := time.NewTimer(wait)
	waiting:
		for {
			select {
			case <-timer.C:
				break waiting
			case done := <-x.syncs:
				done <- ErrIndexUnavailable
			case e, ok := <-x.entries:
				if !ok {
					// Stopping: one last try at once.
					closing = true
					timer.Stop()
					break waiting
				}
				batch = append(batch, e)
			}
		}
	}
}

// setIndexDown records whether the index is unavailable (err not nil) and
// says so when that changes.
func (x *indexer) setDown(err error, waiting int) {
	switch {
	case err != nil && x.down.CompareAndSwap(false, true):
		x.m.indexDown.Set(1)
		x.log.Error("the index is unavailable: ingest is paused until it is back", "entries waiting", waiting, "err", err)
	case err == nil && x.down.CompareAndSwap(true, false):
		x.m.indexDown.Set(0)
		x.log.Info("the index is back: ingest resumed")
	}
}

// sync waits until every entry decided so far is in the store.
func (x *indexer) sync(ctx context.Context) error {
	if x.down.Load() {
		return ErrIndexUnavailable
	}
	done := make(chan error, 1)
	select {
	case x.syncs <- done:
	case <-x.done:
		return ErrIngestClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close writes what is left and stops.
func (x *indexer) close() {
	close(x.entries)
	<-x.done
}
