package center

import (
	"context"

	"github.com/triplicate-vote/triplicate/internal/store"
)

// The indexer writes decided entries to the store in the background, many to
// a transaction, so that answering a machine waits for the log (durable) and
// not for the index (derived, and caught up from the log on start). Reads of
// the store first wait until everything decided before them is written.

type indexer struct {
	entries chan store.Entry
	syncs   chan chan struct{}
	done    chan struct{}
}

func (c *Center) startIndexer() {
	c.idx = &indexer{entries: make(chan store.Entry, 4096), syncs: make(chan chan struct{}), done: make(chan struct{})}
	go c.index()
}

func (c *Center) index() {
	defer close(c.idx.done)
	var batch []store.Entry
	write := func() {
		if len(batch) == 0 {
			return
		}
		if err := c.store.Put(context.Background(), batch...); err != nil {
			// The log has these entries: the next start indexes them.
			c.log.Error("indexing logged actas", "from", batch[0].Index, "entries", len(batch), "err", err)
		}
		batch = batch[:0]
	}
	for {
		select {
		case e, ok := <-c.idx.entries:
			if !ok {
				write()
				return
			}
			batch = append(batch, e)
			// Take whatever else is waiting, up to a batch.
			for len(batch) < 512 {
				select {
				case e, ok := <-c.idx.entries:
					if !ok {
						write()
						return
					}
					batch = append(batch, e)
					continue
				default:
				}
				break
			}
			write()
		case done := <-c.idx.syncs:
			// Whatever was sent before the sync is in batch or the channel.
			for len(c.idx.entries) > 0 {
				batch = append(batch, <-c.idx.entries)
			}
			write()
			close(done)
		}
	}
}

// syncIndex waits until every entry decided so far is in the store.
func (c *Center) syncIndex(ctx context.Context) error {
	done := make(chan struct{})
	select {
	case c.idx.syncs <- done:
	case <-c.idx.done:
		return ErrIngestClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// stopIndexer writes what is left and stops.
func (c *Center) stopIndexer() {
	close(c.idx.entries)
	<-c.idx.done
}
