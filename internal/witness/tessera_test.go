package witness

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/transparency-dev/formats/log"
	fnote "github.com/transparency-dev/formats/note"
	"github.com/transparency-dev/tessera"
	"github.com/transparency-dev/tessera/storage/posix"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/keys"
)

// TestTessera runs a Tessera v1 log on its POSIX driver that publishes a
// checkpoint only with this witness's cosignature, and checks what it
// publishes, through two rounds of entries, the second with a consistency
// proof.
func TestTessera(t *testing.T) {
	key := newKey(t, "witness.example/party-a")
	center := newTestLog(t, "example.org/center", 0)
	w := open(t, t.TempDir(), key, center)
	srv := httptest.NewServer(w.Handler())
	defer srv.Close()

	ck, err := keys.CosignatureKey(key.Public)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	wit, err := tessera.NewWitness(ck, u)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	driver, err := posix.New(ctx, posix.Config{Path: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	app, shutdown, reader, err := tessera.NewAppender(ctx, driver, tessera.NewAppendOptions().
		WithCheckpointSigner(center.signer).
		WithBatching(16, 10*time.Millisecond).
		WithCheckpointInterval(100*time.Millisecond).
		WithWitnesses(tessera.NewWitnessGroup(1, wit), &tessera.WitnessOptions{Timeout: 5 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		if err := shutdown(sctx); err != nil {
			t.Error(err)
		}
		cancel()
	}()

	logV, err := note.NewVerifier(center.vkey)
	if err != nil {
		t.Fatal(err)
	}
	witV, err := fnote.NewVerifierForCosignatureV1(ck)
	if err != nil {
		t.Fatal(err)
	}
	awaiter := tessera.NewPublicationAwaiter(ctx, reader.ReadCheckpoint, 10*time.Millisecond)
	var entries uint64
	for round := range 2 {
		var last tessera.IndexFuture
		for range 10 {
			last = app.Add(ctx, tessera.NewEntry(fmt.Appendf(nil, "acta %d", entries)))
			entries++
		}
		_, raw, err := awaiter.Await(ctx, last)
		if err != nil {
			t.Fatal(err)
		}
		cp, _, n, err := log.ParseCheckpoint(raw, center.signer.Name(), logV, witV)
		if err != nil {
			t.Fatalf("round %d: published checkpoint: %v\n%s", round, err, raw)
		}
		var cosigned bool
		for _, s := range n.Sigs {
			cosigned = cosigned || s.Name == witV.Name() && s.Hash == witV.KeyHash()
		}
		if !cosigned || cp.Size < entries {
			t.Fatalf("round %d: published checkpoint of size %d (want %d or more), cosigned %v:\n%s", round, cp.Size, entries, cosigned, raw)
		}
		if c := w.logs[center.signer.Name()].latest.Load(); c.size < cp.Size {
			t.Errorf("round %d: published size %d, the witness's latest is %d", round, cp.Size, c.size)
		}
	}
}
