package acta_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// sentinels are the errors a vector's want file may name.
var sentinels = map[string]error{
	"ErrMalformed":       acta.ErrMalformed,
	"ErrImpossible":      acta.ErrImpossible,
	"ErrMismatch":        acta.ErrMismatch,
	"ErrOtherDefinition": acta.ErrOtherDefinition,
	"ErrNotEnrolled":     acta.ErrNotEnrolled,
	"ErrSignature":       acta.ErrSignature,
	"ErrUnknownSigner":   acta.ErrUnknownSigner,
}

// TestVectors runs every vector of doc/spec/vectors: one subtest a file.
func TestVectors(t *testing.T) {
	files, err := filepath.Glob("../../doc/spec/vectors/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test vectors found: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			parts := map[string][]byte{}
			for _, f := range ar.Files {
				parts[f.Name] = f.Data
			}
			def, err := election.Parse(parts["election"])
			if err != nil {
				t.Fatalf("vector election: %v", err)
			}
			want := strings.TrimSpace(string(parts["want"]))
			sa, err := acta.Open(parts["acta"], def)
			if got := openUnverified(parts["acta"], def); got != (err == nil) {
				t.Errorf("OpenUnverified and its signature checks accept it: %v; Open: %v", got, err)
			}
			if want == "ok" {
				if err != nil {
					t.Fatalf("Open: %v, want ok", err)
				}
				if string(sa.Msg) != string(parts["acta"]) {
					t.Error("Open changed the message")
				}
				body, err := sa.Marshal()
				if err != nil || string(body) != string(sa.Body) {
					t.Errorf("Marshal does not give back the signed body: %v", err)
				}
				return
			}
			name, text, ok := strings.Cut(strings.TrimPrefix(want, "error "), ": ")
			sentinel := sentinels[name]
			if !strings.HasPrefix(want, "error ") || !ok || sentinel == nil {
				t.Fatalf("malformed want file: %q", want)
			}
			switch {
			case err == nil:
				t.Fatalf("Open succeeded, want %s", want)
			case !errors.Is(err, sentinel):
				t.Fatalf("Open: %v\nwant an error wrapping %s", err, name)
			case !strings.Contains(err.Error(), text):
				t.Fatalf("Open: %v\nwant %s", err, want)
			}
		})
	}
}

// TestEveryByteChange changes each byte of valid actas in turn, to every
// value that keeps the note well formed and to one that does not: Open
// must reject each one.
func TestEveryByteChange(t *testing.T) {
	for _, name := range []string{"ok-final-cosigned", "ok-zero", "ok-hand", "ok-v2-final", "ok-v2-hand"} {
		ar, err := txtar.ParseFile("../../doc/spec/vectors/" + name + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		def, err := election.Parse(ar.Files[0].Data)
		if err != nil {
			t.Fatal(err)
		}
		msg := ar.Files[1].Data
		if _, err := acta.Open(msg, def); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		changed := make([]byte, len(msg))
		for i := range msg {
			for _, b := range []byte{msg[i] ^ 0x01, msg[i] ^ 0x20, 'a', '0', ' ', '\n'} {
				if b == msg[i] {
					continue
				}
				copy(changed, msg)
				changed[i] = b
				if openUnverified(changed, def) {
					t.Errorf("byte %d changed to %#02x: OpenUnverified and its checks accept it", i, b)
				}
				if _, err := acta.Open(changed, def); err == nil {
					t.Errorf("%s: byte %d changed from %q to %q: accepted", name, i, msg[i], b)
				}
			}
		}
		// Truncation at every length. Cutting whole cosignatures off the
		// end leaves the acta with fewer signers (doc/spec/acta.md); any
		// other cut is rejected.
		full, _ := acta.Open(msg, def)
		for n := 0; n < len(msg); n++ {
			sa, err := acta.Open(msg[:n], def)
			if err != nil {
				continue
			}
			if msg[n-1] != '\n' || len(sa.Signatures) >= len(full.Signatures) || !bytes.Equal(sa.Body, full.Body) {
				t.Errorf("%s: truncated to %d bytes: accepted with %d signatures", name, n, len(sa.Signatures))
			}
		}
	}
}

// openUnverified says whether OpenUnverified accepts msg and every signature
// it leaves to check verifies: it must agree with Open.
func openUnverified(msg []byte, def *election.Definition) bool {
	_, checks, err := acta.OpenUnverified(msg, def)
	if err != nil || len(checks) == 0 {
		return false
	}
	for _, c := range checks {
		if !ed25519.Verify(c.Key, c.Message, c.Signature) {
			return false
		}
	}
	return true
}
