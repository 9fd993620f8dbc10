package check

import (
	"fmt"
	"slices"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// Witnessed is a checkpoint of the center's log that meets the election's
// witness policy, with when its log witnesses cosigned it.
type Witnessed struct {
	Size uint64
	// At is the earliest time among the cosignatures of the election's
	// log witnesses (cosignature/v1 carries the witness's time): each of
	// them saw the log at this size, and no larger, at that time or later.
	// A witness cosigns no checkpoint older than one it cosigned before.
	At      time.Time
	Parties []string // the parties whose log witnesses cosigned, sorted
	Raw     string
	Root    []byte // the log's root hash at Size
}

// clockSkew is how far ahead of the phone's clock a cosignature may be
// dated: phones' and witnesses' clocks drift, by minutes, not hours.
const clockSkew = time.Hour

// witnessed checks a checkpoint against the election's witness policy
// and reads the times of its cosignatures. A cosignature dated after now
// (the phone's clock, with clockSkew) makes it not believed: one witness
// could otherwise date a checkpoint past the deadline before it comes.
func witnessed(def *election.Definition, raw []byte, now time.Time) (*Witnessed, error) {
	policy := tlog.ElectionPolicy(def)
	cp, err := policy.Check(raw)
	if err != nil {
		return nil, err
	}
	center, err := note.NewVerifier(def.Center)
	if err != nil {
		return nil, err
	}
	vs := []note.Verifier{center}
	party := map[note.Verifier]string{}
	for i, k := range policy.Witnesses {
		v, err := keys.NewCosignatureVerifier(k)
		if err != nil {
			return nil, fmt.Errorf("log witness key %q: %v", k, err)
		}
		// A key listed twice is one verifier for note.Open.
		if slices.ContainsFunc(vs, func(o note.Verifier) bool { return o.Name() == v.Name() && o.KeyHash() == v.KeyHash() }) {
			continue
		}
		vs = append(vs, v)
		party[v] = policy.Parties[i]
	}
	n, err := note.Open(raw, note.VerifierList(vs...))
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %v", err)
	}
	w := &Witnessed{Size: cp.Size, Raw: string(raw), Root: cp.Hash}
	for _, s := range n.Sigs {
		for v, p := range party {
			if s.Name != v.Name() || s.Hash != v.KeyHash() {
				continue
			}
			at, err := keys.CosignatureTime(s)
			if err != nil {
				continue
			}
			if at.After(now.Add(clockSkew)) {
				return nil, fmt.Errorf("checkpoint of size %d: cosigned by the log witness of %s on %s, later than this phone's clock (%s): not believed", cp.Size, p, at.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
			}
			if w.At.IsZero() || at.Before(w.At) {
				w.At = at
			}
			if !slices.Contains(w.Parties, p) {
				w.Parties = append(w.Parties, p)
			}
		}
	}
	if w.At.IsZero() {
		return nil, fmt.Errorf("checkpoint of size %d: no cosignature of a log witness carries a time", cp.Size)
	}
	slices.Sort(w.Parties)
	return w, nil
}
