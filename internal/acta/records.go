package acta

import (
	"crypto/sha256"
	"slices"
)

// Digest returns the records digest of a machine's electronic vote records:
// SHA-256 of the records, each a line ending in "\n", sorted bytewise so that
// the digest does not depend on (and does not reveal) the order of voting.
// The record format is in doc/spec/acta.md. Digest sorts records in place.
func Digest(records []string) [32]byte {
	slices.Sort(records)
	h := sha256.New()
	for _, r := range records {
		h.Write([]byte(r))
	}
	var d [32]byte
	h.Sum(d[:0])
	return d
}
