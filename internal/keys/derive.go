package keys

import (
	"crypto/sha256"
	"encoding/binary"
)

// Derive returns a key pair determined by a seed and the key's name: the
// same seed and name give the same key. It is for simulations, tests and
// test vectors, whose keys anyone who knows the seed can rebuild: never for
// a real election.
func Derive(seed, name string) (skey, vkey string, err error) {
	return Generate(&hashStream{seed: seed + "/" + name}, name)
}

// hashStream is a deterministic byte stream: SHA-256 of a seed and a
// counter.
type hashStream struct {
	seed string
	n    uint64
	buf  []byte
}

func (s *hashStream) Read(p []byte) (int, error) {
	for i := range p {
		if len(s.buf) == 0 {
			var c [8]byte
			binary.BigEndian.PutUint64(c[:], s.n)
			s.n++
			h := sha256.Sum256(append([]byte(s.seed), c[:]...))
			s.buf = h[:]
		}
		p[i] = s.buf[0]
		s.buf = s.buf[1:]
	}
	return len(p), nil
}
