package center

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/triplicate-vote/triplicate/internal/store"
)

// Several front-ends. When the log is shared (Config.Log names a MySQL
// database), several centers append to one log, and the log's order decides:
// an acta's status is what replaying the log from its first entry makes of
// it, the same rule Open and Rebuild apply. Each center follows the log —
// reads every entry any center appended, in order, and decides and indexes
// it — so every center's decisions and results are those of the same log.
//
// Submit checks what the center knows so far. What it finds already decided
// (the station's accepted acta again, the same count, a conflict already
// logged) it answers at once, as a single center does: a decision, once in
// the log, never changes. Anything else it appends, then waits until the
// follower has decided the log up to its entry, and answers what the log
// decided: two front-ends given the same new acta at once both append it,
// the first in the log is accepted and the second is a logged duplicate,
// answered with the accepted entry; two different counts of one station are
// accepted and a conflict in log order, whichever front-end took them.
//
// Every center indexes every entry it follows: with a shared PostgreSQL
// index the second write of an entry is a no-op that store.Put checks equals
// the first, so the index also proves the front-ends agree.

type follower struct {
	mu   sync.Mutex
	cond *sync.Cond
	next uint64 // the entries before next are decided
	err  error  // the last error reading the log, if the follower is stuck
	fail uint64 // how many times reading the log failed
	// failSaid is fail when the follower last said it was following.
	failSaid uint64
	wake     chan struct{}
	stop     context.CancelFunc
	done     chan struct{}
}

// followInterval is how often a center looks for entries other centers
// appended.
const followInterval = 20 * time.Millisecond

func (c *Center) startFollower(next uint64) {
	ctx, cancel := context.WithCancel(context.Background())
	f := &follower{next: next, wake: make(chan struct{}, 1), stop: cancel, done: make(chan struct{})}
	f.cond = sync.NewCond(&f.mu)
	c.follow = f
	go c.following(ctx)
}

func (c *Center) stopFollower() {
	c.follow.stop()
	<-c.follow.done
	c.follow.mu.Lock()
	c.follow.cond.Broadcast()
	c.follow.mu.Unlock()
}

func (c *Center) following(ctx context.Context) {
	f := c.follow
	defer close(f.done)
	t := time.NewTicker(followInterval)
	defer t.Stop()
	for {
		err := c.followOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		f.mu.Lock()
		if err != nil {
			if f.fail == f.failSaid {
				c.log.Error("following the shared log: retrying", "err", err)
			}
			f.err = err
			f.fail++
			f.cond.Broadcast() // Submits waiting for a decision give up
		} else if f.fail != f.failSaid {
			c.log.Info("following the shared log again", "failures", f.fail-f.failSaid)
			f.failSaid = f.fail
		}
		f.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-f.wake:
		case <-t.C:
		}
	}
}

// followOnce decides and indexes the entries appended since the last time.
func (c *Center) followOnce(ctx context.Context) error {
	f := c.follow
	size, err := c.ledger.Integrated(ctx)
	if err != nil {
		return err
	}
	f.mu.Lock()
	from := f.next
	f.mu.Unlock()
	if size <= from {
		return nil
	}
	var entries []store.Entry
	err = c.ledger.Entries(ctx, from, size, func(index uint64, msg []byte) error {
		c.mu.Lock()
		e, err := c.replay(index, msg, "")
		c.mu.Unlock()
		if err != nil {
			return err
		}
		entries = append(entries, *e)
		f.mu.Lock()
		f.next = index + 1
		f.mu.Unlock()
		return nil
	})
	for _, e := range entries {
		c.idx.entries <- e
	}
	c.m.logSize.Set(float64(size))
	f.mu.Lock()
	f.err = err
	f.cond.Broadcast()
	f.mu.Unlock()
	return err
}

// decided waits until the follower has decided the log up to index. If the
// follower fails to read the log meanwhile, it returns ErrLogUnavailable:
// the entry is logged, and the machine, retrying, is answered what the log
// decided of it.
func (c *Center) decided(ctx context.Context, index uint64) error {
	f := c.follow
	select {
	case f.wake <- struct{}{}:
	default:
	}
	stop := context.AfterFunc(ctx, func() {
		f.mu.Lock()
		f.cond.Broadcast()
		f.mu.Unlock()
	})
	defer stop()
	f.mu.Lock()
	defer f.mu.Unlock()
	fail := f.fail
	for f.next <= index {
		if err := ctx.Err(); err != nil {
			return err
		}
		if f.fail != fail {
			return fmt.Errorf("%w (%v)", ErrLogUnavailable, f.err)
		}
		select {
		case <-f.done:
			return ErrIngestClosed
		default:
		}
		f.cond.Wait()
	}
	return nil
}
