package ledger_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/tlog"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// fakeClock is a clock that moves only when the test says.
type fakeClock struct {
	mu   sync.Mutex
	now  time.Time
	wake chan struct{}
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 7, 28, 18, 0, 0, 0, time.UTC), wake: make(chan struct{})}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) SleepUntil(ctx context.Context, t time.Time) error {
	for {
		c.mu.Lock()
		if !c.now.Before(t) {
			c.mu.Unlock()
			return ctx.Err()
		}
		wake := c.wake
		c.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	close(c.wake)
	c.wake = make(chan struct{})
}

// witnessServer runs a log witness of the center's log with key name of
// fixture f, behind handler wrap (nil: none).
func witnessServer(t *testing.T, f *electiontest.Fixture, name string, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	key := f.Log[name]
	if key == nil {
		key = f.Public[name]
	}
	w, err := witness.Open(t.TempDir(), key, []witness.Log{{Key: f.Center.Public}}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = w.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); w.Close() })
	return srv.URL
}

// counting counts the requests a handler serves.
func counting(n *atomic.Int64) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			h.ServeHTTP(w, r)
		})
	}
}

// openWitnessed opens a log whose checkpoints party pa's witness cosigns.
func openWitnessed(t *testing.T, f *electiontest.Fixture) *ledger.Ledger {
	t.Helper()
	l, err := ledger.Open(context.Background(), ledger.Config{Dir: t.TempDir(), Key: f.Center,
		Witnesses: []ledger.Witness{{Key: f.Log["pa"].Public, URL: witnessServer(t, f, "pa", nil), Party: "pa"}}, Quorum: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close(context.Background()) })
	return l
}

// addPublished adds an entry and waits until a published checkpoint covers it.
func addPublished(t *testing.T, l *ledger.Ledger, data string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	idx, err := l.Add(ctx, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Receipt(ctx, idx); err != nil {
		t.Fatal(err)
	}
}

// TestPublicFeedRate: however often the log publishes, each public witness
// is asked at most once an interval, and the slow feed's checkpoints meet
// its policy with their cosignatures.
func TestPublicFeedRate(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 1, PublicWitnesses: 2})
	l := openWitnessed(t, f)
	var n1, n2 atomic.Int64
	const interval = time.Minute
	c := ledger.PublicConfig{
		Witnesses: []ledger.Witness{
			{Key: f.Public["pw1"].Public, URL: witnessServer(t, f, "pw1", counting(&n1)), Party: "pw1"},
			{Key: f.Public["pw2"].Public, URL: witnessServer(t, f, "pw2", counting(&n2)), Party: "pw2"},
		},
		Policy:   tlog.PublicPolicy(f.Def),
		Interval: interval,
		File:     filepath.Join(t.TempDir(), "checkpoint.public"),
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	clock := newFakeClock()
	ledger.SetPublicClock(&c, clock.Now, clock.SleepUntil)
	addPublished(t, l, "entry 0\n")
	feed, err := l.StartPublicFeed(c)
	if err != nil {
		t.Fatal(err)
	}
	defer feed.Close()
	// waitRounds waits until each witness has been asked k times.
	waitRounds := func(k int64) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); n1.Load() < k || n2.Load() < k; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("witnesses asked %d and %d times, want %d", n1.Load(), n2.Load(), k)
			}
		}
	}
	waitRounds(1)
	// Five intervals in quarters, the log publishing a checkpoint in each.
	const steps = 20
	for i := 1; i <= steps; i++ {
		addPublished(t, l, "entry\n")
		clock.Advance(interval / 4)
		if i%4 == 0 {
			waitRounds(int64(i/4 + 1))
		}
	}
	// A round under way at the last advance is the sixth: let it end.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if cp := feed.Latest(); cp != nil {
			if got, _ := tlog.PublicPolicy(f.Def).Check(cp); got != nil && got.Size == steps+1 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the slow feed did not reach the log's size %d", steps+1)
		}
	}
	feed.Close()
	if got1, got2 := n1.Load(), n2.Load(); got1 != steps/4+1 || got2 != steps/4+1 {
		t.Errorf("over %d intervals, with %d checkpoints published, the witnesses were asked %d and %d times, want %d each",
			steps/4, steps+1, got1, got2, steps/4+1)
	}

	// The slow feed's checkpoint meets its policy and the log's; the
	// log's own does not meet the slow feed's.
	slow := feed.Latest()
	if _, err := tlog.ElectionPolicy(f.Def).Check(slow); err != nil {
		t.Errorf("the slow feed's checkpoint fails the log's policy: %v", err)
	}
	fast, err := l.Published(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tlog.PublicPolicy(f.Def).Check(fast.Raw); err == nil {
		t.Error("the log's checkpoint, without public cosignatures, meets the slow feed's policy")
	}

	// A restart serves the feed's latest from its file at once.
	again, err := l.StartPublicFeed(c)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if string(again.Latest()) != string(slow) {
		t.Errorf("after a restart the slow feed has\n%s\nwant\n%s", again.Latest(), slow)
	}
	again.Close()

	// A saved checkpoint of another policy (two public witnesses needed
	// now) is not served: the feed starts afresh.
	c.Policy.Groups[len(c.Policy.Groups)-2].Threshold = 3
	stricter, err := l.StartPublicFeed(c)
	if err != nil {
		t.Fatal(err)
	}
	defer stricter.Close()
	if got := stricter.Latest(); got != nil {
		t.Errorf("the slow feed serves a saved checkpoint that fails its policy:\n%s", got)
	}
}

// TestPublicFeedWitnessDown: a public witness that hangs and one that is
// down never hold up the log: it goes on publishing, and the slow feed,
// whose policy they cannot meet, publishes nothing.
func TestPublicFeedWitnessDown(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 1, PublicWitnesses: 2})
	l := openWitnessed(t, f)
	asked := make(chan struct{}, 1)
	hang := func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body) // so that the server sees the client go
			select {
			case asked <- struct{}{}:
			default:
			}
			<-r.Context().Done()
		})
	}
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()
	c := ledger.PublicConfig{
		Witnesses: []ledger.Witness{
			{Key: f.Public["pw1"].Public, URL: witnessServer(t, f, "pw1", hang), Party: "pw1"},
			{Key: f.Public["pw2"].Public, URL: downURL, Party: "pw2"},
		},
		Policy:   tlog.PublicPolicy(f.Def),
		Interval: time.Hour,
		File:     filepath.Join(t.TempDir(), "checkpoint.public"),
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	addPublished(t, l, "entry 0\n")
	feed, err := l.StartPublicFeed(c)
	if err != nil {
		t.Fatal(err)
	}
	defer feed.Close() // ends the round in flight, before the servers close
	select {
	case <-asked:
	case <-time.After(30 * time.Second):
		t.Fatal("the hanging public witness was never asked")
	}
	// The round is held by the hanging witness: the log goes on.
	for i := range 30 {
		addPublished(t, l, "entry "+string(rune('a'+i%26))+"\n")
	}
	cp, err := l.Published(context.Background())
	if err != nil || cp.Size != 31 {
		t.Fatalf("published checkpoint %v, %v; want one of 31 entries", cp, err)
	}
	if feed.Latest() != nil {
		t.Errorf("the slow feed published a checkpoint no public witness cosigned:\n%s", feed.Latest())
	}
}
