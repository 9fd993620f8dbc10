package witness

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"testing"

	"github.com/transparency-dev/formats/log"
	fnote "github.com/transparency-dev/formats/note"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/merkle/testonly"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/keys"
)

// testLog is a log for tests: a real RFC 6962 tree and a note key.
type testLog struct {
	signer note.Signer
	vkey   string
	tree   *testonly.Tree
}

// newTestLog makes a log named name with leaves entries, "name i".
func newTestLog(t testing.TB, name string, leaves int) *testLog {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	l := &testLog{signer: s, vkey: vkey, tree: testonly.New(rfc6962.DefaultHasher)}
	l.grow(leaves)
	return l
}

func (l *testLog) grow(n int) {
	for range n {
		l.tree.AppendData(fmt.Appendf(nil, "%s %d", l.signer.Name(), l.tree.Size()))
	}
}

// checkpoint returns the log's checkpoint at size, signed.
func (l *testLog) checkpoint(t testing.TB, size uint64) []byte {
	t.Helper()
	return sign(t, string(log.Checkpoint{Origin: l.signer.Name(), Size: size, Hash: l.tree.HashAt(size)}.Marshal()), l.signer)
}

func (l *testLog) proof(t testing.TB, from, to uint64) [][]byte {
	t.Helper()
	p, err := l.tree.ConsistencyProof(from, to)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// add returns the request to add the checkpoint at size to a witness that
// last cosigned old.
func (l *testLog) add(t testing.TB, old, size uint64) []byte {
	t.Helper()
	var p [][]byte
	if old > 0 {
		p = l.proof(t, old, size)
	}
	return (&request{old: old, proof: p, checkpoint: l.checkpoint(t, size)}).marshal()
}

func sign(t testing.TB, text string, signers ...note.Signer) []byte {
	t.Helper()
	b, err := note.Sign(&note.Note{Text: text}, signers...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// marshal encodes a request as its parser reads it.
func (r *request) marshal() []byte {
	b := fmt.Appendf(nil, "old %d\n", r.old)
	for _, h := range r.proof {
		b = base64.StdEncoding.AppendEncode(b, h)
		b = append(b, '\n')
	}
	b = append(b, '\n')
	return append(b, r.checkpoint...)
}

// newKey makes a witness key.
func newKey(t testing.TB, name string) *keys.Key {
	t.Helper()
	skey, _, err := keys.Generate(nil, name)
	if err != nil {
		t.Fatal(err)
	}
	k, err := keys.Parse(skey)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// open opens a witness on dir for logs, closed when the test ends.
func open(t testing.TB, dir string, key *keys.Key, logs ...*testLog) *Witness {
	t.Helper()
	var ls []Log
	for _, l := range logs {
		ls = append(ls, Log{Key: l.vkey})
	}
	w, err := Open(dir, key, ls, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// checkCosignature checks that cosig is one cosignature/v1 line by key on
// checkpoint, and returns the cosigned checkpoint.
func checkCosignature(t testing.TB, key *keys.Key, checkpoint, cosig []byte) []byte {
	t.Helper()
	if bytes.Count(cosig, []byte("\n")) != 1 || !bytes.HasPrefix(cosig, []byte("— "+key.Name()+" ")) {
		t.Fatalf("cosignature %q: want one line by %s", cosig, key.Name())
	}
	ck, err := keys.CosignatureKey(key.Public)
	if err != nil {
		t.Fatal(err)
	}
	v, err := fnote.NewVerifierForCosignatureV1(ck)
	if err != nil {
		t.Fatal(err)
	}
	signed := append(bytes.Clone(checkpoint), cosig...)
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		t.Fatalf("cosignature %q does not verify: %v", cosig, err)
	}
	if len(n.Sigs) != 1 {
		t.Fatalf("cosignature %q: %d verified signatures, want 1", cosig, len(n.Sigs))
	}
	return signed
}
