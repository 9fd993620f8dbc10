//go:build !unix

package witness

import (
	"errors"
	"os"
)

func lockDir(d *os.File) error {
	return errors.New("locking a witness's state directory is not supported on this system")
}
