// Package dirlock gives a directory to one process at a time: the state of a
// voting terminal, of a party's witness, of the tallying center. Two
// processes acting on one of them would break what each promises (a vote in
// one slot, one history cosigned, one decision per acta).
package dirlock

import (
	"errors"
	"os"
)

// ErrLocked is returned by Open when another process holds the directory.
var ErrLocked = errors.New("in use by another process")

// Open opens a directory and takes an exclusive lock on it, without waiting.
// The lock lasts until the returned file is closed or the process ends,
// however it ends.
func Open(dir string) (*os.File, error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := lock(d); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}
