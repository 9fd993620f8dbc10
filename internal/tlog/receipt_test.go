package tlog_test

import (
	"fmt"
	"testing"

	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/merkle/testonly"

	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// tree is a log of n entries, "entry 0" on.
func tree(n int) (*testonly.Tree, [][]byte) {
	t := testonly.New(rfc6962.DefaultHasher)
	var entries [][]byte
	for i := range n {
		e := []byte(fmt.Sprintf("entry %d", i))
		entries = append(entries, e)
		t.AppendData(e)
	}
	return t, entries
}

// receipt is the receipt of entry index of the tree at size, with a
// checkpoint signed by the center and the first two witnesses.
func (f *fixture) receipt(t *testing.T, tr *testonly.Tree, index, size uint64) *tlog.Receipt {
	t.Helper()
	p, err := tr.InclusionProof(index, size)
	if err != nil {
		t.Fatal(err)
	}
	raw := sign(t, checkpointText(origin, size, tr.HashAt(size)), f.center.signer, f.witnesses[0].signer, f.witnesses[1].signer)
	return &tlog.Receipt{Index: index, Checkpoint: string(raw), Proof: p}
}

func TestReceiptVerify(t *testing.T) {
	// Every entry of every tree up to 17 entries: its receipt verifies, and
	// no other entry's data does.
	f := newFixture(t)
	tr, entries := tree(17)
	for size := uint64(1); size <= 17; size++ {
		for index := range size {
			r := f.receipt(t, tr, index, size)
			cp, err := r.Verify(entries[index], f.policy)
			if err != nil {
				t.Fatalf("entry %d of %d: %v", index, size, err)
			}
			if cp.Size != size {
				t.Errorf("entry %d of %d: checkpoint size %d", index, size, cp.Size)
			}
			for other := range size {
				if other == index {
					continue
				}
				if _, err := r.Verify(entries[other], f.policy); err == nil {
					t.Errorf("entry %d of %d: the receipt verified entry %d's data", index, size, other)
				}
			}
		}
	}
}

func TestReceiptWrongLeaf(t *testing.T) {
	f := newFixture(t)
	tr, entries := tree(9)
	r := f.receipt(t, tr, 4, 9)
	for _, data := range [][]byte{nil, []byte("entry 4 "), []byte("Entry 4"), append([]byte{0}, entries[4]...)} {
		if _, err := r.Verify(data, f.policy); err == nil {
			t.Errorf("receipt of %q verified %q", entries[4], data)
		}
	}
	// The receipt at another index than its proof's.
	for index := range uint64(12) {
		if index == 4 {
			continue
		}
		moved := *r
		moved.Index = index
		if _, err := moved.Verify(entries[4], f.policy); err == nil {
			t.Errorf("the receipt of entry 4 verified at index %d", index)
		}
	}
}

func TestReceiptTamperedProof(t *testing.T) {
	// Any one bit of the proof changed, a hash left out, added or the
	// hashes reordered: the receipt no longer verifies.
	f := newFixture(t)
	tr, entries := tree(13)
	r := f.receipt(t, tr, 5, 13)
	if _, err := r.Verify(entries[5], f.policy); err != nil {
		t.Fatal(err)
	}
	clone := func() *tlog.Receipt {
		c := *r
		c.Proof = nil
		for _, h := range r.Proof {
			c.Proof = append(c.Proof, append([]byte(nil), h...))
		}
		return &c
	}
	for i := range r.Proof {
		for bit := range 8 * len(r.Proof[i]) {
			c := clone()
			c.Proof[i][bit/8] ^= 1 << (bit % 8)
			if _, err := c.Verify(entries[5], f.policy); err == nil {
				t.Fatalf("proof hash %d bit %d flipped: verified", i, bit)
			}
		}
		c := clone()
		c.Proof = append(c.Proof[:i], c.Proof[i+1:]...)
		if _, err := c.Verify(entries[5], f.policy); err == nil {
			t.Errorf("proof hash %d left out: verified", i)
		}
		c = clone()
		c.Proof[i] = c.Proof[i][:31]
		if _, err := c.Verify(entries[5], f.policy); err == nil {
			t.Errorf("proof hash %d cut short: verified", i)
		}
	}
	c := clone()
	c.Proof = append(c.Proof, make([]byte, 32))
	if _, err := c.Verify(entries[5], f.policy); err == nil {
		t.Error("a hash added to the proof: verified")
	}
	c = clone()
	c.Proof[0], c.Proof[1] = c.Proof[1], c.Proof[0]
	if _, err := c.Verify(entries[5], f.policy); err == nil {
		t.Error("the proof's first two hashes swapped: verified")
	}
}

func TestReceiptTamperedCheckpoint(t *testing.T) {
	f := newFixture(t)
	tr, entries := tree(14)
	r := f.receipt(t, tr, 5, 13)
	// Any one byte of the checkpoint changed.
	for i := range len(r.Checkpoint) {
		c := *r
		b := []byte(r.Checkpoint)
		b[i] ^= 0x01
		c.Checkpoint = string(b)
		if _, err := c.Verify(entries[5], f.policy); err == nil && !sameSignatures([]byte(r.Checkpoint), b) {
			t.Errorf("checkpoint byte %d changed: verified", i)
		}
	}
	// A checkpoint of the log at another size, or of another root, properly
	// signed, with the proof at size 13. (One that says size 14 with the
	// root at 13 can pass for some entries: only its inconsistency with
	// other checkpoints shows that lie.)
	for _, text := range []string{
		checkpointText(origin, 12, tr.HashAt(12)),
		checkpointText(origin, 14, tr.HashAt(14)),
		checkpointText(origin, 13, tr.HashAt(12)),
		checkpointText(origin, 13, make([]byte, 32)),
	} {
		c := *r
		c.Checkpoint = string(sign(t, text, f.center.signer, f.witnesses[0].signer, f.witnesses[1].signer))
		if _, err := c.Verify(entries[5], f.policy); err == nil {
			t.Errorf("checkpoint %q: verified", text)
		}
	}
	// A checkpoint short of the quorum.
	c := *r
	c.Checkpoint = string(sign(t, checkpointText(origin, 13, tr.HashAt(13)), f.center.signer, f.witnesses[0].signer))
	if _, err := c.Verify(entries[5], f.policy); err == nil {
		t.Error("a checkpoint with one cosignature of the two needed: verified")
	}
}

func TestReceiptIndexBeyondCheckpoint(t *testing.T) {
	f := newFixture(t)
	tr, entries := tree(8)
	r := f.receipt(t, tr, 3, 4)
	r.Index = 4
	if _, err := r.Verify(entries[4], f.policy); err == nil {
		t.Error("a receipt of entry 4 with a checkpoint of size 4 verified")
	}
}
