package witness

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestReopen checks that the witness continues from the state it wrote:
// what it cosigned before a restart binds it after.
func TestReopen(t *testing.T) {
	dir := t.TempDir()
	key := newKey(t, "witness.example/party-a")
	center := newTestLog(t, "example.org/center", 10)
	other := newTestLog(t, "example.org/other", 10)

	w := open(t, dir, key, center, other)
	for _, body := range [][]byte{center.add(t, 0, 3), center.add(t, 3, 7)} {
		if _, err := w.AddCheckpoint(body); err != nil {
			t.Fatal(err)
		}
	}
	latest, _ := w.Latest("example.org/center")
	if _, err := Open(dir, key, []Log{{Key: center.vkey}}, testLogger(t)); err == nil {
		t.Fatalf("opened a state directory in use")
	}
	w.Close()
	// A crash while writing leaves a temporary file, named as
	// durable.WriteFile names it.
	tmp := filepath.Join(dir, "."+filepath.Base(statePath(dir, "example.org/center"))+".tmp-1")
	if err := os.WriteFile(tmp, []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}

	w = open(t, dir, key, center, other)
	if got, ok := w.Latest("example.org/center"); !ok || !bytes.Equal(got, latest) {
		t.Errorf("latest checkpoint after reopening:\n%s\nwant\n%s", got, latest)
	}
	if _, ok := w.Latest("example.org/other"); ok {
		t.Errorf("latest checkpoint of a log never cosigned")
	}
	var conflict *ConflictError
	if _, err := w.AddCheckpoint(center.add(t, 3, 10)); !errors.As(err, &conflict) || conflict.Size != 7 {
		t.Errorf("old size 3 after reopening: %v, want a conflict with size 7", err)
	}
	if _, err := w.AddCheckpoint(center.add(t, 7, 10)); err != nil {
		t.Errorf("old size 7 after reopening: %v", err)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temporary file left after reopening: %v", err)
	}
}

// TestStateRefused checks that a witness does not start from a state that
// is not its own or not whole.
func TestStateRefused(t *testing.T) {
	key := newKey(t, "witness.example/party-a")
	center := newTestLog(t, "example.org/center", 3)
	dir := t.TempDir()
	w := open(t, dir, key, center)
	if _, err := w.AddCheckpoint(center.add(t, 0, 3)); err != nil {
		t.Fatal(err)
	}
	w.Close()
	path := statePath(dir, "example.org/center")
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := Open(dir, newKey(t, "witness.example/party-b"), []Log{{Key: center.vkey}}, testLogger(t)); err == nil {
		t.Errorf("opened the state of another witness's key")
	}
	// The state file of another origin in this one's place.
	if _, err := Open(dir, key, []Log{{Origin: "example.org/renamed", Key: center.vkey}}, testLogger(t)); err != nil {
		t.Errorf("another origin: %v", err)
	}
	if err := os.Rename(path, statePath(dir, "example.org/renamed")); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, key, []Log{{Origin: "example.org/renamed", Key: center.vkey}}, testLogger(t)); err == nil {
		t.Errorf("opened the state file of another origin")
	}
	for i := range good {
		bad := bytes.Clone(good)
		bad[i] ^= 1
		if err := os.WriteFile(path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		w, err := Open(dir, key, []Log{{Key: center.vkey}}, testLogger(t))
		if err == nil {
			// Only the log's signature is not the witness's to check.
			if got, _ := w.Latest("example.org/center"); got == nil {
				t.Errorf("byte %d changed: opened without the latest checkpoint", i)
			}
			w.Close()
			if i < bytes.Index(good, []byte("\n\n")) || i >= bytes.LastIndex(good[:len(good)-1], []byte("\n")) {
				t.Errorf("byte %d changed: opened", i)
			}
		}
	}
}
