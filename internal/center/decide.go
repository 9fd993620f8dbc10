package center

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"hash/maphash"
	"sync"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/store"
)

// A decider holds what the log's entries decided, in memory: each station's
// accepted acta of each kind, the conflicting actas logged as evidence, and
// the running totals of the accepted final actas. Submit, Open's replay of
// the log, the follower of a shared log and Rebuild all decide through it,
// by one rule: the first valid acta of a station and kind in the log is
// accepted, the same acta or the same count again is a duplicate, and a
// different count is a conflict.
type decider struct {
	def *election.Definition
	// definition is the log's entry 0, which a restart or a shared log's
	// centers may have logged again; such entries are skipped.
	definition []byte

	// logging is held shared by every Submit from the moment it hands an
	// acta to the log until its decision is recorded; taking it exclusively
	// waits until every entry in the log is decided.
	logging sync.RWMutex
	locks   [256]sync.Mutex // by station, so that one station's actas are decided one at a time

	mu       sync.RWMutex
	accepted map[stationKind]*logged // the station's acta of each kind
	evidence map[stationKind][]*logged
	figures  *figures // of the accepted final actas
	results  *results
	entries  []uint32 // how many log entries each station has, by its position
}

func newDecider(def *election.Definition) *decider {
	return &decider{def: def, definition: definitionEntry(def), accepted: map[stationKind]*logged{}, evidence: map[stationKind][]*logged{},
		figures: newFigures(def), results: newResults(def), entries: make([]uint32, len(def.Stations))}
}

type stationKind struct {
	station string
	kind    acta.Kind
}

// keyOf is the station and kind of an acta that Open accepted, in the
// definition's and the package's strings: the acta's own are parts of its
// text, which the map's key would keep in memory.
func (d *decider) keyOf(sa *acta.Signed) stationKind {
	k := stationKind{d.def.Stations[d.def.StationIndex(sa.Station)].ID, sa.Kind}
	for _, kind := range []acta.Kind{acta.Zero, acta.Final, acta.Hand} {
		if sa.Kind == kind {
			k.kind = kind
		}
	}
	return k
}

// logged is an acta in the log.
type logged struct {
	index  uint64
	digest [32]byte // of the whole signed acta
	body   [32]byte // of its body
}

var lockSeed = maphash.MakeSeed()

// stationLock is the lock that orders the decisions of a station's actas.
func (d *decider) stationLock(station string) *sync.Mutex {
	return &d.locks[maphash.String(lockSeed, station)%uint64(len(d.locks))]
}

// settle waits until every acta handed to the log is decided.
func (d *decider) settle() {
	d.logging.Lock()
	d.logging.Unlock() //lint:ignore SA2001 the lock is taken to wait, not to guard
}

// skip reports whether a log entry past 0 is the definition logged again
// (see firstActa): no acta, and neither decided nor indexed.
func (d *decider) skip(msg []byte) bool { return bytes.Equal(msg, d.definition) }

// replay applies one log entry to the decisions and the results, as Submit
// decided it when it was logged; status, if not empty, is what the store says
// was decided, and must agree. The caller holds d.mu, or is loading.
func (d *decider) replay(index uint64, msg []byte, status store.Status) (*store.Entry, error) {
	sa, err := acta.Open(msg, d.def)
	if err != nil {
		return nil, fmt.Errorf("log entry %d is not a valid acta of election %s: %w", index, d.def.ID, err)
	}
	k := d.keyOf(sa)
	l := &logged{index: index, digest: sha256.Sum256(msg), body: sha256.Sum256(sa.Body)}
	got := d.classify(k, l)
	if status != "" && got != status {
		return nil, fmt.Errorf("log entry %d: the index says %s, the log %s", index, status, got)
	}
	d.record(k, l, got, sa)
	return &store.Entry{Index: index, Station: sa.Station, Kind: string(sa.Kind), Status: got, Acta: msg}, nil
}

// look is what the station already has for a submitted acta l of kind k:
// its status if it were logged now, the accepted acta (if any), the logged
// acta that makes a new entry needless (if any), and how many conflicting
// actas are kept.
func (d *decider) look(k stationKind, l *logged) (status store.Status, prev, same *logged, evidence int) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	status = d.classify(k, l)
	return status, d.accepted[k], d.sameAs(k, l, status), len(d.evidence[k])
}

// classify decides what a logged acta is, given what the station already has.
func (d *decider) classify(k stationKind, l *logged) store.Status {
	prev := d.accepted[k]
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
func (d *decider) sameAs(k stationKind, l *logged, status store.Status) *logged {
	switch status {
	case store.Duplicate, store.SameCount:
		return d.accepted[k]
	case store.Conflict:
		for _, e := range d.evidence[k] {
			if e.digest == l.digest {
				return e
			}
		}
	}
	return nil
}

// record applies a decision. The caller holds d.mu, or is loading.
func (d *decider) record(k stationKind, l *logged, status store.Status, sa *acta.Signed) {
	d.entries[d.def.StationIndex(sa.Station)]++
	switch status {
	case store.Accepted:
		d.accepted[k] = l
		if sa.Kind == acta.Final {
			i := d.def.StationIndex(sa.Station)
			d.figures.add(i, l.index, sa)
			d.results.add(d.figures, i)
		}
	case store.Conflict:
		d.evidence[k] = append(d.evidence[k], l)
	}
}

// add records the decision Submit made of an acta it logged.
func (d *decider) add(k stationKind, l *logged, status store.Status, sa *acta.Signed) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.record(k, l, status, sa)
}

// follow applies an entry another front-end may have appended to a shared
// log, as replay does.
func (d *decider) follow(index uint64, msg []byte) (*store.Entry, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.replay(index, msg, "")
}

// outcome is what the log decided of an acta a center appended at l.index to
// a shared log, once the follower has replayed it. An acta that another
// front-end's entry beat to the log is answered as a single center would
// have answered it.
func (d *decider) outcome(k stationKind, l *logged) *Outcome {
	d.mu.RLock()
	defer d.mu.RUnlock()
	acc := d.accepted[k] // never nil: the log has l
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
	if same := d.sameAs(k, l, out.Status); same != nil {
		out.Index = same.index
	}
	return out
}

// reportedIn returns the positions in the definition of the stations whose
// accepted final acta is among the first size entries of the log, in order;
// their figures are d.figures'. It waits until every entry in the log is
// decided, and holds up ingest only while it looks.
func (d *decider) reportedIn(size uint64) []int {
	d.logging.Lock()
	defer d.logging.Unlock()
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []int
	for i := range d.def.Stations {
		if index, ok := d.figures.reported(i); ok && index < size {
			out = append(out, i)
		}
	}
	return out
}

// result returns the totals of an area ("" for the whole election).
func (d *decider) result(area string) (*Result, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.results.result(area)
}

// stationEntries returns how many log entries station i has.
func (d *decider) stationEntries(i int) int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return int(d.entries[i])
}

// reported reports whether a station has an accepted final acta.
func (d *decider) reported(id string) bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.accepted[stationKind{id, acta.Final}] != nil
}
