package ledger

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/transparency-dev/tessera"

	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// The witness policy counts parties, not keys: a party with two witnesses
// (or two keys) counts once, so that one party cannot make up a quorum
// alone. It is given to Tessera, which publishes a checkpoint only once the
// policy is met, in Sigsum's policy language: each witness, then a group of
// "any" of each party's witnesses, then either one group of Quorum of the
// parties or the election's groups over parties and earlier groups, the
// last being the quorum.

// witnessPolicy checks c's witnesses, parties and groups, and returns the
// policy that published checkpoints meet, and Tessera's group that makes
// them meet it (nil without witnesses).
func witnessPolicy(c Config) (tlog.Policy, *tessera.WitnessGroup, error) {
	p := tlog.Policy{Center: c.Key.Public}
	if len(c.Witnesses) == 0 {
		return p, nil, nil
	}
	var text strings.Builder
	var parties []string             // in order of first witness
	members := map[string][]string{} // party: its witnesses' names in text
	for i, w := range c.Witnesses {
		if _, err := url.Parse(w.URL); err != nil {
			return p, nil, fmt.Errorf("witness %s: %v", w.URL, err)
		}
		// The key as tlog.Policy.Check verifies cosignatures: its key hash
		// checked, which the library's verifier, behind Tessera's policy,
		// does not do.
		cv, err := keys.NewCosignatureVerifier(w.Key)
		if err != nil {
			return p, nil, fmt.Errorf("witness %s: key %q: %v", w.URL, w.Key, err)
		}
		// Witnesses cosign with cosignature/v1 signatures, whose keys are the
		// note key with another algorithm byte (and so another key hash).
		if k, err := keys.CosignatureKey(w.Key); err == nil {
			w.Key = k
		}
		if slices.Contains(p.Witnesses, w.Key) {
			return p, nil, fmt.Errorf("witness %s: key %s is listed twice: one party would count as two", w.URL, cv.Name())
		}
		party := w.Party
		if party == "" {
			party = "witness " + w.Key // a party of its own
		}
		p.Witnesses, p.Parties = append(p.Witnesses, w.Key), append(p.Parties, party)
		name := fmt.Sprintf("w%d", i)
		fmt.Fprintf(&text, "witness %s %s %s\n", name, w.Key, w.URL)
		if members[party] == nil {
			parties = append(parties, party)
		}
		members[party] = append(members[party], name)
	}
	component := map[string]string{} // party or group: its name in text
	for i, party := range parties {
		component[party] = fmt.Sprintf("p%d", i)
		fmt.Fprintf(&text, "group %s any %s\n", component[party], strings.Join(members[party], " "))
	}
	if len(c.Groups) == 0 {
		if c.Quorum < 1 || c.Quorum > len(parties) {
			return p, nil, fmt.Errorf("witness quorum %d of %d parties (%d witnesses): want 1 to %d", c.Quorum, len(parties), len(c.Witnesses), len(parties))
		}
		p.Quorum = c.Quorum
		names := make([]string, len(parties))
		for i, party := range parties {
			names[i] = component[party]
		}
		fmt.Fprintf(&text, "group parties %d %s\nquorum parties\n", c.Quorum, strings.Join(names, " "))
	} else {
		// The groups over the parties that have witnesses here: a member
		// without any, or a group that cannot be met without them, is left
		// out; the quorum, the last group, must still be possible.
		for i, g := range c.Groups {
			var present, names []string
			for _, m := range g.Members {
				if component[m] != "" {
					present, names = append(present, m), append(names, component[m])
				}
			}
			if g.Threshold < 1 || g.Threshold > len(present) {
				if i == len(c.Groups)-1 {
					return p, nil, fmt.Errorf("witness group %s needs %d of %s, but the witnesses given are of only %d of them", g.Name, g.Threshold, strings.Join(g.Members, " "), len(present))
				}
				continue
			}
			if _, dup := component[g.Name]; dup {
				return p, nil, fmt.Errorf("witness group %s: name used twice", g.Name)
			}
			component[g.Name] = fmt.Sprintf("g%d", i)
			p.Groups = append(p.Groups, tlog.Group{Name: g.Name, Threshold: g.Threshold, Members: present})
			fmt.Fprintf(&text, "group %s %d %s\n", component[g.Name], g.Threshold, strings.Join(names, " "))
		}
		fmt.Fprintf(&text, "quorum %s\n", component[c.Groups[len(c.Groups)-1].Name])
	}
	group, err := tessera.NewWitnessGroupFromPolicy([]byte(text.String()))
	if err != nil {
		return p, nil, fmt.Errorf("witness policy: %v", err)
	}
	return p, &group, nil
}
