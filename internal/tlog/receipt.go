package tlog

import (
	"fmt"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
)

// Receipt is what a machine keeps of its acta's entry: the index, a published
// checkpoint that covers it and the proof that the entry is in that tree.
// With the acta, it proves that the center logged it: the center cannot later
// show a log without it without signing two inconsistent checkpoints.
type Receipt struct {
	Index      uint64   `json:"index"`
	Checkpoint string   `json:"checkpoint"`
	Proof      [][]byte `json:"proof"`
}

// Verify checks that the receipt's checkpoint meets the policy (signed by the
// center and cosigned by a quorum of witnesses) and that data is the entry at
// the receipt's index in that tree. It returns the checkpoint.
func (r *Receipt) Verify(data []byte, p Policy) (*log.Checkpoint, error) {
	cp, err := p.Check([]byte(r.Checkpoint))
	if err != nil {
		return nil, fmt.Errorf("receipt: %w", err)
	}
	if r.Index >= cp.Size {
		return nil, fmt.Errorf("receipt of entry %d with a checkpoint of size %d", r.Index, cp.Size)
	}
	leaf := rfc6962.DefaultHasher.HashLeaf(data)
	if err := proof.VerifyInclusion(rfc6962.DefaultHasher, r.Index, cp.Size, leaf, r.Proof, cp.Hash); err != nil {
		return nil, fmt.Errorf("receipt of entry %d: inclusion proof: %w", r.Index, err)
	}
	return cp, nil
}
