// Package tlog is the center's log as its readers see it: the policy a
// checkpoint must meet (signed by the center, cosigned by a quorum of the
// election's log witnesses), the receipt a machine keeps of its entry, and
// reading the entries of a tlog-tiles log on disk or over HTTP. The center
// writes the log (package ledger); machines and the verifier read it with this
// package alone, so that checking the log needs none of the center's code.
package tlog

import "github.com/triplicate-vote/triplicate/internal/election"

// ElectionPolicy returns the witness policy of an election's log, as its
// definition enrols it: its quorum counts parties, or is a group of them.
func ElectionPolicy(def *election.Definition) Policy {
	p := Policy{Center: def.Center, Quorum: def.LogQuorum}
	for _, w := range def.LogWitnesses {
		p.Witnesses = append(p.Witnesses, w.Key)
		p.Parties = append(p.Parties, w.Party)
	}
	// The groups up to the quorum's: no later one can be its member.
	for _, g := range def.LogGroups {
		if def.LogQuorumGroup == "" {
			break
		}
		p.Groups = append(p.Groups, Group{Name: g.Name, Threshold: g.Threshold, Members: g.Members})
		if g.Name == def.LogQuorumGroup {
			break
		}
	}
	return p
}
