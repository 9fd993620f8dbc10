package verify

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

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
	// undecided: the machine's key signed several versions and no hand
	// count settles which: the station has no count to weigh
	undecided bool
	finds     []Finding
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
	var hands, zeros, announced, unsigned []*Count
	perSource := map[*Source][]Count{}
	logged := false
	unproven := 0 // counts from a log whose entries are not proven
	for i := range counts {
		c := &counts[i]
		switch {
		case c.Source.Kind == KindLog && !v.logProven():
			// The log's entries do not hash to its checkpoint (or were not
			// all read): nothing is claimed from them.
			unproven++
		case c.Source.Kind == KindAnnounced:
			announced = append(announced, c)
			perSource[c.Source] = append(perSource[c.Source], *c)
		case c.Source.Kind == KindUnsigned:
			unsigned = append(unsigned, c)
			perSource[c.Source] = append(perSource[c.Source], *c)
		case c.Kind == acta.Hand:
			hands = append(hands, c)
		case c.Kind == acta.Zero:
			if !slices.ContainsFunc(zeros, func(x *Count) bool { return x.Body == c.Body }) {
				zeros = append(zeros, c)
			}
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

	// The machine's acta: one version, or a finding. Two versions prove
	// that the machine's key signed two counts, not who used it to: the
	// center may have logged a forgery, or a stolen key made one and sent
	// or handed it first. Neither is preferred, whoever cosigned which: a
	// party's cosignature says what it was shown, and one dishonest party
	// with a stolen key can show anything. The station stays undecided but
	// for a hand count of its vouchers.
	switch len(versions) {
	case 0:
	case 1:
		out.machine = versions[0]
	default:
		var cs []Count
		for _, c := range versions {
			cs = append(cs, *c)
		}
		find(CheckEquivocation, true, cs, "station %s has %d different final actas, all signed by its machine's key (%s): the signatures prove the key signed more than one count, not who used it to, so neither is taken as the station's count",
			st.ID, len(versions), describeVersions(versions))
		out.undecided = true
	}
	out.checkOpening(find, st, zeros, versions)
	if v.logProven() && !logged {
		find(CheckMissing, true, nil, "station %s has no final acta in the log", st.ID)
	}

	// Hand counts: against each other and the machine's. Two signed hand
	// counts with different figures decide nothing: the station falls back
	// to its machine's acta, whatever order the sources came in.
	var hand *Count
	for i, h := range hands {
		if i == 0 {
			hand = h
			continue
		}
		if h.Body != hands[0].Body && h.Figures.Differs(hands[0].Figures) {
			find(CheckHandCount, true, []Count{*hands[0], *h}, "station %s has two signed hand counts with different figures%s: neither is taken as the station's count",
				st.ID, describeDiff(ballot, hands[0].Figures, h.Figures))
			hand = nil
		}
	}
	if hand != nil && out.machine != nil && hand.Figures.Differs(out.machine.Figures) {
		find(CheckHandCount, true, []Count{*out.machine, *hand}, "the hand count of station %s's vouchers differs from its machine's acta%s",
			st.ID, describeDiff(ballot, out.machine.Figures, hand.Figures))
	}
	if hand != nil {
		out.undecided = false
	}

	// What the center announces. Unsigned copies are of the machine's acta:
	// they are held against it (or, without one, the hand count; or, if the
	// machine's key signed several, against each of them).
	signed := out.machine
	if signed == nil {
		signed = hand
	}
	for _, a := range announced {
		if why := impossible(a.Figures, st, ballot); why != "" {
			find(CheckImpossible, false, []Count{*a}, "the center announces figures for station %s that cannot hold: %s", st.ID, why)
		}
		// Announcing one of two machine-signed versions is no alteration;
		// announcing figures that no version has is.
		switch {
		case out.machine != nil && a.Figures.Differs(out.machine.Figures):
			find(CheckAltered, true, []Count{*out.machine, *a}, "the center announces figures for station %s that differ from the acta its machine signed%s%s",
				st.ID, heldBy(out.machine), describeDiff(ballot, out.machine.Figures, a.Figures))
		case len(versions) > 1 && !slices.ContainsFunc(versions, func(m *Count) bool { return !a.Figures.Differs(m.Figures) }):
			cs := []Count{*a}
			for _, m := range versions {
				cs = append(cs, *m)
			}
			find(CheckAltered, true, cs, "the center announces figures for station %s that differ from every acta its machine signed (%s)", st.ID, describeVersions(versions))
		}
		if v.logProven() && !logged && !v.announcementAhead() {
			find(CheckAltered, true, []Count{*a}, "the center announces figures for station %s, but its log holds no acta of it", st.ID)
		}
	}
	// A station the proven log holds that the announcement leaves out.
	if len(announced) == 0 && len(v.announcedSums) > 0 && v.logProven() {
		if k := slices.IndexFunc(counts, func(c Count) bool { return c.Source.Kind == KindLog && c.Kind == acta.Final }); k >= 0 {
			lc := counts[k]
			find(CheckOmitted, true, []Count{lc}, "the center's announcement leaves out station %s, whose final acta is entry %d of its log%s",
				st.ID, lc.Index, v.announcedSizeNote(lc.Index))
		}
	}
	for _, u := range unsigned {
		if why := impossible(u.Figures, st, ballot); why != "" {
			find(CheckImpossible, false, []Count{*u}, "%s gives figures for station %s that cannot hold: %s", u.Source.Name, st.ID, why)
		}
		switch {
		case signed != nil && u.Figures.Differs(signed.Figures):
			find(CheckUnsigned, false, []Count{*signed, *u}, "%s (unsigned) differs from the signed count of station %s%s", u.Source.Name, st.ID, describeDiff(ballot, signed.Figures, u.Figures))
		case signed == nil && len(versions) > 1:
			// the machine's key signed several: one of them agrees
			if !slices.ContainsFunc(versions, func(m *Count) bool { return !u.Figures.Differs(m.Figures) }) {
				find(CheckUnsigned, false, []Count{*u}, "%s (unsigned) differs from every acta the machine of station %s signed (%s)", u.Source.Name, st.ID, describeVersions(versions))
			}
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
	case out.undecided:
		// two machine-signed versions: no weaker source settles it
	case len(announced) > 0:
		out.best = announced[0]
	case len(unsigned) > 0:
		out.best = unsigned[0]
	}
	if len(counts) == unproven && !v.anyUnread() {
		// (With a source unread, it may hold the count.)
		find(CheckMissing, false, nil, "no source gives a count of station %s", st.ID)
	}
	return out
}

// checkOpening holds the station's zero tapes against each other and
// against its final actas: a machine opened once signs one zero tape, and
// its final acta names that opening. A second zero tape, or a final acta
// opened at another time, means the machine was opened again after the
// opening its witnesses saw.
func (out *verdict) checkOpening(find func(Check, bool, []Count, string, ...any), st *election.Station, zeros, finals []*Count) {
	if len(zeros) > 1 {
		var cs []Count
		var times []string
		for _, z := range zeros {
			cs = append(cs, *z)
			times = append(times, time.Unix(z.Opened, 0).UTC().Format(time.RFC3339))
		}
		find(CheckEquivocation, true, cs, "station %s has %d different zero tapes, all signed by its machine's key (opened %s): the machine was opened more than once",
			st.ID, len(zeros), strings.Join(times, ", "))
	}
	if len(zeros) == 0 {
		return
	}
	for _, f := range finals {
		if slices.ContainsFunc(zeros, func(z *Count) bool { return z.Opened == f.Opened }) {
			continue
		}
		find(CheckReopened, true, []Count{*zeros[0], *f}, "the final acta of station %s says its machine was opened at %s, but the zero tape it signed at its opening says %s: the machine was opened again after that opening",
			st.ID, time.Unix(f.Opened, 0).UTC().Format(time.RFC3339), time.Unix(zeros[0].Opened, 0).UTC().Format(time.RFC3339))
	}
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

// describeVersions names each machine-signed version of a station: where it
// is and who cosigned it, e.g. "log entry 12, cosigned by no party; a copy in
// pc.acta, cosigned by pc".
func describeVersions(versions []*Count) string {
	var parts []string
	for _, c := range versions {
		where := "a copy in " + cmp.Or(c.Where, c.Source.Name)
		if c.Source.Kind == KindLog {
			where = fmt.Sprintf("log entry %d", c.Index)
		}
		who := "no party"
		if len(c.Witnesses) > 0 {
			who = strings.Join(c.Witnesses, ", ")
		}
		parts = append(parts, where+", cosigned by "+who)
	}
	return strings.Join(parts, "; ")
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
