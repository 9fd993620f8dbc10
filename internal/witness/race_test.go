package witness

import (
	"errors"
	"sync"
	"testing"
)

// TestRace sends requests from one old size at once, each for a larger
// checkpoint, and holds them all after their check until every one has
// passed it: exactly one is cosigned, and the others get a conflict with
// its size, never rolling the witness back to theirs.
func TestRace(t *testing.T) {
	const n = 8
	key := newKey(t, "witness.example/party-a")
	center := newTestLog(t, "example.org/center", 3+n)
	w := open(t, t.TempDir(), key, center)
	if _, err := w.AddCheckpoint(center.add(t, 0, 3)); err != nil {
		t.Fatal(err)
	}
	var checked sync.WaitGroup
	checked.Add(n)
	release := make(chan struct{})
	w.testingOnlyStall = func() {
		checked.Done()
		<-release
	}
	errs := make([]error, n)
	var done sync.WaitGroup
	for i := range n {
		body := center.add(t, 3, uint64(4+i))
		done.Go(func() { _, errs[i] = w.AddCheckpoint(body) })
	}
	checked.Wait()
	close(release)
	done.Wait()

	won := -1
	for i, err := range errs {
		if err == nil {
			if won >= 0 {
				t.Errorf("sizes %d and %d both cosigned from size 3", 4+won, 4+i)
			}
			won = i
		}
	}
	if won < 0 {
		t.Fatalf("none cosigned: %v", errs)
	}
	latest := w.logs["example.org/center"].latest.Load().size
	if latest != uint64(4+won) {
		t.Errorf("latest cosigned size %d, want %d", latest, 4+won)
	}
	for i, err := range errs {
		var conflict *ConflictError
		if i != won && (!errors.As(err, &conflict) || conflict.Size != latest) {
			t.Errorf("size %d: %v, want a conflict with size %d", 4+i, err, latest)
		}
	}
}

// TestConcurrent sends many requests at once, as several logs would, for
// the race detector.
func TestConcurrent(t *testing.T) {
	key := newKey(t, "witness.example/party-a")
	a := newTestLog(t, "example.org/a", 16)
	b := newTestLog(t, "example.org/b", 16)
	w := open(t, t.TempDir(), key, a, b)
	var wg sync.WaitGroup
	for _, l := range []*testLog{a, b} {
		for size := range uint64(16) {
			body := l.add(t, 0, size+1)
			wg.Go(func() {
				w.AddCheckpoint(body)
				w.Latest(l.signer.Name())
			})
		}
	}
	wg.Wait()
	for _, l := range []*testLog{a, b} {
		if _, ok := w.Latest(l.signer.Name()); !ok {
			t.Errorf("log %s: nothing cosigned", l.signer.Name())
		}
	}
}
