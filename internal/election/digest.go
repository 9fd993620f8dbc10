package election

import "crypto/sha256"

// Digest returns the definition's digest: SHA-256 of its canonical
// encoding, [Definition.Marshal]. Comments, blank lines, CR LF line ends
// and a byte order mark in the file it was read from do not change it, nor
// does the authority's signature (doc/spec/election.md, "The digest"). A
// version 2 acta names it, so that an acta binds to one definition, not
// just to an election id.
//
// Parse computes it once: a definition changed after Parse keeps the
// digest of what was parsed (parse the changed one again).
func (d *Definition) Digest() [32]byte {
	if d.digest == nil {
		sum := sha256.Sum256(d.Marshal())
		return sum
	}
	return *d.digest
}
