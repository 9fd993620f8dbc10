package witness

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/merkle/testonly"
	"golang.org/x/mod/sumdb/note"
)

// copyDir copies the files of a state directory: a backup, or its restore.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.RemoveAll(to); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	names, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range names {
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// fork returns a log with l's key whose first n entries are l's and whose
// next ones differ: what a center that shows two histories signs.
func (l *testLog) fork(n, leaves int) *testLog {
	f := &testLog{signer: l.signer, vkey: l.vkey, tree: testonly.New(rfc6962.DefaultHasher)}
	for i := range n {
		f.tree.AppendData(fmt.Appendf(nil, "%s %d", l.signer.Name(), i))
	}
	for f.tree.Size() < uint64(leaves) {
		f.tree.AppendData(fmt.Appendf(nil, "fork %d", f.tree.Size()))
	}
	return f
}

func journalPath(dir, origin string) string {
	return strings.TrimSuffix(statePath(dir, origin), stateSuffix) + journalSuffix
}

// TestRollbackStateFile: the state file restored from a backup, the
// journal kept. The witness refuses to open, so the fork of size 7 that the
// restored state would let through is never cosigned.
func TestRollbackStateFile(t *testing.T) {
	dir := t.TempDir()
	key := newKey(t, "witness.example/party-a")
	center := newTestLog(t, "example.org/center", 10)
	w := open(t, dir, key, center)
	if _, err := w.AddCheckpoint(center.add(t, 0, 3)); err != nil {
		t.Fatal(err)
	}
	backup, err := os.ReadFile(statePath(dir, "example.org/center"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddCheckpoint(center.add(t, 3, 7)); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if err := os.WriteFile(statePath(dir, "example.org/center"), backup, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Open(dir, key, []Log{{Key: center.vkey}}, testLogger(t))
	if !errors.Is(err, ErrRolledBack) || !strings.Contains(err.Error(), "size 3, but the journal records one of size 7") {
		t.Fatalf("Open(restored state) = %v, want %v", err, ErrRolledBack)
	}
	// The state file lost altogether.
	if err := os.Remove(statePath(dir, "example.org/center")); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, key, []Log{{Key: center.vkey}}, testLogger(t)); !errors.Is(err, ErrRolledBack) {
		t.Fatalf("Open(lost state) = %v, want %v", err, ErrRolledBack)
	}
}

// TestRollbackSameSize: a state of the journal's size with another root.
func TestRollbackSameSize(t *testing.T) {
	dir := t.TempDir()
	key := newKey(t, "witness.example/party-a")
	center := newTestLog(t, "example.org/center", 3)
	w := open(t, dir, key, center)
	if _, err := w.AddCheckpoint(center.add(t, 0, 3)); err != nil {
		t.Fatal(err)
	}
	w.Close()
	// A journal that records another root for size 3.
	if err := os.WriteFile(journalPath(dir, "example.org/center"), []byte("3 "+strings.Repeat("A", 43)+"=\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, key, []Log{{Key: center.vkey}}, testLogger(t)); !errors.Is(err, ErrRolledBack) {
		t.Fatalf("Open(state of the journal's size, another root) = %v, want %v", err, ErrRolledBack)
	}
}

// TestJournalCrash: a crash between writing the state and appending to the
// journal leaves the state ahead, and a crash while appending a torn line;
// neither is a rollback, and the witness mends its journal.
func TestJournalCrash(t *testing.T) {
	dir := t.TempDir()
	key := newKey(t, "witness.example/party-a")
	center := newTestLog(t, "example.org/center", 10)
	w := open(t, dir, key, center)
	for _, body := range [][]byte{center.add(t, 0, 3), center.add(t, 3, 7)} {
		if _, err := w.AddCheckpoint(body); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	jpath := journalPath(dir, "example.org/center")
	full, err := os.ReadFile(jpath)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(full, []byte("\n")); n != 2 {
		t.Fatalf("journal of %d lines after two cosignatures:\n%s", n, full)
	}
	first := full[:bytes.IndexByte(full, '\n')+1]
	for name, data := range map[string][]byte{
		"state ahead":         first,
		"torn line":           full[:len(full)-5],
		"no journal (before)": nil,
	} {
		if data == nil {
			os.Remove(jpath)
		} else if err := os.WriteFile(jpath, data, 0o600); err != nil {
			t.Fatal(err)
		}
		w, err := Open(dir, key, []Log{{Key: center.vkey}}, testLogger(t))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		w.Close()
		got, _ := os.ReadFile(jpath)
		if !bytes.HasSuffix(got, full[len(first):]) {
			t.Errorf("%s: journal not mended:\n%s", name, got)
		}
	}
	if err := os.WriteFile(jpath, []byte("7 not-a-hash\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, key, []Log{{Key: center.vkey}}, testLogger(t)); err == nil || !strings.Contains(err.Error(), "malformed journal line") {
		t.Errorf("Open(malformed journal) = %v", err)
	}
}

// TestRollbackPublished is the fork attack: the whole state directory,
// journal and all, restored from a backup taken at size 3, after the
// witness cosigned size 7, which the log published. The restored witness
// would cosign a fork of size 7 (it succeeded before); CheckPublished, run
// at start with the log's published checkpoint, refuses to serve.
func TestRollbackPublished(t *testing.T) {
	dir, backup := t.TempDir(), t.TempDir()
	key := newKey(t, "witness.example/party-a")
	center := newTestLog(t, "example.org/center", 10)
	w := open(t, dir, key, center)
	if _, err := w.AddCheckpoint(center.add(t, 0, 3)); err != nil {
		t.Fatal(err)
	}
	copyDir(t, dir, backup)
	cp7 := center.checkpoint(t, 7)
	cosig, err := w.AddCheckpoint(center.add(t, 3, 7))
	if err != nil {
		t.Fatal(err)
	}
	published := append(bytes.Clone(cp7), cosig...)
	if err := w.CheckPublished(published); err != nil {
		t.Fatalf("CheckPublished(the witness's own latest) = %v", err)
	}
	w.Close()

	copyDir(t, backup, dir)
	w = open(t, dir, key, center)
	err = w.CheckPublished(published)
	if !errors.Is(err, ErrRolledBack) || !strings.Contains(err.Error(), "size 7 that this witness cosigned, but its state's latest has size 3") {
		t.Fatalf("CheckPublished(after restoring the directory) = %v, want %v", err, ErrRolledBack)
	}
	// Over HTTP, as witness serve -log-url does.
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/log/checkpoint" {
			http.NotFound(rw, r)
			return
		}
		rw.Write(published)
	}))
	defer srv.Close()
	if err := w.CheckLog(context.Background(), srv.Client(), srv.URL+"/log/"); !errors.Is(err, ErrRolledBack) {
		t.Errorf("CheckLog = %v, want %v", err, ErrRolledBack)
	}
	if err := w.CheckLog(context.Background(), srv.Client(), srv.URL+"/other"); err == nil {
		t.Errorf("CheckLog(no checkpoint there) = nil")
	}
	// Why: the restored witness cosigns a fork of the size it cosigned.
	forked := center.fork(3, 10)
	if _, err := w.AddCheckpoint(forked.add(t, 3, 7)); err != nil {
		t.Fatalf("the restored witness refused the fork (%v): the attack this test guards against is gone", err)
	}
}

// TestCheckPublishedOthers: a published checkpoint without this witness's
// cosignature, or one not ahead of its state, is no evidence of rollback.
func TestCheckPublishedOthers(t *testing.T) {
	dir := t.TempDir()
	key := newKey(t, "witness.example/party-a")
	center := newTestLog(t, "example.org/center", 10)
	w := open(t, dir, key, center)
	cosig, err := w.AddCheckpoint(center.add(t, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.CheckPublished(center.checkpoint(t, 10)); err != nil {
		t.Errorf("checkpoint without the witness's cosignature: %v", err)
	}
	// Another witness's cosignature on a larger checkpoint.
	other := open(t, t.TempDir(), newKey(t, "witness.example/party-b"), center)
	ocosig, err := other.AddCheckpoint(center.add(t, 0, 10))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.CheckPublished(append(center.checkpoint(t, 10), ocosig...)); err != nil {
		t.Errorf("checkpoint cosigned by another witness: %v", err)
	}
	if err := w.CheckPublished(append(center.checkpoint(t, 7), cosig...)); err != nil {
		t.Errorf("the latest cosigned checkpoint: %v", err)
	}
	if err := w.CheckPublished(newTestLog(t, "example.org/unknown", 1).checkpoint(t, 1)); !errors.Is(err, ErrUnknownLog) {
		t.Errorf("checkpoint of an unknown log: %v", err)
	}
}

// TestSmallOrderLogKey: a witness refuses a log key anyone can sign for.
func TestSmallOrderLogKey(t *testing.T) {
	pub, _ := hex.DecodeString("0100000000000000000000000000000000000000000000000000000000000000")
	vkey, err := note.NewEd25519VerifierKey("example.org/center", pub)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(t.TempDir(), newKey(t, "witness.example/party-a"), []Log{{Key: vkey}}, testLogger(t))
	if err == nil || !strings.Contains(err.Error(), "small order") {
		t.Errorf("Open with the identity point as the log's key: %v", err)
	}
}
