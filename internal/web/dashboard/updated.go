package dashboard

import (
	"bytes"
	"sync"
	"time"

	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/ledger"
)

// updatedClock is when the home page's figures last changed. A change the
// dashboard sees happen is timed by its clock; the figures it finds when it
// starts are timed by the log: the latest cosignature of the published
// checkpoint, which the parties' witnesses signed with its time — so a
// restart does not pass for an update.
type updatedClock struct {
	mu      sync.Mutex
	version uint64
	when    time.Time
}

func (u *updatedClock) at(version uint64, cp *ledger.Checkpoint) time.Time {
	u.mu.Lock()
	defer u.mu.Unlock()
	switch {
	case u.when.IsZero():
		u.version, u.when = version, time.Now().UTC()
		if t := cosignedAt(cp); !t.IsZero() {
			u.when = t
		}
	case version != u.version:
		u.version, u.when = version, time.Now().UTC()
	}
	return u.when
}

// cosignedAt is the latest time a witness cosigned a checkpoint with, zero
// if none did (or there is no checkpoint).
func cosignedAt(cp *ledger.Checkpoint) time.Time {
	var latest time.Time
	if cp == nil {
		return latest
	}
	_, sigs, ok := bytes.Cut(cp.Raw, []byte("\n\n"))
	if !ok {
		return latest
	}
	for _, line := range bytes.Split(sigs, []byte("\n")) {
		rest, ok := bytes.CutPrefix(line, []byte("— "))
		if !ok {
			continue
		}
		name, b64, ok := bytes.Cut(rest, []byte(" "))
		if !ok {
			continue
		}
		if t, err := fnote.CoSigV1Timestamp(note.Signature{Name: string(name), Base64: string(b64)}); err == nil && t.After(latest) {
			latest = t.UTC()
		}
	}
	return latest
}

// timeIn returns how pages write a time in an election's time zone (an
// IANA name, as the definition gives it): "2024-07-28 18:04
// (America/Caracas, UTC-04:00)", or "2024-07-28 22:04 UTC" for a
// definition that names none or names UTC.
func timeIn(zone string) func(time.Time) string {
	loc, err := time.LoadLocation(zone)
	if zone == "" || zone == "UTC" || err != nil { // Parse refused a bad name
		return func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") + " UTC" }
	}
	return func(t time.Time) string {
		t = t.In(loc)
		return t.Format("2006-01-02 15:04") + " (" + zone + ", UTC" + t.Format("-07:00") + ")"
	}
}
