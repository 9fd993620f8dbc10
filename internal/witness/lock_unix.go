//go:build unix

package witness

import (
	"errors"
	"os"
	"syscall"
)

// lockDir takes an exclusive lock on an open directory, without waiting, so
// that two witnesses never share one state. The lock lasts until the
// directory is closed or the process ends, however it ends.
func lockDir(d *os.File) error {
	rc, err := d.SyscallConn()
	if err != nil {
		return err
	}
	var lerr error
	if err := rc.Control(func(fd uintptr) {
		lerr = syscall.Flock(int(fd), syscall.LOCK_EX|syscall.LOCK_NB)
	}); err != nil {
		return err
	}
	if errors.Is(lerr, syscall.EWOULDBLOCK) {
		return errors.New("in use by another witness")
	}
	return lerr
}
