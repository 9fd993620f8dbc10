package center

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/maphash"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/store"
)

// Errors Submit returns, besides those of acta.Open, which it wraps.
var (
	// ErrIngestClosed: the admin has closed ingest.
	ErrIngestClosed = errors.New("the center is not accepting actas")
	// ErrTooMuchEvidence: a station already has as many conflicting actas
	// logged as the center keeps.
	ErrTooMuchEvidence = errors.New("too many conflicting actas for this station")
	// ErrIndexUnavailable: the index's database cannot be reached, and the
	// center logs nothing new until it is back (its log says why).
	ErrIndexUnavailable = errors.New("the center's index is unavailable: ingest is paused until it is back")
)

// maxEvidence is how many different conflicting actas of one station and
// kind the center logs: enough to prove the misuse of a machine key, not so
// many that a stolen key can flood the log.
const maxEvidence = 16

// Outcome is what the center made of a submitted acta.
type Outcome struct {
	Station  string
	Kind     acta.Kind
	Index    uint64       // the log entry of this acta
	Status   store.Status // Accepted, Duplicate or SameCount mean success; Conflict is refused
	Accepted uint64       // for Conflict: the entry of the acta the station already has
}

// Submit checks a signed acta against the election and decides it:
//   - the first valid acta of a station and kind is logged and accepted;
//   - the very same acta again gets the same log entry (Duplicate), and one
//     with the same count but other signatures the accepted one's (SameCount);
//     neither is logged again;
//   - a different count of a station that has one is refused, and logged as
//     evidence that the machine key was misused (Conflict), up to maxEvidence.
//
// Submit returns once the decision is durable: what it logs is durably
// sequenced first.
func (c *Center) Submit(ctx context.Context, msg []byte) (*Outcome, error) {
	start := time.Now()
	sa, err := acta.Open(msg, c.def)
	if err != nil {
		c.m.rejected(err)
		return nil, err
	}
	c.logging.RLock()
	defer c.logging.RUnlock()
	if c.closed.Load() || c.stopped {
		return nil, ErrIngestClosed
	}
	k := c.keyOf(sa)
	l := &logged{digest: sha256.Sum256(msg), body: sha256.Sum256(sa.Body)}
	lock := &c.locks[maphash.String(lockSeed, sa.Station)%uint64(len(c.locks))]
	lock.Lock()
	defer lock.Unlock()

	c.mu.RLock()
	status := c.classify(k, l)
	prev := c.accepted[k]
	same := c.sameAs(k, l, status)
	evidence := len(c.evidence[k])
	c.mu.RUnlock()
	out := &Outcome{Station: sa.Station, Kind: sa.Kind, Status: status}
	if prev != nil {
		out.Accepted = prev.index
	}
	if same != nil {
		// Already logged: the same receipt.
		out.Index = same.index
		c.m.submitted(status, time.Since(start))
		return out, nil
	}
	if status == store.Conflict && evidence >= maxEvidence {
		return nil, fmt.Errorf("station %s: %w (%d kept)", sa.Station, ErrTooMuchEvidence, evidence)
	}
	if err := c.refuseNew(); err != nil {
		// Nothing new is logged while the index cannot take it, or the
		// shared log's ingest is not open here; what was already logged is
		// answered above as ever.
		return nil, err
	}
	if l.index, err = c.ledger.Add(ctx, msg); err != nil {
		if c.follow != nil {
			// The shared log's database: the acta may be logged or not, and
			// the machine, retrying, learns which.
			return nil, fmt.Errorf("logging the acta of station %s: %w (%v)", sa.Station, ErrLogUnavailable, err)
		}
		return nil, fmt.Errorf("logging the acta of station %s: %w", sa.Station, err)
	}
	if c.follow != nil {
		// A shared log: the log's order decides, as the follower replays it.
		if err := c.decided(ctx, l.index); err != nil {
			return nil, fmt.Errorf("deciding log entry %d of station %s: %w", l.index, sa.Station, err)
		}
		c.mu.RLock()
		out = c.outcome(k, l)
		c.mu.RUnlock()
		c.m.submitted(out.Status, time.Since(start))
		return out, nil
	}
	// The log has it: from here on it counts, whatever happens to the index
	// (which Open catches up from the log).
	c.idx.entries <- store.Entry{Index: l.index, Station: sa.Station, Kind: string(sa.Kind), Status: status, Acta: msg}
	c.mu.Lock()
	c.record(k, l, status, sa)
	c.mu.Unlock()
	out.Index = l.index
	c.m.submitted(status, time.Since(start))
	c.m.logSize.Inc()
	return out, nil
}

var lockSeed = maphash.MakeSeed()

// classify decides what a logged acta is, given what the station already has.
func (c *Center) classify(k stationKind, l *logged) store.Status {
	prev := c.accepted[k]
	switch {
	case prev == nil:
		return store.Accepted
	case prev.digest == l.digest:
		return store.Duplicate
	case prev.body == l.body:
		return store.SameCount
	}
	return store.Conflict
}

// sameAs returns the logged acta a submission needs no new entry for: the
// accepted one for a duplicate or the same count, an identical piece of
// evidence for a conflict already logged.
func (c *Center) sameAs(k stationKind, l *logged, status store.Status) *logged {
	switch status {
	case store.Duplicate, store.SameCount:
		return c.accepted[k]
	case store.Conflict:
		for _, e := range c.evidence[k] {
			if e.digest == l.digest {
				return e
			}
		}
	}
	return nil
}

// record applies a decision. The caller holds c.mu, or is loading.
func (c *Center) record(k stationKind, l *logged, status store.Status, sa *acta.Signed) {
	c.entries[c.def.StationIndex(sa.Station)]++
	switch status {
	case store.Accepted:
		c.accepted[k] = l
		if sa.Kind == acta.Final {
			i := c.def.StationIndex(sa.Station)
			c.figures.add(i, l.index, sa)
			c.results.add(c.figures, i)
		}
	case store.Conflict:
		c.evidence[k] = append(c.evidence[k], l)
	}
}

// outcome is what the log decided of an acta a center appended at l.index to
// a shared log, once the follower has replayed it; the caller holds c.mu.
// An acta that another front-end's entry beat to the log is answered as a
// single center would have answered it.
func (c *Center) outcome(k stationKind, l *logged) *Outcome {
	acc := c.accepted[k] // never nil: the log has l
	out := &Outcome{Station: k.station, Kind: k.kind, Index: l.index}
	if acc.index == l.index {
		out.Status = store.Accepted
		return out
	}
	out.Accepted = acc.index
	out.Status = store.Conflict
	switch {
	case acc.digest == l.digest:
		out.Status = store.Duplicate
	case acc.body == l.body:
		out.Status = store.SameCount
	}
	if same := c.sameAs(k, l, out.Status); same != nil {
		out.Index = same.index
	}
	return out
}
