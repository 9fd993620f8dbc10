package durable

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// names returns the names of the files in dir.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	for _, data := range []string{"first\n", "second, longer\n", ""} {
		if err := WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != data {
			t.Fatalf("read %q, %v; want %q", got, err, data)
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&^0o600 != 0 {
		t.Errorf("permissions %v, want at most 0600", fi.Mode().Perm())
	}
	if got := names(t, dir); !slices.Equal(got, []string{"state.json"}) {
		t.Errorf("files %q, want only state.json", got)
	}
}

// TestWriteFileFails makes WriteFile fail at each step it can and checks
// that the old file is intact and no temporary file is left.
func TestWriteFileFails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "acta.txt")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	intact := func(t *testing.T) {
		t.Helper()
		if got, err := os.ReadFile(path); err != nil || string(got) != "old\n" {
			t.Errorf("old file reads %q, %v", got, err)
		}
		if got := names(t, dir); !slices.Equal(got, []string{"acta.txt"}) {
			t.Errorf("files %q, want only acta.txt", got)
		}
	}

	t.Run("before the rename", func(t *testing.T) {
		boom := errors.New("boom")
		testingOnlyBeforeRename = func() error { return boom }
		defer func() { testingOnlyBeforeRename = nil }()
		if err := WriteFile(path, []byte("new\n"), 0o644); !errors.Is(err, boom) {
			t.Errorf("error %v, want %v", err, boom)
		}
		intact(t)
	})
	t.Run("rename over a directory", func(t *testing.T) {
		sub := filepath.Join(dir, "sub")
		if err := os.MkdirAll(filepath.Join(sub, "x"), 0o755); err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(sub)
		if err := WriteFile(sub, []byte("new\n"), 0o644); err == nil {
			t.Error("replaced a directory")
		}
		if fi, err := os.Stat(sub); err != nil || !fi.IsDir() {
			t.Errorf("directory gone: %v", err)
		}
		os.RemoveAll(sub)
		intact(t)
	})
	t.Run("no such directory", func(t *testing.T) {
		if err := WriteFile(filepath.Join(dir, "none", "acta.txt"), []byte("new\n"), 0o644); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("error %v, want not exist", err)
		}
		intact(t)
	})
}

func TestRename(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.db.rebuild"), []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.db"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Rename(filepath.Join(dir, "index.db.rebuild"), filepath.Join(dir, "index.db")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "index.db")); string(got) != "new" {
		t.Errorf("renamed file reads %q", got)
	}

	tmp := filepath.Join(dir, ".keys.123")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "1.key"), []byte("key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Rename(tmp, filepath.Join(dir, "keys")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "keys", "1.key")); string(got) != "key" {
		t.Errorf("renamed directory's file reads %q", got)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"index.db", "keys"}) {
		t.Errorf("files %q", got)
	}

	if err := Rename(filepath.Join(dir, "none"), filepath.Join(dir, "other")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("renaming a missing file: %v, want not exist", err)
	}
}

func TestRemoveTemps(t *testing.T) {
	dir := t.TempDir()
	keep := []string{".tmp-1", ".x.tmp-", ".x.tmp-1a", "x.tmp-1", "zero.acta", "zero.acta.tmp"}
	remove := []string{".zero.acta.tmp-1", ".a.tmp-b.tmp-42"}
	for _, name := range append(slices.Clone(keep), remove...) {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The temporary file WriteFile makes is one that RemoveTemps removes.
	var temps []string
	testingOnlyBeforeRename = func() error {
		for _, name := range names(t, dir) {
			if isTemp(name) && !slices.Contains(remove, name) {
				temps = append(temps, name)
			}
		}
		return nil
	}
	err := WriteFile(filepath.Join(dir, "final.acta"), []byte("final"), 0o644)
	testingOnlyBeforeRename = nil
	if err != nil || len(temps) != 1 {
		t.Fatalf("WriteFile: %v; temporary files RemoveTemps knows: %q", err, temps)
	}
	keep = append(keep, "final.acta")

	if err := RemoveTemps(dir); err != nil {
		t.Fatal(err)
	}
	slices.Sort(keep)
	if got := names(t, dir); !slices.Equal(got, keep) {
		t.Errorf("files %q, want %q", got, keep)
	}
}

// TestWriteNew writes a file that must not exist yet: a second write fails
// with fs.ErrExist and leaves the first, and no temporary file stays.
func TestWriteNew(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "key")
	if err := WriteNew(path, []byte("first\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteNew(path, []byte("second\n"), 0o600); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second WriteNew: %v, want fs.ErrExist", err)
	}
	data, err := os.ReadFile(path)
	if err != nil || string(data) != "first\n" {
		t.Fatalf("the file holds %q, %v; want the first", data, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want 0600", fi.Mode(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the directory holds %d entries, want the file alone", len(entries))
	}
}
