package tlog

import (
	"fmt"
	"slices"

	"github.com/transparency-dev/formats/log"
	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/keys"
)

// Policy is who must sign a checkpoint of the log for it to count: the
// center, and log witnesses of at least Quorum distinct parties. A party
// with many witnesses is one voice: its cosignatures count once.
type Policy struct {
	Center    string   // the center's note verifier key; its name is the log's origin
	Witnesses []string // the witnesses' note verifier keys (or cosignature/v1 keys)
	// Parties names the party of each witness: Parties[i] is the party of
	// Witnesses[i]. Without Parties, each witness is a party of its own
	// (one key, in whichever form, still counts once).
	Parties []string
	Quorum  int // how many distinct parties must cosign
}

// Check parses a checkpoint and checks it against the policy.
func (p Policy) Check(raw []byte) (*log.Checkpoint, error) {
	if err := keys.CheckVerifier(p.Center); err != nil {
		return nil, fmt.Errorf("center key: %v", err)
	}
	v, err := note.NewVerifier(p.Center)
	if err != nil {
		return nil, fmt.Errorf("center key: %v", err)
	}
	if p.Parties != nil && len(p.Parties) != len(p.Witnesses) {
		return nil, fmt.Errorf("policy: %d parties for %d witnesses", len(p.Parties), len(p.Witnesses))
	}
	var cosigners []note.Verifier
	party := map[note.Verifier]string{}
	var public []string // of each cosigner
	for i, w := range p.Witnesses {
		_, pub, err := keys.PublicKey(w)
		if err != nil {
			return nil, fmt.Errorf("witness key %q: %v", w, err)
		}
		if k, err := fnote.VKeyToCosignatureV1(w); err == nil {
			w = k
		}
		cv, err := fnote.NewVerifierForCosignatureV1(w)
		if err != nil {
			return nil, fmt.Errorf("witness key %q: %v", w, err)
		}
		who := "key " + string(pub)
		if p.Parties != nil {
			who = "party " + p.Parties[i]
		}
		// A key listed twice (perhaps in its two forms) is one cosigner.
		if j := slices.IndexFunc(cosigners, func(o note.Verifier) bool {
			return o.Name() == cv.Name() && o.KeyHash() == cv.KeyHash()
		}); j >= 0 {
			switch {
			case public[j] != string(pub):
				return nil, fmt.Errorf("witness keys %s: two keys of one name and key hash", cv.Name())
			case party[cosigners[j]] != who:
				return nil, fmt.Errorf("witness key %s is listed for two parties", cv.Name())
			}
			continue
		}
		cosigners = append(cosigners, cv)
		public = append(public, string(pub))
		party[cv] = who
	}
	cp, _, n, err := log.ParseCheckpoint(raw, v.Name(), v, cosigners...)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	// n.Sigs holds the signatures that verified.
	sigs, cosigned := 0, map[string]bool{}
	for _, s := range n.Sigs {
		for _, cv := range cosigners {
			if s.Name == cv.Name() && s.Hash == cv.KeyHash() {
				sigs++
				cosigned[party[cv]] = true
			}
		}
	}
	if len(cosigned) < p.Quorum {
		return nil, fmt.Errorf("checkpoint of size %d has %d witness cosignatures, the policy needs %d of distinct parties: it has %d", cp.Size, sigs, p.Quorum, len(cosigned))
	}
	return cp, nil
}
