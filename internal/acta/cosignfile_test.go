package acta_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// TestCosignFile cosigns a file in place, the same bytes as Cosign; a
// second cosignature by the same witness is refused naming the file, which
// is left as it was.
func TestCosignFile(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	msg, err := acta.Sign(finalActa(f), f.Machines["100.1"])
	if err != nil {
		t.Fatal(err)
	}
	want, err := acta.Cosign(msg, f.Def, f.Witness["pa"])
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "100.1.acta")
	if err := os.WriteFile(path, msg, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := acta.CosignFile(path, f.Def, f.Witness["pa"]); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, want) {
		t.Errorf("cosigned file:\n%s\nwant:\n%s", got, want)
	}
	if err := acta.CosignFile(path, f.Def, f.Witness["pa"]); err == nil || !strings.HasPrefix(err.Error(), path+": ") {
		t.Errorf("cosigning twice: %v", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, want) {
		t.Error("a refused cosignature changed the file")
	}
}
