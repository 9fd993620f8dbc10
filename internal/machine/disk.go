package machine

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// The files of a station's state directory.
const (
	defFile     = "election.txt"
	keyFile     = "machine.key"
	zeroFile    = "zero.acta"
	slotsFile   = "records.slots"
	finalFile   = "final.acta"
	recordsFile = "records.txt"
	receiptFile = "receipt.json"
)

// tmpSuffix marks a file being written; Load removes any a crash left.
const tmpSuffix = ".tmp"

// replaceFile makes the file name in dir atomically: it writes name.tmp with
// fill, syncs it, renames it over name and syncs the directory, so that after
// a crash at any moment name is either absent (or its old self) or complete.
// With sync false it skips the syncs and promises nothing about crashes.
func replaceFile(dir *os.File, name string, perm fs.FileMode, sync bool, fill func(*os.File) error) error {
	tmp := filepath.Join(dir.Name(), name+tmpSuffix)
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	err = fill(f)
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir.Name(), name))
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if sync {
		return dir.Sync()
	}
	return nil
}

// writeFile is replaceFile with the given contents.
func writeFile(dir *os.File, name string, perm fs.FileMode, sync bool, data []byte) error {
	return replaceFile(dir, name, perm, sync, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

// removeTemps removes the files a crash left half written.
func removeTemps(dir string) error {
	for _, name := range []string{defFile, zeroFile, slotsFile, finalFile, recordsFile} {
		if err := os.Remove(filepath.Join(dir, name+tmpSuffix)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
