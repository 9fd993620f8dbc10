package ledger_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/tessera/client"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

func TestAppendReceiptReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	key := electiontest.Key("ledger", "test/center")
	l, err := ledger.Open(ctx, ledger.Config{Dir: dir, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	const n = 300
	indexes := make([]uint64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			idx, err := l.Add(ctx, fmt.Appendf(nil, "entry %d\n", i))
			if err != nil {
				t.Error(err)
			}
			indexes[i] = idx
		}()
	}
	wg.Wait()
	seen := map[uint64]bool{}
	for _, idx := range indexes {
		if idx >= n || seen[idx] {
			t.Fatalf("index %d out of range or repeated", idx)
		}
		seen[idx] = true
	}
	for _, i := range []int{0, 7, n - 1} {
		r, err := l.Receipt(ctx, indexes[i])
		if err != nil {
			t.Fatal(err)
		}
		cp, _, _, err := log.ParseCheckpoint([]byte(r.Checkpoint), "test/center", mustVerifier(t, key.Public))
		if err != nil {
			t.Fatal(err)
		}
		leaf := rfc6962.DefaultHasher.HashLeaf(fmt.Appendf(nil, "entry %d\n", i))
		if err := proof.VerifyInclusion(rfc6962.DefaultHasher, r.Index, cp.Size, leaf, r.Proof, cp.Hash); err != nil {
			t.Fatalf("receipt of entry %d: %v", i, err)
		}
	}
	if err := l.Close(ctx); err != nil {
		t.Fatal(err)
	}

	// Read back from the files alone, as a rebuild or a verifier would.
	f := client.FileFetcher{Root: dir}
	got := map[string]uint64{}
	if err := tlog.Entries(ctx, f.ReadEntryBundle, 0, n, n, func(i uint64, data []byte) error {
		got[string(data)] = i
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if idx, ok := got[fmt.Sprintf("entry %d\n", i)]; !ok || idx != indexes[i] {
			t.Fatalf("entry %d at %d, acknowledged at %d", i, idx, indexes[i])
		}
	}

	// Reopen: appending goes on after the last entry.
	l, err = ledger.Open(ctx, ledger.Config{Dir: dir, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close(ctx)
	if idx, err := l.Add(ctx, []byte("after reopening\n")); err != nil || idx != n {
		t.Fatalf("Add after reopening: %d, %v; want %d", idx, err, n)
	}
}

func TestHandler(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	l, err := ledger.Open(ctx, ledger.Config{Dir: dir, Key: electiontest.Key("ledger", "test/center")})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		if _, err := l.Add(ctx, fmt.Appendf(nil, "entry %d\n", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(ctx); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "tile", "entries", "000.tmp123"), []byte("partial write"), 0o644)
	srv := httptest.NewServer(ledger.Handler(dir))
	defer srv.Close()
	for path, want := range map[string]int{
		"/checkpoint":               200,
		"/tile/entries/000":         200,
		"/tile/entries/001.p/44":    200,
		"/tile/0/000":               200,
		"/.state/treeState":         404,
		"/tile/entries/000.tmp123":  404,
		"/tile/../.state/treeState": 404,
		"/":                         404,
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	resp, err := http.Post(srv.URL+"/checkpoint", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /checkpoint: %d, want 405", resp.StatusCode)
	}
}

func mustVerifier(t *testing.T, vkey string) note.Verifier {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestNothingPublishedAfterClose: once Close returns, the appender is stopped
// and no checkpoint appears behind the witnesses' back.
func TestNothingPublishedAfterClose(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	l, err := ledger.Open(ctx, ledger.Config{Dir: dir, Key: electiontest.Key("ledger", "test/center")})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		if _, err := l.Add(ctx, fmt.Appendf(nil, "entry %d\n", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(ctx); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(dir, "checkpoint"))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond) // four checkpoint intervals
	after, _ := os.ReadFile(filepath.Join(dir, "checkpoint"))
	if string(after) != string(before) {
		t.Fatal("a checkpoint was published after Close")
	}
}

func TestWitnessPolicyErrors(t *testing.T) {
	key := electiontest.Key("ledger", "test/center")
	w := electiontest.Key("ledger", "test/logwitness/a")
	for _, c := range []ledger.Config{
		{Witnesses: []ledger.Witness{{Key: w.Public, URL: "http://127.0.0.1:1"}}, Quorum: 0},
		{Witnesses: []ledger.Witness{{Key: w.Public, URL: "http://127.0.0.1:1"}}, Quorum: 2},
		{Witnesses: []ledger.Witness{{Key: w.Public, URL: "http://127.0.0.1:1"}, {Key: w.Public, URL: "http://127.0.0.1:2"}}, Quorum: 2},
	} {
		c.Dir, c.Key = t.TempDir(), key
		if _, err := ledger.Open(context.Background(), c); err == nil {
			t.Errorf("Open with %d witnesses, quorum %d: no error", len(c.Witnesses), c.Quorum)
		}
	}
}

// TestPolicy: a checkpoint signed by the center alone does not meet a policy
// that wants a witness, and a receipt on it does not verify.
func TestPolicy(t *testing.T) {
	ctx := context.Background()
	key := electiontest.Key("ledger", "test/center")
	l, err := ledger.Open(ctx, ledger.Config{Dir: t.TempDir(), Key: key})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close(ctx)
	idx, err := l.Add(ctx, []byte("entry\n"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := l.Receipt(ctx, idx)
	if err != nil {
		t.Fatal(err)
	}
	alone := tlog.Policy{Center: key.Public}
	if _, err := r.Verify([]byte("entry\n"), alone); err != nil {
		t.Fatalf("receipt under a policy of no witnesses: %v", err)
	}
	if _, err := r.Verify([]byte("other\n"), alone); err == nil {
		t.Fatal("a receipt verified for another entry")
	}
	witnessed := tlog.Policy{Center: key.Public, Witnesses: []string{electiontest.Key("ledger", "test/logwitness/pa").Public}, Quorum: 1}
	if _, err := r.Verify([]byte("entry\n"), witnessed); err == nil || !strings.Contains(err.Error(), "has 0 witness cosignatures, the policy needs 1") {
		t.Fatalf("receipt without the witness's cosignature: %v", err)
	}
}
