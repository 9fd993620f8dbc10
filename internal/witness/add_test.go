package witness

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/merkle/testonly"
	"golang.org/x/mod/sumdb/note"
)

// step is one request to a witness, in a sequence: what it gets depends on
// what the witness cosigned before.
type step struct {
	name   string
	body   []byte
	want   error  // nil, one of the Err values, or a *ConflictError
	status int    // the HTTP status for it
	size   uint64 // the size cosigned after the step
}

// steps returns a sequence of requests from the log center, which has 20
// entries, to a witness of it that cosigned nothing yet: every answer of the
// protocol, with real trees, proofs and signatures.
func steps(t *testing.T) (center *testLog, _ []step) {
	center = newTestLog(t, "example.org/center", 20)
	// fork is the center's key over another tree; impostor has the center's
	// name and another key; elsewhere is a log the witness does not know.
	fork := &testLog{signer: center.signer, vkey: center.vkey, tree: testonly.New(rfc6962.DefaultHasher)}
	fork.tree.AppendData([]byte("rewritten"))
	fork.grow(19)
	impostor := newTestLog(t, "example.org/center", 20)
	elsewhere := newTestLog(t, "example.org/elsewhere", 20)
	other := newTestLog(t, "witness.example/other", 0)

	req := func(old uint64, proof [][]byte, checkpoint []byte) []byte {
		return (&request{old: old, proof: proof, checkpoint: checkpoint}).marshal()
	}
	cp := func(size uint64, hash []byte, signers ...note.Signer) []byte {
		return sign(t, string(log.Checkpoint{Origin: "example.org/center", Size: size, Hash: hash}.Marshal()), signers...)
	}
	text := func(s string) []byte { return sign(t, s, center.signer) }
	h3 := base64.StdEncoding.EncodeToString(center.tree.HashAt(3))
	zero := make([]byte, 32)
	// A signature of the center's key that does not verify.
	badSig := center.checkpoint(t, 3)
	if i := len(badSig) - 10; badSig[i] == 'A' {
		badSig[i] = 'B'
	} else {
		badSig[i] = 'A'
	}
	// Proof hashes in base64 that decodes but is not canonical, or too short.
	loose := strings.Repeat("A", 42) + "B=\n"
	short := base64.StdEncoding.EncodeToString(zero[:31]) + "\n"
	var tooLong []byte
	tooLong = append(tooLong, "old 3\n"...)
	for range 64 {
		tooLong = append(tooLong, base64.StdEncoding.EncodeToString(zero)+"\n"...)
	}
	tooLong = append(tooLong, '\n')
	tooLong = append(tooLong, center.checkpoint(t, 5)...)
	conflict := func(size uint64) error { return &ConflictError{Size: size} }

	return center, []step{
		{"unknown origin", elsewhere.add(t, 0, 3), ErrUnknownLog, 404, 0},
		{"other key of the origin's name", impostor.add(t, 0, 3), ErrUntrusted, 403, 0},
		{"signature does not verify", req(0, nil, badSig), ErrUntrusted, 403, 0},
		{"signed by another only", req(0, nil, cp(3, center.tree.HashAt(3), other.signer)), ErrUntrusted, 403, 0},
		{"old size with a leading zero", append([]byte("old 00\n\n"), center.checkpoint(t, 3)...), ErrMalformed, 400, 0},
		{"old size negative", append([]byte("old -1\n\n"), center.checkpoint(t, 3)...), ErrMalformed, 400, 0},
		{"old size too large", append([]byte("old 18446744073709551616\n\n"), center.checkpoint(t, 3)...), ErrMalformed, 400, 0},
		{"no old line", append([]byte("\n"), center.checkpoint(t, 3)...), ErrMalformed, 400, 0},
		{"no empty line", append([]byte("old 0\n"), center.checkpoint(t, 3)...), ErrMalformed, 400, 0},
		{"no newline", []byte("old 0"), ErrMalformed, 400, 0},
		{"no checkpoint", []byte("old 0\n\n"), ErrMalformed, 400, 0},
		{"proof hash in loose base64", append([]byte("old 0\n"+loose+"\n"), center.checkpoint(t, 3)...), ErrMalformed, 400, 0},
		{"proof hash too short", append([]byte("old 0\n"+short+"\n"), center.checkpoint(t, 3)...), ErrMalformed, 400, 0},
		{"64 proof hashes", tooLong, ErrMalformed, 400, 0},
		{"checkpoint not a note", req(0, nil, center.checkpoint(t, 3)[:30]), ErrMalformed, 400, 0},
		{"checkpoint size with a leading zero", req(0, nil, text("example.org/center\n03\n"+h3+"\n")), ErrMalformed, 400, 0},
		{"checkpoint hash too short", req(0, nil, cp(3, zero[:31], center.signer)), ErrMalformed, 400, 0},
		{"checkpoint without a hash", req(0, nil, text("example.org/center\n3\n")), ErrMalformed, 400, 0},
		{"old size larger than the checkpoint's", req(5, center.proof(t, 3, 5), center.checkpoint(t, 3)), ErrMalformed, 400, 0},
		{"proof from size 0", req(0, [][]byte{zero}, center.checkpoint(t, 3)), ErrInconsistent, 422, 0},
		{"empty tree with another root", req(0, nil, cp(0, zero, center.signer)), ErrInconsistent, 422, 0},
		{"empty tree", center.add(t, 0, 0), nil, 200, 0},
		{"first checkpoint", center.add(t, 0, 3), nil, 200, 3},
		{"old size behind", center.add(t, 0, 5), conflict(3), 409, 3},
		{"old size ahead", center.add(t, 4, 5), conflict(3), 409, 3},
		{"proof from another size", req(3, center.proof(t, 2, 5), center.checkpoint(t, 5)), ErrInconsistent, 422, 3},
		{"no proof", req(3, nil, center.checkpoint(t, 5)), ErrInconsistent, 422, 3},
		{"proof hash changed", req(3, [][]byte{zero, center.proof(t, 3, 5)[1], center.proof(t, 3, 5)[2]}, center.checkpoint(t, 5)), ErrInconsistent, 422, 3},
		{"rewritten history", fork.add(t, 3, 5), ErrInconsistent, 422, 3},
		{"same size, another root", fork.add(t, 3, 3), ErrFork, 409, 3},
		{"same size, a proof", req(3, [][]byte{zero}, center.checkpoint(t, 3)), ErrInconsistent, 422, 3},
		{"same checkpoint again", center.add(t, 3, 3), nil, 200, 3},
		{"consistent", center.add(t, 3, 7), nil, 200, 7},
		{"rolled back", center.add(t, 3, 5), conflict(7), 409, 7},
		{"more signatures", req(7, center.proof(t, 7, 10), cp(10, center.tree.HashAt(10), center.signer, other.signer)), nil, 200, 10},
		{"to the end", center.add(t, 10, 20), nil, 200, 20},
	}
}

func TestAddCheckpoint(t *testing.T) {
	key := newKey(t, "witness.example/party-a")
	center, steps := steps(t)
	w := open(t, t.TempDir(), key, center)
	for _, s := range steps {
		cosig, err := w.AddCheckpoint(s.body)
		var conflict, wantConflict *ConflictError
		switch {
		case errors.As(s.want, &wantConflict):
			if !errors.As(err, &conflict) || conflict.Size != wantConflict.Size {
				t.Errorf("%s: error %v, want a conflict with size %d", s.name, err, wantConflict.Size)
			}
		case !errors.Is(err, s.want) || (err == nil) != (s.want == nil):
			t.Errorf("%s: error %v, want %v", s.name, err, s.want)
		case err == nil:
			r, _ := parseRequest(s.body)
			signed := checkCosignature(t, key, r.checkpoint, cosig)
			checkLatest(t, w, center, signed, s.size)
		}
		if got := w.logs["example.org/center"].latest.Load().size; got != s.size {
			t.Errorf("%s: cosigned size %d after, want %d", s.name, got, s.size)
		}
	}
}

// checkLatest checks that the latest checkpoint the witness keeps for the
// center has size and the text of signed, the center's signature and the
// cosignature, and no other signature.
func checkLatest(t *testing.T, w *Witness, center *testLog, signed []byte, size uint64) {
	t.Helper()
	latest, ok := w.Latest(center.signer.Name())
	if !ok {
		t.Fatalf("no latest checkpoint after cosigning")
	}
	v, err := note.NewVerifier(center.vkey)
	if err != nil {
		t.Fatal(err)
	}
	cv := w.signer.Verifier()
	n, err := note.Open(latest, note.VerifierList(v, cv))
	if err != nil {
		t.Fatalf("latest checkpoint: %v\n%s", err, latest)
	}
	if len(n.Sigs) != 2 || len(n.UnverifiedSigs) != 0 {
		t.Errorf("latest checkpoint has %d signatures that verify and %d others, want 2 and 0\n%s", len(n.Sigs), len(n.UnverifiedSigs), latest)
	}
	if !bytes.HasPrefix(signed, []byte(n.Text)) || !bytes.HasSuffix(latest, signed[bytes.LastIndex(signed[:len(signed)-1], []byte("\n"))+1:]) {
		t.Errorf("latest checkpoint\n%s\nis not the cosigned one\n%s", latest, signed)
	}
	cp, err := parseCheckpoint(n.Text)
	if err != nil || cp.Size != size {
		t.Errorf("latest checkpoint has size %d (%v), want %d", cp.Size, err, size)
	}
}
