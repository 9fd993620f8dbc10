package election

import "crypto/sha256"

// Digest returns the definition's digest: SHA-256 of its canonical
// encoding, [Definition.Marshal]. Comments, blank lines, CR LF line ends
// and a byte order mark in the file it was read from do not change it, nor
// does the authority's signature (doc/spec/election.md, "The digest"). A
// version 2 acta names it, so that an acta binds to one definition, not
// just to an election id.
//
// A part of a definition (see Definition.Whole) has the digest of the whole,
// so that the actas a terminal signs against its part bind to the whole.
//
// Parse computes it once: a definition changed after Parse keeps the
// digest of what was parsed (parse the changed one again).
func (d *Definition) Digest() [32]byte {
	if d.Whole != ([32]byte{}) {
		return d.Whole // a part: see Whole
	}
	if d.digest == nil {
		sum := sha256.Sum256(d.Marshal())
		return sum
	}
	return *d.digest
}
