package machine

import (
	"io/fs"
	"os"
	"path/filepath"

	"github.com/triplicate-vote/triplicate/internal/durable"
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

// writeFile replaces the file name in dir with data: durably, so that after
// a crash at any moment name is either absent (or its old self) or complete.
// With sync false it writes the file in place and promises nothing about
// crashes.
func writeFile(dir *os.File, name string, perm fs.FileMode, sync bool, data []byte) error {
	path := filepath.Join(dir.Name(), name)
	if !sync {
		return os.WriteFile(path, data, perm)
	}
	return durable.WriteFile(path, data, perm)
}
