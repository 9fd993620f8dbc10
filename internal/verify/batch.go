package verify

import (
	"github.com/hdevalence/ed25519consensus"

	"github.com/triplicate-vote/triplicate/internal/acta"
)

// BatchSize is how many signatures the verifier checks in one batch.
const BatchSize = 64

// verifyBatches checks signatures in batches of BatchSize and returns, for
// each, whether it verifies. A batch that fails is checked one signature at a
// time to find which. Verification follows ZIP-215 (ed25519consensus), which
// accepts every signature crypto/ed25519 accepts and, beyond, only
// non-canonical encodings of a signature the key's owner made: no forgery.
func verifyBatches(checks []acta.SignatureCheck, ok []bool) {
	for start := 0; start < len(checks); start += BatchSize {
		batch := checks[start:min(start+BatchSize, len(checks))]
		bv := ed25519consensus.NewPreallocatedBatchVerifier(len(batch))
		for _, c := range batch {
			bv.Add(c.Key, c.Message, c.Signature)
		}
		if bv.Verify() {
			for i := range batch {
				ok[start+i] = true
			}
			continue
		}
		for i, c := range batch {
			ok[start+i] = ed25519consensus.Verify(c.Key, c.Message, c.Signature)
		}
	}
}
