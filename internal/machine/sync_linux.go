package machine

import (
	"os"
	"syscall"
)

// datasync flushes a file's data to stable storage, and its metadata only as
// far as needed to read the data back: a slot write changes no size and
// allocates no block, so this is one flush of one block.
func datasync(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		for {
			serr = syscall.Fdatasync(int(fd))
			if serr != syscall.EINTR {
				return
			}
		}
	}); err != nil {
		return err
	}
	if serr != nil {
		return &os.PathError{Op: "fdatasync", Path: f.Name(), Err: serr}
	}
	return nil
}
