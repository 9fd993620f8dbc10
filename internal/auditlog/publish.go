package auditlog

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/transparency-dev/tessera/client"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// Dir is where an audit's log is, in its directory.
const Dir = "log"

// Open opens the log of the audit in dir (in dir/log), signed by key,
// which must be an auditor key of def, and cosigned by witnesses, each of
// which must be a log witness def enrols: a checkpoint is published only
// once def's policy is met (its quorum of parties, or its groups).
func Open(ctx context.Context, dir string, def *election.Definition, key *keys.Key, witnesses []ledger.Witness) (*Log, error) {
	if !slices.ContainsFunc(def.Auditors, func(a string) bool { return sameKey(a, key.Public) }) {
		return nil, fmt.Errorf("key %s is not an auditor key of election %s: the audit's log is signed by one", election.KeyID(key.Public), def.ID)
	}
	if len(witnesses) == 0 && len(def.LogWitnesses) > 0 {
		return nil, fmt.Errorf("election %s enrols %d log witnesses: give theirs (-witness KEY@URL), whose cosignatures its policy requires", def.ID, len(def.LogWitnesses))
	}
	ws := slices.Clone(witnesses)
	for i, w := range ws {
		j := slices.IndexFunc(def.LogWitnesses, func(lw election.LogWitness) bool { return sameKey(lw.Key, w.Key) })
		if j < 0 {
			return nil, fmt.Errorf("witness %s: key %s is not a log witness election %s enrols", w.URL, election.KeyID(w.Key), def.ID)
		}
		ws[i].Party = def.LogWitnesses[j].Party
	}
	p := tlog.ElectionPolicy(def)
	c := ledger.Config{Dir: filepath.Join(dir, Dir), Key: key, Witnesses: ws, Quorum: p.Quorum, Groups: p.Groups}
	if len(ws) > 0 && len(p.Groups) == 0 && c.Quorum == 0 {
		c.Quorum = 1
	}
	l, err := ledger.Open(ctx, c)
	if err != nil {
		return nil, err
	}
	return &Log{Ledger: l}, nil
}

// Log is an audit's log, open for appending by one process.
type Log struct {
	*ledger.Ledger
	mu   sync.Mutex
	next uint64 // the index after the last entry this process added
}

// Publish appends to the log the lines of dir's trail it does not hold
// yet, each with the files it commits to, and returns how many. A log
// that holds more entries than the trail has lines means the trail was
// cut: refused. What the log holds is what it has integrated, or what
// this process has added if more (an entry added is sequenced at once
// but integrated a moment later: it must not be added twice).
func (l *Log) Publish(ctx context.Context, dir string) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	path := filepath.Join(dir, audit.TrailFile)
	entries, err := audit.ReadTrail(path)
	if err != nil {
		return 0, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	lines = lines[:len(entries)]
	n, err := l.Integrated(ctx)
	if err != nil {
		return 0, err
	}
	if l.next == 0 && n > 0 && n < uint64(len(entries)) {
		// The first publishing of this process: the trail must continue what
		// the log holds, not replace it.
		if err := l.continues(ctx, dir, n, lines[n-1]); err != nil {
			return 0, err
		}
	}
	n = max(n, l.next)
	if n > uint64(len(entries)) {
		return 0, fmt.Errorf("%s has %d entries, the log in %s %d: the trail was cut", path, len(entries), filepath.Join(dir, Dir), n)
	}
	added := 0
	for i := n; i < uint64(len(entries)); i++ {
		files, err := audit.EvidenceOf(dir, &entries[i])
		if err != nil {
			return added, err
		}
		e := Entry{Line: bytes.TrimSuffix(lines[i], []byte("\n")), Files: files}
		idx, err := l.Add(ctx, e.Marshal())
		if err != nil {
			return added, err
		}
		l.next = idx + 1
		if idx != i {
			return added, fmt.Errorf("%s:%d went to entry %d of the log, want %d: was the log written by another process?", path, i+1, idx, i)
		}
		added++
	}
	return added, nil
}

// continues checks that the log's last entry, of n, is the trail's line n.
func (l *Log) continues(ctx context.Context, dir string, n uint64, line []byte) error {
	f := client.FileFetcher{Root: filepath.Join(dir, Dir)}
	return tlog.Entries(ctx, f.ReadEntryBundle, n-1, n, n, func(_ uint64, data []byte) error {
		e, err := Parse(data)
		if err != nil {
			return fmt.Errorf("the log in %s, entry %d: %v", f.Root, n-1, err)
		}
		if !bytes.Equal(append(e.Line, '\n'), line) {
			return fmt.Errorf("%s:%d is not entry %d of the log in %s: the trail was altered", filepath.Join(dir, audit.TrailFile), n, n-1, f.Root)
		}
		return nil
	})
}

// sameKey reports whether two verifier keys are the same public key.
func sameKey(a, b string) bool {
	ka, kb := election.KeyBytes(a), election.KeyBytes(b)
	return ka != nil && string(ka) == string(kb)
}
