//go:build !unix

package machine

import (
	"errors"
	"os"
)

func lockDir(d *os.File) error {
	return errors.New("locking a station's state directory is not supported on this system")
}
