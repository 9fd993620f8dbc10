package center

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/triplicate-vote/triplicate/internal/ledger"
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

// A follower decides and indexes, in log order, every entry of a shared log.
type follower struct {
	ledger *ledger.Ledger
	dec    *decider
	idx    *indexer
	m      *metrics
	log    *slog.Logger

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

// start follows the log from entry next on, until close.
func (f *follower) start(next uint64) {
	ctx, cancel := context.WithCancel(context.Background())
	f.next, f.wake, f.stop, f.done = next, make(chan struct{}, 1), cancel, make(chan struct{})
	f.cond = sync.NewCond(&f.mu)
	go f.run(ctx)
}

func (f *follower) close() {
	f.stop()
	<-f.done
	f.mu.Lock()
	f.cond.Broadcast()
	f.mu.Unlock()
}

func (f *follower) run(ctx context.Context) {
	defer close(f.done)
	t := time.NewTicker(followInterval)
	defer t.Stop()
	for {
		err := f.once(ctx)
		if ctx.Err() != nil {
			return
		}
		f.mu.Lock()
		if err != nil {
			if f.fail == f.failSaid {
				f.log.Error("following the shared log: retrying", "err", err)
			}
			f.err = err
			f.fail++
			f.cond.Broadcast() // Submits waiting for a decision give up
		} else if f.fail != f.failSaid {
			f.log.Info("following the shared log again", "failures", f.fail-f.failSaid)
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

// once decides and indexes the entries appended since the last time.
func (f *follower) once(ctx context.Context) error {
	size, err := f.ledger.Integrated(ctx)
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
	err = f.ledger.Entries(ctx, from, size, func(index uint64, msg []byte) error {
		if !f.dec.skip(msg) {
			e, err := f.dec.follow(index, msg)
			if err != nil {
				return err
			}
			entries = append(entries, *e)
		}
		f.mu.Lock()
		f.next = index + 1
		f.mu.Unlock()
		return nil
	})
	for _, e := range entries {
		f.idx.entries <- e
	}
	f.m.logSize.Set(float64(size))
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
func (f *follower) decided(ctx context.Context, index uint64) error {
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
