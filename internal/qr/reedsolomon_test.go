package qr

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/klauspost/reedsolomon"
)

// The erasure code is github.com/klauspost/reedsolomon's default code, which
// doc/spec/qr.md names: the same parity for every shape a message of up to
// MaxLen bytes takes (and a few more), the same shards rebuilt from any K,
// and the same verdict on shards altered.

// libraryShards returns n shards of size bytes, the first k random and the rest
// the parity the library computes.
func libraryShards(t testing.TB, rnd *rand.Rand, k, n, size int) [][]byte {
	t.Helper()
	sh := make([][]byte, n)
	for i := range sh {
		sh[i] = make([]byte, size)
		if i < k {
			for b := range sh[i] {
				sh[i][b] = byte(rnd.IntN(256))
			}
		}
	}
	lib, err := reedsolomon.New(k, n-k)
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.Encode(sh); err != nil {
		t.Fatal(err)
	}
	return sh
}

func clone(sh [][]byte) [][]byte {
	out := make([][]byte, len(sh))
	for i, s := range sh {
		out[i] = slices.Clone(s)
	}
	return out
}

func TestErasureAsLibrary(t *testing.T) {
	rnd := rand.New(rand.NewPCG(16, 1))
	type code struct{ k, n int }
	var shapes []code
	for l := 1; l <= MaxLen; l += ShardSize {
		k, n, _ := shape(l)
		shapes = append(shapes, code{k, n})
	}
	shapes = append(shapes, code{1, 5}, code{3, 10}, code{10, 99}, code{40, 41}, code{100, 256})
	for _, sh := range shapes {
		size := 1 + rnd.IntN(ShardSize)
		want := libraryShards(t, rnd, sh.k, sh.n, size)
		e, err := newErasure(sh.k, sh.n)
		if err != nil {
			t.Fatal(err)
		}
		got := clone(want)
		for r := sh.k; r < sh.n; r++ {
			clear(got[r])
		}
		if err := e.encode(got); err != nil {
			t.Fatal(err)
		}
		for r := sh.k; r < sh.n; r++ {
			if !bytes.Equal(got[r], want[r]) {
				t.Fatalf("K=%d N=%d: parity shard %d differs from the library's", sh.k, sh.n, r)
			}
		}
		if ok, err := e.verify(got); !ok || err != nil {
			t.Errorf("K=%d N=%d: the library's parity does not verify: %v", sh.k, sh.n, err)
		}
		// Any K rebuild every shard: lose N-K of them, at random, ten times.
		for range 10 {
			lost := clone(want)
			for _, i := range rnd.Perm(sh.n)[:sh.n-sh.k] {
				lost[i] = nil
			}
			if err := e.reconstruct(lost); err != nil {
				t.Fatalf("K=%d N=%d: %v", sh.k, sh.n, err)
			}
			for i := range want {
				if !bytes.Equal(lost[i], want[i]) {
					t.Fatalf("K=%d N=%d: shard %d rebuilt wrong", sh.k, sh.n, i)
				}
			}
		}
	}
}

// Shards altered: the rebuilt shards and the verdict are the library's,
// which rebuilds from the first K shards present too.
func TestErasureAlteredAsLibrary(t *testing.T) {
	rnd := rand.New(rand.NewPCG(16, 2))
	for range 300 {
		k := 1 + rnd.IntN(maxData)
		_, n, _ := shape(k * ShardSize)
		want := libraryShards(t, rnd, k, n, 1+rnd.IntN(64))
		in := clone(want)
		for _, i := range rnd.Perm(n)[:rnd.IntN(n-k+1)] {
			in[i] = nil
		}
		for _, i := range rnd.Perm(n)[:1+rnd.IntN(2)] {
			if in[i] != nil {
				in[i][rnd.IntN(len(in[i]))] ^= byte(1 + rnd.IntN(255))
			}
		}
		ours, theirs := clone(in), clone(in)
		lib, _ := reedsolomon.New(k, n-k)
		e, _ := newErasure(k, n)
		errLib, err := lib.Reconstruct(theirs), e.reconstruct(ours)
		if (err == nil) != (errLib == nil) {
			t.Fatalf("K=%d N=%d: reconstruct %v, the library %v", k, n, err, errLib)
		}
		for i := range ours {
			if !bytes.Equal(ours[i], theirs[i]) {
				t.Fatalf("K=%d N=%d: shard %d rebuilt otherwise than the library", k, n, i)
			}
		}
		okLib, _ := lib.Verify(theirs)
		ok, err := e.verify(ours)
		if ok != okLib || err != nil {
			t.Fatalf("K=%d N=%d: verify %v (%v), the library %v", k, n, ok, err, okLib)
		}
	}
}

func TestErasureRefuses(t *testing.T) {
	for _, kn := range [][2]int{{0, 1}, {2, 2}, {3, 1}, {1, 257}} {
		if _, err := newErasure(kn[0], kn[1]); err == nil {
			t.Errorf("newErasure(%d, %d) made a code", kn[0], kn[1])
		}
	}
	e, _ := newErasure(2, 3)
	for what, sh := range map[string][][]byte{
		"one shard of two":  {[]byte("ab"), nil, nil},
		"sizes that differ": {[]byte("ab"), []byte("abc"), nil},
		"a shorter one":     {[]byte("abc"), []byte("ab"), nil},
		"no shard":          {nil, nil, nil},
		"empty shards":      {[]byte{}, []byte{}, nil},
		"two shards, not 3": {[]byte("ab"), []byte("cd")},
	} {
		if err := e.reconstruct(sh); err == nil {
			t.Errorf("%s: reconstructed", what)
		}
	}
	if err := e.encode([][]byte{[]byte("ab"), nil, []byte("cd")}); err == nil {
		t.Error("encoded with a data shard missing")
	}
	if _, err := e.verify([][]byte{[]byte("ab"), []byte("cd"), nil}); err == nil {
		t.Error("verified with the parity shard missing")
	}
}

// FuzzErasure: whatever shards are given, of any shape the spec's parts
// take (K up to 66 data shards, N up to 99) or between, present or not,
// one altered or not, this code and the library compute the same parity,
// rebuild the same shards and agree whether they verify.
func FuzzErasure(f *testing.F) {
	f.Add(uint8(1), uint8(0), uint64(0), uint16(0), []byte("hello, world"))
	f.Add(uint8(4), uint8(7), uint64(0b10100011), uint16(0), []byte("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
	f.Add(uint8(65), uint8(0), uint64(7), uint16(0), []byte("the longest acta: 66 data parts and 33 of parity"))
	f.Add(uint8(65), uint8(0), uint64(9), uint16(98<<1|1), []byte("the longest acta, its last part altered"))
	f.Add(uint8(30), uint8(9), uint64(1<<40), uint16(5<<1|1), bytes.Repeat([]byte{0, 1, 0xff}, 200))
	f.Fuzz(func(t *testing.T, k, n uint8, seed uint64, alter uint16, data []byte) {
		if len(data) == 0 {
			return
		}
		K := 1 + int(k)%maxData
		_, N, _ := shape(K * ShardSize) // the spec's shape of K data parts
		if n%2 == 1 {
			N = K + 1 + int(n/2)%(MaxParts-K) // another, up to MaxParts
		}
		size := max(1, len(data)/N)
		sh := make([][]byte, N)
		for i := range sh {
			sh[i] = make([]byte, size)
			for b := range sh[i] {
				sh[i][b] = data[(i*size+b)%len(data)] ^ byte(i)
			}
		}
		lib, err := reedsolomon.New(K, N-K)
		if err != nil {
			t.Fatal(err)
		}
		e, err := newErasure(K, N)
		if err != nil {
			t.Fatal(err)
		}
		// The parity of the data shards, from both.
		ours, theirs := clone(sh), clone(sh)
		if err := e.encode(ours); err != nil {
			t.Fatal(err)
		}
		if err := lib.Encode(theirs); err != nil {
			t.Fatal(err)
		}
		for i := range ours {
			if !bytes.Equal(ours[i], theirs[i]) {
				t.Fatalf("K=%d N=%d: parity shard %d differs from the library's", K, N, i)
			}
		}
		// Lose up to N-K+1 shards (one more than the code can spare), and
		// perhaps alter one byte of a shard, as a misread part would.
		rnd := rand.New(rand.NewPCG(seed, uint64(alter)))
		for _, i := range rnd.Perm(N)[:rnd.IntN(N-K+2)] {
			ours[i] = nil
		}
		if alter&1 == 1 {
			if i := int(alter>>1) % N; ours[i] != nil {
				ours[i][int(alter>>8)%size] ^= byte(1 + rnd.IntN(255))
			}
		}
		theirs = clone(ours) // nil stays nil
		errLib, err := lib.Reconstruct(theirs), e.reconstruct(ours)
		if (err == nil) != (errLib == nil) {
			t.Fatalf("K=%d N=%d: reconstruct %v, the library %v", K, N, err, errLib)
		}
		if err != nil {
			return
		}
		for i := range ours {
			if !bytes.Equal(ours[i], theirs[i]) {
				t.Fatalf("K=%d N=%d: shard %d rebuilt otherwise than the library", K, N, i)
			}
		}
		okLib, _ := lib.Verify(theirs)
		if ok, err := e.verify(ours); ok != okLib || err != nil {
			t.Fatalf("K=%d N=%d: verify %v (%v), the library %v", K, N, ok, err, okLib)
		}
	})
}

// BenchmarkReconstruct rebuilds the largest shape (66 data shards of 512
// bytes, 33 parity) with the last data shard lost, and verifies it, as a
// join does: this code, and the library for comparison.
func BenchmarkReconstruct(b *testing.B) {
	rnd := rand.New(rand.NewPCG(16, 3))
	k, n, s := shape(MaxLen)
	want := libraryShards(b, rnd, k, n, s)
	lost := clone(want)
	lost[k-1] = nil
	b.Run("ours", func(b *testing.B) {
		for range b.N {
			e, err := newErasure(k, n)
			if err != nil {
				b.Fatal(err)
			}
			sh := slices.Clone(lost)
			if err := e.reconstruct(sh); err != nil {
				b.Fatal(err)
			}
			if ok, err := e.verify(sh); !ok || err != nil {
				b.Fatalf("verify: %v %v", ok, err)
			}
		}
	})
	b.Run("library", func(b *testing.B) {
		for range b.N {
			lib, err := reedsolomon.New(k, n-k)
			if err != nil {
				b.Fatal(err)
			}
			sh := slices.Clone(lost)
			if err := lib.Reconstruct(sh); err != nil {
				b.Fatal(err)
			}
			if ok, err := lib.Verify(sh); !ok || err != nil {
				b.Fatalf("verify: %v %v", ok, err)
			}
		}
	})
}
