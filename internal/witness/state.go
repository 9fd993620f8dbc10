package witness

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/dirlock"
	"github.com/triplicate-vote/triplicate/internal/durable"
)

// The state directory holds one file for each log the witness has cosigned
// a checkpoint of: the latest one, as a signed note with the log's
// signatures and the witness's cosignature. The file is named by the SHA-256
// of the log's origin, which can be any text; the origin is its first line.
// A file is replaced whole, by durable.WriteFile. Beside it, a journal of
// every checkpoint cosigned for the log only grows (journal.go).

const stateSuffix = ".checkpoint"

func statePath(dir, origin string) string {
	sum := sha256.Sum256([]byte(origin))
	return filepath.Join(dir, hex.EncodeToString(sum[:])+stateSuffix)
}

// openStateDir makes, opens and locks the state directory, and removes the
// temporary files a crash left behind.
func openStateDir(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	d, err := dirlock.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("witness state %s: %v", dir, err)
	}
	if err := durable.RemoveTemps(dir); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// readState reads the latest checkpoint cosigned for origin, which must
// carry a cosignature that cosigner verifies: a state directory goes with
// one witness key. A missing file means none was cosigned yet.
func readState(path, origin string, cosigner note.Verifier) (*cosigned, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &cosigned{hash: rfc6962.DefaultHasher.EmptyRoot()}, nil
	}
	if err != nil {
		return nil, err
	}
	n, err := note.Open(data, note.VerifierList(cosigner))
	if err != nil {
		return nil, fmt.Errorf("%s: not a checkpoint cosigned by witness %s: %v", path, cosigner.Name(), err)
	}
	cp, err := parseCheckpoint(n.Text)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if cp.Origin != origin {
		return nil, fmt.Errorf("%s: checkpoint of log %q, want %q", path, cp.Origin, origin)
	}
	return &cosigned{size: cp.Size, hash: cp.Hash, note: data}, nil
}
