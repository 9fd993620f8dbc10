package qr_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
	"github.com/triplicate-vote/triplicate/internal/qr"
)

// Keep files each scanned acta once and never overwrites another: the same
// count with other signatures, and a different count, are kept beside the
// first.
func TestKeep(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	dir := t.TempDir()
	first := filepath.Join(dir, "100.1.final.acta")
	a := printtest.SignedActa(t, f, 10, 3)
	for _, tc := range []struct {
		name               string
		ballots, witnesses int
		want               qr.Kept
		other              bool // kept beside the first
	}{
		{"new", 10, 3, qr.KeptNew, false},
		{"again", 10, 3, qr.KeptAlready, false},
		{"fewer signatures", 10, 1, qr.KeptResigned, true},
		{"another count", 12, 3, qr.KeptDiffers, true},
	} {
		sa := printtest.SignedActa(t, f, tc.ballots, tc.witnesses)
		path, gotFirst, k, err := qr.Keep(dir, sa)
		if err != nil || k != tc.want || gotFirst != first {
			t.Fatalf("%s: Keep = %s, %s, %d, %v; want kept %d beside %s", tc.name, path, gotFirst, k, err, tc.want, first)
		}
		if other := path != first; other != tc.other || (other && !strings.HasPrefix(filepath.Base(path), "100.1.final.")) {
			t.Errorf("%s: kept in %s", tc.name, path)
		}
		if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, sa.Msg) {
			t.Errorf("%s: %s does not hold the acta: %v", tc.name, path, err)
		}
	}
	if got, _ := os.ReadFile(first); !bytes.Equal(got, a.Msg) {
		t.Errorf("the first acta kept was overwritten")
	}
	if files, _ := os.ReadDir(dir); len(files) != 3 {
		t.Errorf("%d files kept, want 3", len(files))
	}
}
