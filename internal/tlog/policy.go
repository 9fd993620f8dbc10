package tlog

import (
	"fmt"

	"github.com/transparency-dev/formats/log"
	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"
)

// Policy is who must sign a checkpoint of the log for it to count: the
// center, and at least Quorum of the witnesses.
type Policy struct {
	Center    string   // the center's note verifier key; its name is the log's origin
	Witnesses []string // the witnesses' note verifier keys (or cosignature/v1 keys)
	Quorum    int
}

// Check parses a checkpoint and checks it against the policy.
func (p Policy) Check(raw []byte) (*log.Checkpoint, error) {
	v, err := note.NewVerifier(p.Center)
	if err != nil {
		return nil, fmt.Errorf("center key: %v", err)
	}
	var cosigners []note.Verifier
	for _, w := range p.Witnesses {
		if k, err := fnote.VKeyToCosignatureV1(w); err == nil {
			w = k
		}
		cv, err := fnote.NewVerifierForCosignatureV1(w)
		if err != nil {
			return nil, fmt.Errorf("witness key %q: %v", w, err)
		}
		cosigners = append(cosigners, cv)
	}
	cp, _, n, err := log.ParseCheckpoint(raw, v.Name(), v, cosigners...)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	cosigned := 0
	for _, s := range n.Sigs {
		for _, cv := range cosigners {
			if s.Name == cv.Name() && s.Hash == cv.KeyHash() {
				cosigned++
			}
		}
	}
	if cosigned < p.Quorum {
		return nil, fmt.Errorf("checkpoint of size %d has %d witness cosignatures, the policy needs %d", cp.Size, cosigned, p.Quorum)
	}
	return cp, nil
}
