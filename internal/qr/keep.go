package qr

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/durable"
)

// Kept says how [Keep] kept a scanned acta.
type Kept int

const (
	// KeptNew: the acta is the first kept for its station and kind.
	KeptNew Kept = iota
	// KeptAlready: the same bytes were kept before; nothing was written.
	KeptAlready
	// KeptResigned: the same count with other signatures was kept before;
	// this one is kept beside it.
	KeptResigned
	// KeptDiffers: a different count of the station was kept before: two
	// signed counts of one station are evidence, and both are kept.
	KeptDiffers
)

// Keep files a scanned acta in dir as STATION.KIND.acta (first, the path of
// that name). It never overwrites a different acta: another one for the
// same station and kind is kept beside the first as
// STATION.KIND.DIGEST.acta, DIGEST the first 8 hexadecimal digits of its
// SHA-256. It returns the path the acta is in and how it was kept.
func Keep(dir string, sa *acta.Signed) (path, first string, k Kept, err error) {
	first = filepath.Join(dir, sa.Station+"."+string(sa.Kind)+".acta")
	old, err := os.ReadFile(first)
	switch {
	case os.IsNotExist(err):
		return first, first, KeptNew, durable.WriteFile(first, sa.Msg, 0o644)
	case err != nil:
		return "", first, 0, err
	case bytes.Equal(old, sa.Msg):
		return first, first, KeptAlready, nil
	}
	sum := sha256.Sum256(sa.Msg)
	path = filepath.Join(dir, fmt.Sprintf("%s.%s.%x.acta", sa.Station, sa.Kind, sum[:4]))
	k = KeptResigned
	if i := bytes.Index(old, []byte("\n\n")); i < 0 || !bytes.Equal(old[:i+1], sa.Body) {
		k = KeptDiffers
	}
	return path, first, k, durable.WriteFile(path, sa.Msg, 0o644)
}
