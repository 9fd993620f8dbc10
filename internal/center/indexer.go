package center

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/triplicate-vote/triplicate/internal/store"
)

// The indexer writes decided entries to the store in the background, many to
// a transaction, so that answering a machine waits for the log (durable) and
// not for the index (derived, and caught up from the log on start). Reads of
// the store first wait until everything decided before them is written.
//
// When the index's database goes away (store.ErrUnavailable) the indexer
// keeps what it could not write and tries again, backing off up to
// maxRetryWait, and ingest pauses: Submit refuses to log anything new with
// ErrIndexUnavailable (503) until a write succeeds again. What was
// acknowledged before is in the log and in the indexer's hands, and is
// written once the database is back.

type indexer struct {
	entries chan store.Entry
	syncs   chan chan error
	done    chan struct{}
	down    atomic.Bool // the index is unavailable: ingest is paused
}

// maxRetryWait is the longest the indexer waits before trying an
// unavailable index again.
const maxRetryWait = 2 * time.Second

func (c *Center) startIndexer() {
	c.idx = &indexer{entries: make(chan store.Entry, 4096), syncs: make(chan chan error), done: make(chan struct{})}
	go c.index()
}

func (c *Center) index() {
	defer close(c.idx.done)
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
			case e, ok := <-c.idx.entries:
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
			case e, ok := <-c.idx.entries:
				if !ok {
					return
				}
				batch = append(batch, e)
				take(false)
			case done := <-c.idx.syncs:
				// Whatever was sent before the sync is in the channel.
				syncs = append(syncs, done)
				take(true)
			}
		}
		err := c.store.Put(context.Background(), batch...)
		if !errors.Is(err, store.ErrUnavailable) {
			if err != nil {
				// The log has these entries: the next start indexes them.
				c.log.Error("indexing logged actas", "from", batch[0].Index, "entries", len(batch), "err", err)
			}
			batch = batch[:0]
			for _, s := range syncs {
				s <- nil
			}
			syncs, wait = nil, 0
			c.setIndexDown(nil, 0)
			continue
		}
		// The database is away: keep the batch, pause ingest, try again.
		c.setIndexDown(err, len(batch))
		for _, s := range syncs {
			s <- ErrIndexUnavailable
		}
		syncs = nil
		if closing {
			c.log.Error("stopping with logged actas the index lacks: the next start indexes them from the log",
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
			case done := <-c.idx.syncs:
				done <- ErrIndexUnavailable
			case e, ok := <-c.idx.entries:
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
func (c *Center) setIndexDown(err error, waiting int) {
	switch {
	case err != nil && c.idx.down.CompareAndSwap(false, true):
		c.m.indexDown.Set(1)
		c.log.Error("the index is unavailable: ingest is paused until it is back", "entries waiting", waiting, "err", err)
	case err == nil && c.idx.down.CompareAndSwap(true, false):
		c.m.indexDown.Set(0)
		c.log.Info("the index is back: ingest resumed")
	}
}

// syncIndex waits until every entry decided so far is in the store.
func (c *Center) syncIndex(ctx context.Context) error {
	if c.idx.down.Load() {
		return ErrIndexUnavailable
	}
	done := make(chan error, 1)
	select {
	case c.idx.syncs <- done:
	case <-c.idx.done:
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

// stopIndexer writes what is left and stops.
func (c *Center) stopIndexer() {
	close(c.idx.entries)
	<-c.idx.done
}
