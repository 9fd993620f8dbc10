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
// Every checkpoint the center publishes meets it, on either feed.
func ElectionPolicy(def *election.Definition) Policy {
	p := Policy{Center: def.Center, Quorum: def.LogQuorum}
	for _, w := range def.LogWitnesses {
		p.Witnesses = append(p.Witnesses, w.Key)
		p.Parties = append(p.Parties, w.Party)
	}
	// The groups up to the quorum's: no later one can be its member. A
	// group that counts public witnesses cannot be either.
	for _, g := range def.LogGroups {
		if def.LogQuorumGroup == "" {
			break
		}
		if !def.CountsPublic(g.Name) {
			p.Groups = append(p.Groups, Group{Name: g.Name, Threshold: g.Threshold, Members: g.Members})
		}
		if g.Name == def.LogQuorumGroup {
			break
		}
	}
	return p
}

// Names of the groups PublicPolicy adds: not ids, so that no group of a
// definition has them.
const (
	logQuorumGroup    = "(log quorum)"
	publicQuorumGroup = "(public quorum)"
	slowFeedGroup     = "(slow feed)"
)

// PublicPolicy returns the policy of the checkpoints of an election's slow
// feed, which public witnesses cosign: the log quorum and the public quorum
// (doc/spec/election.md, "Public witnesses and the slow feed"). A public
// witness is a party of its own, by its name.
func PublicPolicy(def *election.Definition) Policy {
	p := Policy{Center: def.Center}
	for _, w := range def.LogWitnesses {
		p.Witnesses, p.Parties = append(p.Witnesses, w.Key), append(p.Parties, w.Party)
	}
	var public []string
	for _, w := range def.PublicWitnesses {
		p.Witnesses, p.Parties = append(p.Witnesses, w.Key), append(p.Parties, w.Name)
		public = append(public, w.Name)
	}
	for _, g := range def.LogGroups {
		p.Groups = append(p.Groups, Group{Name: g.Name, Threshold: g.Threshold, Members: g.Members})
	}
	both := []string{}
	switch {
	case def.LogQuorumGroup != "":
		both = append(both, def.LogQuorumGroup)
	case len(def.LogWitnesses) > 0:
		p.Groups = append(p.Groups, Group{Name: logQuorumGroup, Threshold: def.LogQuorum, Members: def.LogParties()})
		both = append(both, logQuorumGroup)
	}
	if def.PublicQuorumGroup != "" {
		both = append(both, def.PublicQuorumGroup)
	} else {
		p.Groups = append(p.Groups, Group{Name: publicQuorumGroup, Threshold: max(def.PublicQuorum, 1), Members: public})
		both = append(both, publicQuorumGroup)
	}
	p.Groups = append(p.Groups, Group{Name: slowFeedGroup, Threshold: len(both), Members: both})
	return p
}
