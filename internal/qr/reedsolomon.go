package qr

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"sync"
)

// The erasure code of doc/spec/qr.md: the systematic Reed-Solomon code over
// GF(2⁸) (field polynomial 0x11D) whose generator matrix is the N × K
// Vandermonde matrix V[r][c] = rᶜ multiplied by the inverse of its top
// K × K square. It is the default code of github.com/klauspost/reedsolomon,
// and the tests hold this one to it, shape by shape, with shards lost and
// altered. The package carries its own for the phone: that library's
// Leopard codes, CPU detection and flag parsing are 0.41 MB of the phone's
// WebAssembly, for at most 99 shards of at most 512 bytes.

// gfExp[i] is 2 to the i-th power in the field, twice over so that a sum
// of two logarithms needs no reduction; gfLog is its inverse.
var gfExp, gfLog = fieldTables()

func fieldTables() (exp [510]byte, log [256]byte) {
	x := 1
	for i := range 255 {
		exp[i], exp[i+255] = byte(x), byte(x)
		log[x] = byte(i)
		if x <<= 1; x&0x100 != 0 {
			x ^= 0x11D
		}
	}
	return exp, log
}

// gfMulTable returns the field's multiplication table, row a holding a·b
// for every b: combine and invert read a row for each coefficient, as the
// library's galMulSlice does, a lookup a byte instead of two logarithms,
// a sum and a test for zero. It is made on first use (64 KiB).
var gfMulTable = sync.OnceValue(func() *[256][256]byte {
	t := new([256][256]byte)
	for a := 1; a < 256; a++ {
		for b := 1; b < 256; b++ {
			t[a][b] = gfExp[int(gfLog[a])+int(gfLog[b])]
		}
	}
	return t
})

func gfMul(a, b byte) byte {
	if a == 0 || b == 0 {
		return 0
	}
	return gfExp[int(gfLog[a])+int(gfLog[b])]
}

// gfPow returns a to the n-th power, with 0⁰ = 1.
func gfPow(a byte, n int) byte {
	switch {
	case n == 0:
		return 1
	case a == 0:
		return 0
	}
	return gfExp[int(gfLog[a])*n%255]
}

// errSingular is a square of the generator matrix that has no inverse,
// which the code's construction rules out.
var errSingular = errors.New("reed-solomon: singular matrix")

// invert returns the inverse of a square matrix, by Gauss-Jordan
// elimination; m is left as it was.
func invert(m [][]byte) ([][]byte, error) {
	k := len(m)
	a := make([][]byte, k) // m beside the identity
	for r := range a {
		a[r] = make([]byte, 2*k)
		copy(a[r], m[r])
		a[r][k+r] = 1
	}
	for c := range k {
		p := c
		for p < k && a[p][c] == 0 {
			p++
		}
		if p == k {
			return nil, errSingular
		}
		a[c], a[p] = a[p], a[c]
		// Columns before c are zero in row c by now: the row operations
		// start at c.
		inv := &gfMulTable()[gfExp[255-int(gfLog[a[c][c]])]]
		for j := c; j < 2*k; j++ {
			a[c][j] = inv[a[c][j]]
		}
		for r := range k {
			if f := a[r][c]; r != c && f != 0 {
				mul := &gfMulTable()[f]
				for j := c; j < 2*k; j++ {
					a[r][j] ^= mul[a[c][j]]
				}
			}
		}
	}
	for r := range a {
		a[r] = a[r][k:]
	}
	return a, nil
}

// generator returns the code's N × K generator matrix: the identity on
// top, then a row for each parity shard.
func generator(k, n int) ([][]byte, error) {
	v := make([][]byte, n)
	for r := range v {
		v[r] = make([]byte, k)
		for c := range v[r] {
			v[r][c] = gfPow(byte(r), c)
		}
	}
	inv, err := invert(v[:k])
	if err != nil {
		return nil, err
	}
	g := make([][]byte, n)
	for r := range g {
		g[r] = make([]byte, k)
		for c := range g[r] {
			for i := range k {
				g[r][c] ^= gfMul(v[r][i], inv[i][c])
			}
		}
	}
	return g, nil
}

// erasure is the code of k data shards among n. It is not changed once
// made, and codes hands the same one to every caller.
type erasure struct {
	k, n int
	g    [][]byte
}

// codes holds the codes made, by shape: a generator matrix is a K × K
// inversion and N·K² products, and a reader that looks for the part that
// disagrees rebuilds with one code up to N+1 times. An acta has one of 66
// shapes; other shapes (the tests') are kept up to maxCodes, then all are
// dropped.
var codes struct {
	sync.Mutex
	m map[[2]int]*erasure
}

const maxCodes = 128

func newErasure(k, n int) (*erasure, error) {
	if k < 1 || n <= k || n > 256 {
		return nil, fmt.Errorf("reed-solomon: %d data shards of %d: want 1 <= K < N <= 256", k, n)
	}
	codes.Lock()
	defer codes.Unlock()
	if e := codes.m[[2]int{k, n}]; e != nil {
		return e, nil
	}
	g, err := generator(k, n)
	if err != nil {
		return nil, err
	}
	if codes.m == nil || len(codes.m) >= maxCodes {
		codes.m = make(map[[2]int]*erasure)
	}
	e := &erasure{k: k, n: n, g: g}
	codes.m[[2]int{k, n}] = e
	return e, nil
}

// combine sets out to the sum of row[i]·shards[i] over i, byte by byte,
// reading each shard through the multiplication table's row of its
// coefficient; all shards are len(out) bytes.
func combine(out []byte, row []byte, shards [][]byte) {
	clear(out)
	for i, f := range row {
		switch f {
		case 0:
		case 1:
			subtle.XORBytes(out, out, shards[i])
		default:
			mul := &gfMulTable()[f]
			s := shards[i][:len(out)]
			for b, x := range s {
				out[b] ^= mul[x]
			}
		}
	}
}

// sameSize returns the size of the shards present, and fails if they differ
// or none is.
func (e *erasure) sameSize(shards [][]byte) (int, error) {
	if len(shards) != e.n {
		return 0, fmt.Errorf("reed-solomon: %d shards, want %d", len(shards), e.n)
	}
	size := -1
	for _, s := range shards {
		switch {
		case s == nil:
		case size == -1:
			size = len(s)
		case len(s) != size:
			return 0, errors.New("reed-solomon: shards of different sizes")
		}
	}
	if size <= 0 {
		return 0, errors.New("reed-solomon: no shard")
	}
	return size, nil
}

// encode computes the parity shards from the data shards, in place: all n
// shards of one size.
func (e *erasure) encode(shards [][]byte) error {
	if _, err := e.sameSize(shards); err != nil {
		return err
	}
	for _, s := range shards {
		if s == nil {
			return errors.New("reed-solomon: a shard to encode is missing")
		}
	}
	for r := e.k; r < e.n; r++ {
		combine(shards[r], e.g[r], shards[:e.k])
	}
	return nil
}

// reconstruct fills the missing (nil) shards from the first k shards
// present, in order.
func (e *erasure) reconstruct(shards [][]byte) error {
	size, err := e.sameSize(shards)
	if err != nil {
		return err
	}
	var rows [][]byte
	var have [][]byte
	dataLost := false
	for i, s := range shards {
		if s != nil && len(rows) < e.k {
			rows, have = append(rows, e.g[i]), append(have, s)
		}
		dataLost = dataLost || (i < e.k && s == nil)
	}
	if len(rows) < e.k {
		return fmt.Errorf("reed-solomon: %d shards, %d needed", len(rows), e.k)
	}
	// With every data shard present the rows are the identity: nothing to
	// invert, only the parity to compute.
	if dataLost {
		dec, err := invert(rows)
		if err != nil {
			return err
		}
		for c := range e.k {
			if shards[c] == nil {
				shards[c] = make([]byte, size)
				combine(shards[c], dec[c], have)
			}
		}
	}
	for r := e.k; r < e.n; r++ {
		if shards[r] == nil {
			shards[r] = make([]byte, size)
			combine(shards[r], e.g[r], shards[:e.k])
		}
	}
	return nil
}

// verify reports whether the parity shards are those of the data shards.
func (e *erasure) verify(shards [][]byte) (bool, error) {
	size, err := e.sameSize(shards)
	if err != nil {
		return false, err
	}
	want := make([]byte, size)
	for r := e.k; r < e.n; r++ {
		if shards[r] == nil {
			return false, errors.New("reed-solomon: a shard to verify is missing")
		}
		combine(want, e.g[r], shards[:e.k])
		if string(want) != string(shards[r]) {
			return false, nil
		}
	}
	return true, nil
}
