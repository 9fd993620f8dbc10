package center

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
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
	d := c.dec
	d.logging.RLock()
	defer d.logging.RUnlock()
	if c.closed.Load() || c.stopped {
		return nil, ErrIngestClosed
	}
	k := d.keyOf(sa)
	l := &logged{digest: sha256.Sum256(msg), body: sha256.Sum256(sa.Body)}
	lock := d.stationLock(sa.Station)
	lock.Lock()
	defer lock.Unlock()

	status, prev, same, evidence := d.look(k, l)
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
		if err := c.follow.decided(ctx, l.index); err != nil {
			return nil, fmt.Errorf("deciding log entry %d of station %s: %w", l.index, sa.Station, err)
		}
		out = d.outcome(k, l)
		c.m.submitted(out.Status, time.Since(start))
		return out, nil
	}
	// The log has it: from here on it counts, whatever happens to the index
	// (which Open catches up from the log).
	c.idx.entries <- store.Entry{Index: l.index, Station: sa.Station, Kind: string(sa.Kind), Status: status, Acta: msg}
	d.add(k, l, status, sa)
	out.Index = l.index
	c.m.submitted(status, time.Since(start))
	c.m.logSize.Inc()
	return out, nil
}
