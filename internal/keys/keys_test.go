package keys_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/keys"
)

func TestRoundTrip(t *testing.T) {
	skey, vkey, err := keys.Generate(nil, "ve2024/witness/pud")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sub", "w.key")
	if err := keys.WriteFile(path, skey); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v, %v", fi.Mode(), err)
	}
	k, err := keys.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if k.Public != vkey || k.Private != skey || k.Name() != "ve2024/witness/pud" {
		t.Fatalf("read back %q, %q; want %q", k.Public, k.Name(), vkey)
	}
	// What the key signs, its public key verifies.
	v, err := note.NewVerifier(k.Public)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := note.Sign(&note.Note{Text: "hello\n"}, k)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := note.Open(msg, note.VerifierList(v)); err != nil {
		t.Fatal(err)
	}
	if err := keys.WriteFile(path, skey); err == nil || !strings.Contains(err.Error(), "not overwriting a private key") {
		t.Fatalf("second WriteFile: %v", err)
	}
}

func TestErrors(t *testing.T) {
	if _, _, err := keys.Generate(nil, "a b"); err == nil {
		t.Error("Generate accepted a name with a space")
	}
	if _, _, err := keys.Generate(nil, "a+b"); err == nil {
		t.Error("Generate accepted a name with a plus")
	}
	dir := t.TempDir()
	_, vkey, _ := keys.Generate(nil, "x")
	pub := filepath.Join(dir, "x.pub")
	os.WriteFile(pub, []byte(vkey+"\n"), 0o644)
	if _, err := keys.ReadFile(pub); err == nil || !strings.Contains(err.Error(), "x.pub: not a private key file") {
		t.Errorf("ReadFile of a public key: %v", err)
	}
	if _, err := keys.ReadFile(filepath.Join(dir, "none.key")); err == nil {
		t.Error("ReadFile of a missing file succeeded")
	}
}

// FuzzParse checks that Parse never panics and that the public key of what
// it accepts verifies what the key signs.
func FuzzParse(f *testing.F) {
	skey, _, _ := keys.Generate(nil, "fuzz")
	f.Add(skey)
	f.Add("PRIVATE+KEY+a+00000000+AQ")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := keys.Parse(s)
		if err != nil {
			return
		}
		v, err := note.NewVerifier(k.Public)
		if err != nil {
			t.Fatalf("public key %q: %v", k.Public, err)
		}
		msg, err := note.Sign(&note.Note{Text: "x\n"}, k)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := note.Open(msg, note.VerifierList(v)); err != nil {
			t.Fatalf("key %q does not verify its own signature: %v", s, err)
		}
	})
}

// TestGenerateRefusesControlCharacters: a name with a carriage return (from
// a file with Windows line endings) or any control character is refused.
func TestGenerateRefusesControlCharacters(t *testing.T) {
	for _, name := range []string{"ve2024\r/center", "a\x00b", "tab\tname", "a b", "a+b", ""} {
		if _, _, err := keys.Generate(nil, name); err == nil {
			t.Errorf("Generate(%q) made a key", name)
		}
	}
}
