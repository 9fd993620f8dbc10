package tlog

import (
	"fmt"
	"slices"
	"strings"

	"github.com/transparency-dev/formats/log"
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
	// Groups, if any, are thresholds over parties and groups, as in
	// Sigsum's policies: a party is met when any of its witnesses cosigned,
	// a group when at least Threshold of its members are met. A group's
	// members are parties (as Parties names them) and groups before it; the
	// last group is the quorum, and Quorum is not used.
	Groups []Group
}

// Group is a k-of-n threshold of a [Policy]'s parties and groups.
type Group struct {
	Name      string
	Threshold int
	Members   []string
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
		cv, err := keys.NewCosignatureVerifier(w)
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
		if late := keys.LateCosignature(raw, cosigners...); late != nil {
			return nil, fmt.Errorf("checkpoint: %w: %v", err, late)
		}
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
	if len(p.Groups) > 0 {
		if err := p.checkGroups(cosigned); err != nil {
			return nil, fmt.Errorf("checkpoint of size %d has %d witness cosignatures: %v", cp.Size, sigs, err)
		}
		return cp, nil
	}
	if len(cosigned) < p.Quorum {
		return nil, fmt.Errorf("checkpoint of size %d has %d witness cosignatures, the policy needs %d of distinct parties: it has %d", cp.Size, sigs, p.Quorum, len(cosigned))
	}
	return cp, nil
}

// checkGroups reports whether the parties that cosigned meet the last group.
func (p Policy) checkGroups(cosigned map[string]bool) error {
	if p.Parties == nil {
		return fmt.Errorf("policy: groups without parties")
	}
	met := map[string]bool{}
	for _, g := range p.Groups {
		if _, dup := met[g.Name]; dup || slices.Contains(p.Parties, g.Name) {
			return fmt.Errorf("policy: group %q: name used twice", g.Name)
		}
		if g.Threshold < 1 || g.Threshold > len(g.Members) {
			return fmt.Errorf("policy: group %s: threshold %d of %d members", g.Name, g.Threshold, len(g.Members))
		}
		n := 0
		for i, m := range g.Members {
			gm, isGroup := met[m]
			switch {
			case slices.Contains(g.Members[:i], m):
				return fmt.Errorf("policy: group %s: member %q listed twice", g.Name, m)
			case isGroup && gm, !isGroup && cosigned["party "+m]:
				n++
			case !isGroup && !slices.Contains(p.Parties, m):
				return fmt.Errorf("policy: group %s: unknown member %q", g.Name, m)
			}
		}
		met[g.Name] = n >= g.Threshold
	}
	last := p.Groups[len(p.Groups)-1]
	if !met[last.Name] {
		return fmt.Errorf("the policy needs witness group %s (%d of %s), which it does not meet", last.Name, last.Threshold, strings.Join(last.Members, " "))
	}
	return nil
}
