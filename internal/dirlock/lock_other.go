//go:build !unix

package dirlock

import (
	"errors"
	"os"
)

func lock(d *os.File) error {
	return errors.New("locking a directory is not supported on this system")
}
