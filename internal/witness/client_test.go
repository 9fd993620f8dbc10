package witness

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/keys"
)

// TestClient: the client asks a witness to cosign from where it last
// cosigned, with a consistency proof; a client that does not know that size
// learns it from the 409 and does not retry on its own.
func TestClient(t *testing.T) {
	key := newKey(t, "witness.example/public")
	l := newTestLog(t, "example.org/center", 3)
	dir := t.TempDir()
	w := open(t, dir, key, l)
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		requests++
		w.Handler().ServeHTTP(rw, r)
	}))
	defer srv.Close()
	proof := func(_ context.Context, from uint64) ([][]byte, error) { return l.proof(t, from, l.tree.Size()), nil }

	c, err := NewClient(key.Public, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	cosign := func(c *Client) ([]byte, error) {
		cp := l.checkpoint(t, l.tree.Size())
		line, err := c.AddCheckpoint(context.Background(), cp, l.tree.Size(), proof)
		if err == nil {
			checkCosignature(t, key, cp, line)
		}
		return line, err
	}
	if _, err := cosign(c); err != nil {
		t.Fatalf("first checkpoint: %v", err)
	}
	l.grow(5)
	if _, err := cosign(c); err != nil {
		t.Fatalf("a checkpoint 5 entries on, with a proof: %v", err)
	}
	if c.Size() != 8 || requests != 2 {
		t.Fatalf("after two checkpoints: size %d, %d requests; want 8, 2", c.Size(), requests)
	}

	// A log that restarted without knowing what the witness cosigned.
	again, err := NewClient(key.Public, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.grow(2)
	var conflict *ConflictError
	if _, err := cosign(again); !errors.As(err, &conflict) || conflict.Size != 8 || conflict.Origin != "example.org/center" {
		t.Fatalf("from size 0 to a witness at 8: %v, want a 409 with size 8", err)
	}
	if requests != 3 {
		t.Fatalf("%d requests after the 409, want 3: the client retries only when asked", requests)
	}
	if _, err := cosign(again); err != nil {
		t.Fatalf("from the size the 409 gave: %v", err)
	}
}

// TestClientRefusals: an answer that is not a valid cosignature, and a
// witness's refusal, are errors that name the witness.
func TestClientRefusals(t *testing.T) {
	key := newKey(t, "witness.example/public")
	other := newKey(t, "witness.example/public")
	l := newTestLog(t, "example.org/center", 3)
	w := open(t, t.TempDir(), other, l) // cosigns with another key of the same name
	srv := httptest.NewServer(w.Handler())
	defer srv.Close()
	c, err := NewClient(key.Public, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddCheckpoint(context.Background(), l.checkpoint(t, 3), 3, nil); err == nil || !strings.Contains(err.Error(), "no valid cosignature") {
		t.Errorf("a cosignature by another key: %v", err)
	}
	if c.Size() != 0 {
		t.Errorf("size %d after a refused answer, want 0", c.Size())
	}
	stranger := newTestLog(t, "example.org/other", 3)
	if _, err := c.AddCheckpoint(context.Background(), stranger.checkpoint(t, 3), 3, nil); err == nil || !strings.Contains(err.Error(), "404") || !strings.Contains(err.Error(), key.Name()) {
		t.Errorf("a log the witness does not know: %v", err)
	}
	for _, u := range []string{"ftp://x", "http://", "::"} {
		if _, err := NewClient(key.Public, u, nil); err == nil {
			t.Errorf("NewClient(%q) accepted", u)
		}
	}
	// A key hash that is not the key's: the client would take the
	// witness's cosignatures that the log's policy then refuses.
	ck, _ := keys.CosignatureKey(key.Public)
	for _, k := range []string{key.Public, ck} {
		name, rest, _ := strings.Cut(k, "+")
		_, data, _ := strings.Cut(rest, "+")
		bad := name + "+00000000+" + data
		if _, err := NewClient(bad, srv.URL, nil); err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "key hash") {
			t.Errorf("NewClient(%s): %v", bad, err)
		}
	}
}
