package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// splitView is the finding of two checkpoints the center signed that are
// not of one history.
func splitView(savedName string, savedRaw []byte, curName string, curRaw []byte, summary string) Finding {
	return Finding{Check: CheckSplitView, Proven: true, Summary: summary, Evidence: []Evidence{
		{Kind: "checkpoint", Source: savedName, Checkpoint: string(savedRaw)},
		{Kind: "checkpoint", Source: curName, Checkpoint: string(curRaw)},
	}}
}

// verdict is what the verifier concludes of one station.
type verdict struct {
	best    *Count // the strongest count, nil if none
	machine *Count // the machine's final acta, if one version stands
	finds   []Finding
}

// reconcile checks one station's counts against each other.
func (v *Verifier) reconcile(st *election.Station) verdict {
	var counts []Count
	if sc := v.stations[st.ID]; sc != nil {
		counts = sc.counts
	}
	ballot := v.def.Ballot(st)
	var out verdict
	find := func(check Check, proven bool, cs []Count, f string, args ...any) {
		fd := Finding{Check: check, Station: st.ID, Proven: proven, Summary: fmt.Sprintf(f, args...), counts: cs}
		// Every other source's copy of the same signed acta is evidence
		// too: the witnesses' copy of what the log holds, and the reverse.
		for _, c := range cs {
			if !c.Source.Signed() {
				continue
			}
			for _, o := range counts {
				if o.Source.Signed() && o.Body == c.Body && o.Source != c.Source && !slices.ContainsFunc(fd.same, func(x Count) bool { return x.Source == o.Source && x.Body == o.Body }) {
					fd.same = append(fd.same, o)
				}
			}
		}
		out.finds = append(out.finds, fd)
	}

	// The machine-signed final actas, one per distinct body (the logged
	// copy first), and the hand counts.
	var versions []*Count
	var hands, announced, unsigned []*Count
	perSource := map[*Source][]Count{}
	logged := false
	for i := range counts {
		c := &counts[i]
		switch {
		case c.Source.Kind == KindAnnounced:
			announced = append(announced, c)
			perSource[c.Source] = append(perSource[c.Source], *c)
		case c.Source.Kind == KindUnsigned:
			unsigned = append(unsigned, c)
			perSource[c.Source] = append(perSource[c.Source], *c)
		case c.Kind == acta.Hand:
			hands = append(hands, c)
		case c.Kind == acta.Final:
			if c.Source.Kind == KindLog {
				logged = true
			}
			// Copies: merging cosigners must not change the counts read.
			j := slices.IndexFunc(versions, func(x *Count) bool { return x.Body == c.Body })
			if j < 0 {
				cp := *c
				versions = append(versions, &cp)
				continue
			}
			w := union(versions[j].Witnesses, c.Witnesses)
			if versions[j].Source.Kind != KindLog && c.Source.Kind == KindLog {
				cp := *c
				versions[j] = &cp
			}
			versions[j].Witnesses = w
		}
	}
	for src, cs := range perSource {
		if len(cs) > 1 {
			var lines []string
			for _, c := range cs {
				lines = append(lines, c.Where)
			}
			find(CheckDuplicate, false, cs, "%s gives station %s %d times (%s)", src.Name, st.ID, len(cs), strings.Join(lines, ", "))
		}
	}

	// The machine's acta: one version, or a finding.
	switch len(versions) {
	case 0:
	case 1:
		out.machine = versions[0]
	default:
		var cs []Count
		for _, c := range versions {
			cs = append(cs, *c)
		}
		// Substitution: the log holds a version that fewer parties cosigned
		// than one the witnesses hold and the log does not. (With as many or
		// more cosigners on the logged one, a party holding another version
		// proves only that the machine's key signed two.)
		inLog := slices.IndexFunc(versions, func(c *Count) bool { return c.Source.Kind == KindLog })
		held := -1
		for i, c := range versions {
			if c.Source.Kind != KindLog && len(c.Witnesses) > 0 && (held < 0 || len(c.Witnesses) > len(versions[held].Witnesses)) {
				held = i
			}
		}
		if inLog >= 0 && held >= 0 && len(versions[held].Witnesses) > len(versions[inLog].Witnesses) && !overlaps(versions[inLog].Witnesses, versions[held].Witnesses) {
			find(CheckSubstitution, true, cs, "the log holds an acta of station %s that the witnesses of %s did not cosign; they hold another, also signed by the machine, with other figures: the machine's key signed two counts, and the center logged the one the witnesses did not see",
				st.ID, strings.Join(versions[held].Witnesses, ", "))
			out.machine = versions[held]
		} else {
			find(CheckEquivocation, true, cs, "station %s has %d different actas, all signed by its machine's key", st.ID, len(versions))
			// The one most parties cosigned, if one is.
			slices.SortStableFunc(versions, func(a, b *Count) int { return len(b.Witnesses) - len(a.Witnesses) })
			if len(versions[0].Witnesses) > len(versions[1].Witnesses) {
				out.machine = versions[0]
			}
		}
	}
	if v.log != nil && v.log.complete && !logged {
		find(CheckMissing, v.log.rootOK, nil, "station %s has no final acta in the log", st.ID)
	}

	// Hand counts: against each other and the machine's.
	var hand *Count
	for _, h := range hands {
		if hand == nil {
			hand = h
		} else if h.Body != hand.Body && h.Figures.Differs(hand.Figures) {
			find(CheckHandCount, true, []Count{*hand, *h}, "station %s has two signed hand counts with different figures", st.ID)
		}
	}
	if hand != nil && out.machine != nil && hand.Figures.Differs(out.machine.Figures) {
		find(CheckHandCount, true, []Count{*out.machine, *hand}, "the hand count of station %s's vouchers differs from its machine's acta%s",
			st.ID, describeDiff(ballot, out.machine.Figures, hand.Figures))
	}

	// What the center announces. Unsigned copies are of the machine's acta:
	// they are held against it (or, without one, the hand count).
	signed := out.machine
	if signed == nil {
		signed = hand
	}
	for _, a := range announced {
		if why := impossible(a.Figures, st, ballot); why != "" {
			find(CheckImpossible, false, []Count{*a}, "the center announces figures for station %s that cannot hold: %s", st.ID, why)
		}
		if out.machine != nil && a.Figures.Differs(out.machine.Figures) {
			find(CheckAltered, true, []Count{*out.machine, *a}, "the center announces figures for station %s that differ from the acta its machine signed%s%s",
				st.ID, heldBy(out.machine), describeDiff(ballot, out.machine.Figures, a.Figures))
		}
		if v.log != nil && v.log.complete && !logged && !v.announcementAhead() {
			find(CheckAltered, v.log.rootOK, []Count{*a}, "the center announces figures for station %s, but its log holds no acta of it", st.ID)
		}
	}
	for _, u := range unsigned {
		if why := impossible(u.Figures, st, ballot); why != "" {
			find(CheckImpossible, false, []Count{*u}, "%s gives figures for station %s that cannot hold: %s", u.Source.Name, st.ID, why)
		}
		switch {
		case signed != nil && u.Figures.Differs(signed.Figures):
			find(CheckUnsigned, false, []Count{*signed, *u}, "%s (unsigned) differs from the signed count of station %s%s", u.Source.Name, st.ID, describeDiff(ballot, signed.Figures, u.Figures))
		case signed == nil && len(announced) > 0 && u.Figures.Differs(announced[0].Figures):
			find(CheckUnsigned, false, []Count{*announced[0], *u}, "%s (unsigned) differs from the center's announced figures for station %s, and no signed acta decides%s",
				u.Source.Name, st.ID, describeDiff(ballot, announced[0].Figures, u.Figures))
		}
	}

	// The strongest evidence: the hand count of the vouchers, the machine's
	// acta, the center's announcement, an unsigned count.
	switch {
	case hand != nil:
		out.best = hand
	case out.machine != nil:
		out.best = out.machine
	case len(announced) > 0:
		out.best = announced[0]
	case len(unsigned) > 0:
		out.best = unsigned[0]
	}
	if len(counts) == 0 && !v.anyUnread() {
		// (With a source unread, it may hold the count.)
		find(CheckMissing, false, nil, "no source gives a count of station %s", st.ID)
	}
	return out
}

// impossible is f.Impossible, and registered voters other than the
// definition's.
func impossible(f tally.Figures, st *election.Station, ballot []*election.Contest) string {
	if f.Registered != tally.Unknown && int(f.Registered) != st.Registered {
		return fmt.Sprintf("%d registered voters, the definition says %d", f.Registered, st.Registered)
	}
	g := f
	if g.Registered == tally.Unknown {
		g.Registered = int32(st.Registered)
	}
	return g.Impossible(ballot)
}

// describeDiff says which figures differ, e.g. " (EG 232 → 160, NM 120 → 192)".
func describeDiff(ballot []*election.Contest, a, b tally.Figures) string {
	var parts []string
	if a.Ballots != tally.Unknown && b.Ballots != tally.Unknown && a.Ballots != b.Ballots {
		parts = append(parts, fmt.Sprintf("ballots %d → %d", a.Ballots, b.Ballots))
	}
	for i, c := range ballot {
		ac, ab, an := a.Contest(ballot, i)
		bc, bb, bn := b.Contest(ballot, i)
		prefix := ""
		if len(ballot) > 1 {
			prefix = c.ID + " "
		}
		for j, x := range c.Candidates {
			if ac[j] != tally.Unknown && bc[j] != tally.Unknown && ac[j] != bc[j] {
				parts = append(parts, fmt.Sprintf("%s%s %d → %d", prefix, x.ID, ac[j], bc[j]))
			}
		}
		if ab != tally.Unknown && bb != tally.Unknown && ab != bb {
			parts = append(parts, fmt.Sprintf("%sblank %d → %d", prefix, ab, bb))
		}
		if an != tally.Unknown && bn != tally.Unknown && an != bn {
			parts = append(parts, fmt.Sprintf("%snull %d → %d", prefix, an, bn))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// heldBy says who holds and logged a machine-signed acta, e.g. " (cosigned by
// pud, gpp; log entry 12)".
func heldBy(c *Count) string {
	var parts []string
	if len(c.Witnesses) > 0 {
		parts = append(parts, "cosigned by the witnesses of "+strings.Join(c.Witnesses, ", "))
	}
	if c.Index >= 0 {
		parts = append(parts, fmt.Sprintf("log entry %d", c.Index))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}
