package verify

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/announced"
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
	// afterAnnounced: the station's acta is in the log after the entries the
	// announcement says it is of, which therefore does not give it
	afterAnnounced bool
	finds          []Finding
}

// stationCheck is one station's counts, sorted by what they are, while the
// checks of the trust model run over them.
type stationCheck struct {
	v      *Verifier
	st     *election.Station
	ballot []*election.Contest
	counts []Count

	versions                          []*Count // machine-signed finals, one per body (the logged copy first)
	hands, zeros, announced, unsigned []*Count
	groups                            [][]*Count // the counts that are figures, by source (bySource)
	logged                            bool       // a final acta is in the (proven) log
	unproven                          int        // counts from a log whose entries are not proven

	out verdict
}

// reconcile checks one station's counts against each other: each rule of
// the trust model is a method below, run in this order.
func (v *Verifier) reconcile(st *election.Station) verdict {
	s := &stationCheck{v: v, st: st, ballot: v.def.Ballot(st)}
	if sc := v.at(st.ID); sc != nil {
		s.counts = sc.counts
	}
	return s.run()
}

// reconcileAt is reconcile of the station at position i of the
// definition's.
func (v *Verifier) reconcileAt(i int) verdict {
	st := v.def.Stations[i]
	s := &stationCheck{v: v, st: st, ballot: v.def.Ballot(st), counts: v.stations[i].counts}
	return s.run()
}

// run runs the checks, in order.
func (s *stationCheck) run() verdict {
	st, v := s.st, s.v
	s.sort()
	s.duplicates()
	s.machineActa()
	s.checkOpening()
	if v.logProven() && !s.logged {
		s.find(CheckMissing, true, nil, "station %s has no final acta in the log", st.ID)
	}
	hand := s.handCount()
	s.announcements()
	s.omitted()
	s.unsignedCounts()
	s.compareAll()
	s.strongest(hand)
	return s.out
}

// find records a finding of the station. Every other source's copy of the
// same signed acta is evidence too: the witnesses' copy of what the log
// holds, and the reverse.
func (s *stationCheck) find(check Check, proven bool, cs []Count, f string, args ...any) {
	fd := Finding{Check: check, Station: s.st.ID, Proven: proven, Summary: fmt.Sprintf(f, args...), counts: cs}
	for _, c := range cs {
		if !c.Source.Signed() {
			continue
		}
		for _, o := range s.counts {
			if o.Source.Signed() && o.Body == c.Body && o.Source != c.Source && !slices.ContainsFunc(fd.same, func(x Count) bool { return x.Source == o.Source && x.Body == o.Body }) {
				fd.same = append(fd.same, o)
			}
		}
	}
	s.out.finds = append(s.out.finds, fd)
}

// sort puts each count where it belongs: the machine-signed final actas,
// one per distinct body (the logged copy first, its cosigners the union of
// every copy's), the hand counts, the zero tapes, the announced and the
// unsigned counts. Nothing is taken from a log whose entries are not proven.
func (s *stationCheck) sort() {
	for i := range s.counts {
		c := &s.counts[i]
		switch {
		case c.Source.Kind == KindLog && !s.v.logProven():
			s.unproven++
		case c.Source.Kind == KindAnnounced:
			s.announced = append(s.announced, c)
		case c.Source.Kind == KindUnsigned:
			s.unsigned = append(s.unsigned, c)
		case c.Kind == acta.Hand:
			s.hands = append(s.hands, c)
		case c.Kind == acta.Zero:
			if !slices.ContainsFunc(s.zeros, func(x *Count) bool { return x.Body == c.Body }) {
				s.zeros = append(s.zeros, c)
			}
		case c.Kind == acta.Final:
			if c.Source.Kind == KindLog {
				s.logged = true
			}
			// Copies: merging cosigners must not change the counts read.
			j := slices.IndexFunc(s.versions, func(x *Count) bool { return x.Body == c.Body })
			if j < 0 {
				cp := *c
				s.versions = append(s.versions, &cp)
				continue
			}
			w := union(s.versions[j].Witnesses, c.Witnesses)
			if s.versions[j].Source.Kind != KindLog && c.Source.Kind == KindLog {
				cp := *c
				s.versions[j] = &cp
			}
			s.versions[j].Witnesses = w
		}
	}
}

// duplicates: an unsigned or announced source that gives the station more
// than once. The center's signed announcements are not duplicates: the
// witnesses' phones keep one note each, at the log sizes they asked at;
// but two of them of one log entry with different figures are the center
// contradicting itself under its signature — an entry cannot change.
func (s *stationCheck) duplicates() {
	s.groups = s.bySource()
	var notes []*Count // the center's signed announcements, of every source
	for _, g := range s.groups {
		if g[0].Source.CenterSigned() {
			notes = append(notes, g...)
			continue
		}
		if len(g) < 2 || g[0].Source.Signed() {
			continue
		}
		var lines []string
		cs := make([]Count, len(g))
		for i, c := range g {
			lines, cs[i] = append(lines, c.Where), *c
		}
		s.find(CheckDuplicate, false, cs, "%s gives station %s %d times (%s)", g[0].Source.Name, s.st.ID, len(g), strings.Join(lines, ", "))
	}
	s.signedTwice(notes)
}

// signedTwice finds, among the center's signed announcements of the
// station, two of one log entry with different figures.
func (s *stationCheck) signedTwice(g []*Count) {
	for i, a := range g {
		for _, b := range g[i+1:] {
			// Two of one log size are the split view readSigned finds.
			if a.Index == b.Index && a.Figures.Differs(b.Figures) && noteSize(a.Msg) != noteSize(b.Msg) {
				s.find(CheckSplitView, true, []Count{*a, *b}, "the center signed two announcements of station %s from log entry %d with different figures (%s and %s): an entry of the log cannot change", s.st.ID, a.Index, a.Where, b.Where)
				return
			}
		}
	}
}

// noteSize returns the log size a signed announcement is of (its note
// was opened when read).
func noteSize(msg []byte) uint64 {
	body, _, _ := bytes.Cut(msg, []byte("\n\n"))
	a, err := announced.Parse(append(body, '\n'))
	if err != nil {
		return 0
	}
	return a.Size
}

// machineActa: one version, or an equivocation. Two versions prove that the
// machine's key signed two counts, not who used it to: the center may have
// logged a forgery, or a stolen key made one and sent or handed it first.
// Neither is preferred, whoever cosigned which: a party's cosignature says
// what it was shown, and one dishonest party with a stolen key can show
// anything. The station stays undecided but for a hand count of its
// vouchers.
func (s *stationCheck) machineActa() {
	switch len(s.versions) {
	case 0:
	case 1:
		s.out.machine = s.versions[0]
	default:
		var cs []Count
		for _, c := range s.versions {
			cs = append(cs, *c)
		}
		s.find(CheckEquivocation, true, cs, "station %s has %d different final actas, all signed by its machine's key (%s): the signatures prove the key signed more than one count, not who used it to, so neither is taken as the station's count",
			s.st.ID, len(s.versions), describeVersions(s.versions))
		s.out.undecided = true
	}
}

// handCount holds the hand counts against each other and the machine's
// acta, and returns the one that stands. Two signed hand counts with
// different figures decide nothing: the station falls back to its
// machine's acta, whatever order the sources came in.
func (s *stationCheck) handCount() *Count {
	var hand *Count
	for i, h := range s.hands {
		if i == 0 {
			hand = h
			continue
		}
		if h.Body != s.hands[0].Body && h.Figures.Differs(s.hands[0].Figures) {
			s.find(CheckHandCount, true, []Count{*s.hands[0], *h}, "station %s has two signed hand counts with different figures%s: neither is taken as the station's count",
				s.st.ID, describeDiff(s.ballot, s.hands[0].Figures, h.Figures))
			hand = nil
		}
	}
	if m := s.out.machine; hand != nil && m != nil && hand.Figures.Differs(m.Figures) {
		s.find(CheckHandCount, true, []Count{*m, *hand}, "the hand count of station %s's vouchers differs from its machine's acta%s",
			s.st.ID, describeDiff(s.ballot, m.Figures, hand.Figures))
	}
	if hand != nil {
		s.out.undecided = false
	}
	return hand
}

// announcements holds what the center announces against the machine's
// acta. Announcing one of two machine-signed versions is no alteration;
// announcing figures that no version has is.
func (s *stationCheck) announcements() {
	m := s.out.machine
	for _, a := range s.announced {
		if why := impossible(a.Figures, s.st, s.ballot); why != "" {
			s.find(CheckImpossible, false, []Count{*a}, "the center announces figures for station %s that cannot hold: %s", s.st.ID, why)
		}
		switch {
		case m != nil && votesDiffer(a.Figures, m.Figures):
			s.find(CheckAltered, true, []Count{*m, *a}, "the center announces figures for station %s that differ from the acta its machine signed%s%s%s",
				s.st.ID, heldBy(m), describeDiff(s.ballot, m.Figures, a.Figures), underSignature(a))
		case len(s.versions) > 1 && !agreesWithOne(a, s.versions):
			cs := []Count{*a}
			for _, m := range s.versions {
				cs = append(cs, *m)
			}
			s.find(CheckAltered, true, cs, "the center announces figures for station %s that differ from every acta its machine signed (%s)%s", s.st.ID, describeVersions(s.versions), underSignature(a))
		}
		if s.v.logProven() && !s.logged && !s.v.announcementAhead() && a.Source.ofLog {
			s.find(CheckAltered, true, []Count{*a}, "the center announces figures for station %s, but its log holds no acta of it", s.st.ID)
		}
	}
}

// underSignature says, of an announced count the center signed, that it
// cannot deny it.
func underSignature(a *Count) string {
	if a.Msg == nil {
		return ""
	}
	return "; the center signed this announcement (" + a.Where + "), so it cannot deny it"
}

// omitted: a station the proven log holds that the announcement leaves out.
func (s *stationCheck) omitted() {
	if slices.ContainsFunc(s.announced, func(a *Count) bool { return a.Source.ofLog }) || len(s.v.announcedSums) == 0 || !s.v.logProven() {
		return
	}
	if k := slices.IndexFunc(s.counts, func(c Count) bool { return c.Source.Kind == KindLog && c.Kind == acta.Final }); k >= 0 {
		lc := s.counts[k]
		if n := s.v.announcedLogSize; n != nil && uint64(lc.Index) >= *n {
			// Logged after the entries the announcement says it is of: an
			// announcement that lags its log (honest while ingest goes on)
			// or one cut short. Not a proof of either: the report says it
			// could not hold the station against the announcement.
			s.out.afterAnnounced = true
			return
		}
		s.find(CheckOmitted, true, []Count{lc}, "the center's announcement leaves out station %s, whose final acta is entry %d of its log, within the entries the announcement says it is of",
			s.st.ID, lc.Index)
	}
}

// unsignedCounts: unsigned figures that cannot hold, and, where the
// machine's key signed several versions, an unsigned count that agrees with
// none of them. compareAll holds each against every other source.
func (s *stationCheck) unsignedCounts() {
	for _, u := range s.unsigned {
		if why := impossible(u.Figures, s.st, s.ballot); why != "" {
			s.find(CheckImpossible, false, []Count{*u}, "%s gives figures for station %s that cannot hold: %s", u.Source.Name, s.st.ID, why)
		}
		if s.out.machine == nil && len(s.versions) > 1 && !agreesWithOne(u, s.versions) {
			cs := []Count{*u}
			for _, m := range s.versions {
				cs = append(cs, *m)
			}
			s.find(CheckUnsigned, false, cs, "%s (unsigned) differs from every acta the machine of station %s signed (%s)", u.Source.Name, s.st.ID, describeVersions(s.versions))
		}
	}
}

// strongest picks the station's count by precedence, never a mix: the
// hand count of the vouchers, the machine's acta, then the center's
// announcement and unsigned counts in the order of their sources' ranks
// (see Verifier.Precedence: they may be declared to outrank the signed
// evidence). Two machine-signed versions leave it undecided: no weaker
// source settles them.
func (s *stationCheck) strongest(hand *Count) {
	signed := cmp.Or(hand, s.out.machine)
	// The first by rank that gives every candidate's votes; else the first.
	var best *Count
	better := func(c, than *Count) bool {
		if than == nil {
			return true
		}
		if cw, tw := s.whole(c), s.whole(than); cw != tw {
			return cw
		}
		return c.Source.Rank < than.Source.Rank
	}
	for _, c := range append(slices.Clone(s.announced), s.unsigned...) {
		if better(c, best) {
			best = c
		}
	}
	switch {
	case best != nil && best.Source.Rank < s.v.signedRank && !s.out.undecided && (signed == nil || s.whole(best)):
		// Declared to outrank the signed evidence, and whole.
		s.out.best = best
	case signed != nil:
		s.out.best = signed
	case s.out.undecided:
	default:
		s.out.best = best
	}
	if len(s.counts) == s.unproven && !s.v.anyUnread() {
		// (With a source unread, it may hold the count.)
		s.find(CheckMissing, false, nil, "no source gives a count of station %s", s.st.ID)
	}
}

// whole reports whether a count gives every candidate's votes of the
// station's ballot.
func (s *stationCheck) whole(c *Count) bool {
	for i := range s.ballot {
		cands, _, _ := c.Figures.Contest(s.ballot, i)
		if slices.Contains(cands, tally.Unknown) {
			return false
		}
	}
	return true
}

// votesDiffer is Differs but for registered voters, which a signed acta
// carries from the definition: a count that differs from it in them alone
// is impossible (the definition says otherwise), not an alteration.
func votesDiffer(a, b tally.Figures) bool {
	a.Registered, b.Registered = tally.Unknown, tally.Unknown
	return a.Differs(b)
}

// agreesWithOne reports whether c's figures are those of one of versions.
func agreesWithOne(c *Count, versions []*Count) bool {
	return slices.ContainsFunc(versions, func(m *Count) bool { return !c.Figures.Differs(m.Figures) })
}

// checkOpening holds the station's zero tapes against each other and
// against its final actas: a machine opened once signs one zero tape, and
// its final acta names that opening. A second zero tape, or a final acta
// opened at another time, means the machine was opened again after the
// opening its witnesses saw.
func (s *stationCheck) checkOpening() {
	if len(s.zeros) > 1 {
		var cs []Count
		var times []string
		for _, z := range s.zeros {
			cs = append(cs, *z)
			times = append(times, time.Unix(z.Opened, 0).UTC().Format(time.RFC3339))
		}
		s.find(CheckEquivocation, true, cs, "station %s has %d different zero tapes, all signed by its machine's key (opened %s): the machine was opened more than once",
			s.st.ID, len(s.zeros), strings.Join(times, ", "))
	}
	if len(s.zeros) == 0 {
		return
	}
	for _, f := range s.versions {
		if slices.ContainsFunc(s.zeros, func(z *Count) bool { return z.Opened == f.Opened }) {
			continue
		}
		s.find(CheckReopened, true, []Count{*s.zeros[0], *f}, "the final acta of station %s says its machine was opened at %s, but the zero tape it signed at its opening says %s: the machine was opened again after that opening",
			s.st.ID, time.Unix(f.Opened, 0).UTC().Format(time.RFC3339), time.Unix(s.zeros[0].Opened, 0).UTC().Format(time.RFC3339))
	}
}

// impossible is f.Impossible, and registered voters other than the
// definition's.
func impossible(f tally.Figures, st *election.Station, ballot []*election.Contest) string {
	if f.Registered != tally.Unknown && st.Registered != election.Unknown && int(f.Registered) != st.Registered {
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
	if a.Registered != tally.Unknown && b.Registered != tally.Unknown && a.Registered != b.Registered {
		parts = append(parts, fmt.Sprintf("registered %d → %d", a.Registered, b.Registered))
	}
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
