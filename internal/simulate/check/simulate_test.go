package check

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvidenceDir makes the directory asked for and keeps it, or makes a
// temporary one that cleanup removes.
func TestEvidenceDir(t *testing.T) {
	want := filepath.Join(t.TempDir(), "a", "b")
	dir, cleanup, err := evidenceDir(want)
	if err != nil || dir != want {
		t.Fatalf("evidenceDir(%s) = %s, %v", want, dir, err)
	}
	cleanup()
	if _, err := os.Stat(want); err != nil {
		t.Errorf("the directory asked for: %v", err)
	}
	tmp, cleanup, err := evidenceDir("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); err != nil {
		t.Fatalf("temporary directory: %v", err)
	}
	cleanup()
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("temporary directory left after cleanup: %v", err)
	}
}

// TestSimulateRefuses refuses a streamed election into a directory that
// holds files, and an attack it does not know.
func TestSimulateRefuses(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := Simulate(context.Background(), Config{Out: io.Discard, Stream: true, Stations: 10, Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "needs a directory of its own") {
		t.Errorf("streaming into a full directory: %v", err)
	}
	if err := Simulate(context.Background(), Config{Out: io.Discard, Attack: "nonesuch"}); err == nil || !strings.Contains(err.Error(), `no attack "nonesuch"`) {
		t.Errorf("an unknown attack: %v", err)
	}
}
