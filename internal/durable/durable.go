// Package durable replaces files so that a crash at any moment leaves either
// the old file or the new one, complete, and once a call returns the new one
// survives a power cut.
//
// [WriteFile] writes the new contents to a temporary file in the same
// directory, syncs it to disk, renames it over the old file and syncs the
// directory, which makes the rename itself durable. [WriteNew] does the same
// for a file that must not exist yet. [Rename] does the last
// two steps for a file or a directory made some other way, such as a SQLite
// database or a directory of keys. A crash can leave a temporary file
// behind; [RemoveTemps] clears them when a program opens a directory it
// owns.
package durable

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// A temporary file of WriteFile is named after the file it replaces: "."
// and the file's name, tempInfix, then random digits.
const tempInfix = ".tmp-"

// createTemp creates a new temporary file for the file name in dir, with
// permissions perm.
func createTemp(dir, name string, perm os.FileMode) (*os.File, error) {
	for try := 0; ; try++ {
		tmp := filepath.Join(dir, "."+name+tempInfix+strconv.FormatUint(uint64(rand.Uint32()), 10))
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) || try == 10000 {
			return f, err
		}
	}
}

// testingOnlyBeforeRename, if not nil, is called before WriteFile renames:
// its error is a failure at the last moment.
var testingOnlyBeforeRename func() error

// WriteFile writes data to the file named path, replacing it atomically and
// durably: through a temporary file in the same directory, synced, renamed
// over path, then the directory synced. The new file has permissions perm
// (before the umask), whatever the old one had. On error path is as it was
// and the temporary file is removed.
func WriteFile(path string, data []byte, perm os.FileMode) (err error) {
	dir, name := filepath.Split(path)
	f, err := createTemp(dir, name, perm)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if testingOnlyBeforeRename != nil {
		if err := testingOnlyBeforeRename(); err != nil {
			return err
		}
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// WriteNew writes data to a new file named path, durably, and fails with an
// error satisfying errors.Is(err, fs.ErrExist) if path exists: for what must
// never be overwritten, such as a private key or a signed record. The file
// appears whole or not at all: written to a temporary file, synced, linked
// to path, the directory synced.
func WriteNew(path string, data []byte, perm os.FileMode) (err error) {
	dir, name := filepath.Split(path)
	f, err := createTemp(dir, name, perm)
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Link(f.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// Rename renames oldpath, a file or a directory, to newpath durably: it
// syncs oldpath, renames it and syncs the directory of newpath. Syncing a
// directory makes its entries durable, not the files in it: whoever wrote
// them syncs those.
func Rename(oldpath, newpath string) error {
	if err := syncPath(oldpath); err != nil {
		return err
	}
	if err := os.Rename(oldpath, newpath); err != nil {
		return err
	}
	return syncDir(filepath.Dir(newpath))
}

// RemoveTemps removes the temporary files of WriteFile that a crash left in
// dir. No WriteFile into dir may be under way: a program calls it when it
// opens a directory that it alone writes.
func RemoveTemps(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if isTemp(e.Name()) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// isTemp reports whether a file name is that of a temporary file of
// WriteFile: ".NAME.tmp-DIGITS".
func isTemp(name string) bool {
	i := strings.LastIndex(name, tempInfix)
	if !strings.HasPrefix(name, ".") || i < 2 || i+len(tempInfix) == len(name) {
		return false
	}
	for _, c := range name[i+len(tempInfix):] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func syncDir(dir string) error {
	if dir == "" {
		dir = "."
	}
	return syncPath(dir)
}

func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
