package ledger_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/transparency-dev/tessera/api"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/ledger/ledgertest"
	"github.com/triplicate-vote/triplicate/internal/tlog"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// TestMySQLShared: two appenders on one MySQL database make one log, with
// checkpoints published only once two witnesses cosign them; either reads
// back every entry, gives receipts that verify under the policy, and serves
// the log's files from the database.
func TestMySQLShared(t *testing.T) {
	dsn := ledgertest.MySQL(t)
	ctx := context.Background()
	key := electiontest.Key("ledger", "test/center")
	var ws []ledger.Witness
	policy := tlog.Policy{Center: key.Public, Quorum: 2}
	for _, p := range []string{"pa", "pb"} {
		k := electiontest.Key("ledger", "test/logwitness/"+p)
		w, err := witness.Open(t.TempDir(), k, []witness.Log{{Key: key.Public}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(w.Handler())
		t.Cleanup(func() { srv.Close(); w.Close() })
		ws = append(ws, ledger.Witness{Key: k.Public, URL: srv.URL})
		policy.Witnesses = append(policy.Witnesses, k.Public)
	}
	var ls []*ledger.Ledger
	for range 2 {
		l, err := ledger.Open(ctx, ledger.Config{MySQL: dsn, Key: key, Witnesses: ws, Quorum: 2})
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
	}
	const n = 300
	indexes := make([]uint64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			idx, err := ls[i%2].Add(ctx, fmt.Appendf(nil, "entry %d\n", i))
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
	for _, l := range ls {
		if size, err := l.Integrated(ctx); err != nil || size != n {
			t.Fatalf("integrated size %d, %v; want %d", size, err, n)
		}
		got := map[uint64]string{}
		if err := l.Entries(ctx, 0, n, func(i uint64, data []byte) error { got[i] = string(data); return nil }); err != nil {
			t.Fatal(err)
		}
		for i, idx := range indexes {
			if got[idx] != fmt.Sprintf("entry %d\n", i) {
				t.Fatalf("entry %d: %q, want entry %d", idx, got[idx], i)
			}
		}
		for _, i := range []int{0, 7, n - 1} {
			r, err := l.Receipt(ctx, indexes[i])
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.Verify(fmt.Appendf(nil, "entry %d\n", i), policy); err != nil {
				t.Fatalf("receipt of entry %d: %v", i, err)
			}
		}
	}
	srv := httptest.NewServer(ls[1].Handler())
	defer srv.Close()
	for path, want := range map[string]int{
		"/checkpoint":            200,
		"/tile/entries/000":      200,
		"/tile/entries/001.p/44": 200,
		"/tile/entries/001":      404,
		"/tile/0/000":            200,
		"/tile/0/001.p/44":       200,
		"/tile/0/002":            404,
		"/.state/treeState":      404,
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
		switch path {
		case "/tile/entries/001.p/44":
			var b api.EntryBundle
			if err := b.UnmarshalText(body); err != nil || len(b.Entries) != 44 {
				t.Errorf("GET %s: %d entries, %v; want 44", path, len(b.Entries), err)
			}
		case "/tile/0/001.p/44":
			if len(body) != 44*32 {
				t.Errorf("GET %s: %d bytes, want %d", path, len(body), 44*32)
			}
		case "/checkpoint":
			if _, err := policy.Check(body); err != nil {
				t.Errorf("GET %s: %v", path, err)
			}
		}
	}
	for _, l := range ls {
		if err := l.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
}
