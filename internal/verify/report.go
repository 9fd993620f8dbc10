package verify

import (
	"cmp"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// Report is what the verifier found: the JSON evidence bundle, and what the
// terminal summary and the HTML report show.
type Report struct {
	Election string `json:"election"`
	Name     string `json:"name"`
	// Simulated: the figures are a simulation's (triplicate demo's) on real
	// tables and names; whatever shows them must say so.
	Simulated bool        `json:"simulated,omitempty"`
	Sources   []*Source   `json:"sources"`
	Log       *LogSummary `json:"log,omitempty"`

	Stations  int `json:"stations"`  // in the definition
	Agreeing  int `json:"agreeing"`  // with a count and no finding
	Differing int `json:"differing"` // with a finding
	Uncounted int `json:"uncounted"` // with no count in any source
	// ByCheck is how many findings each check made.
	ByCheck map[Check]int `json:"by_check"`

	// Pairs is every two sources held against each other: the stations
	// they share, how many differ, and those only one gives.
	Pairs []PairSummary `json:"pairs,omitempty"`
	// Precedence is the order in which a station's figures were taken,
	// strongest first, by source name; "signed" stands for the signed
	// evidence (a hand count of the vouchers, then the machine's acta).
	Precedence []string `json:"precedence,omitempty"`

	Findings []Finding `json:"findings"`
	Problems []Problem `json:"problems"` // what could not be checked
	// Warnings are what could still be compared but a user must know (a
	// label a mapping names that no row has).
	Warnings []Problem `json:"warnings,omitempty"`
	// Outcomes weighs each contest; none if a source could not be read
	// (see Unread).
	Outcomes []Outcome       `json:"outcomes"`
	Audits   []*AuditSummary `json:"audits,omitempty"`

	corrected []tally.CSVRow // each station's corrected figures, if the verifier kept them
}

// Corrected returns each counted station's corrected figures, in the
// definition's order, Where naming the source they come from; nil unless
// the verifier was asked to keep them (Verifier.KeepCorrected).
func (r *Report) Corrected() []tally.CSVRow { return r.corrected }

// LogSummary is what the verifier read of the center's log.
type LogSummary struct {
	Source     string `json:"source"`
	Origin     string `json:"origin"`
	Size       uint64 `json:"size"`
	Checkpoint string `json:"checkpoint"`
	// Witnessed: the checkpoint meets the election's witness policy.
	Witnessed bool `json:"witnessed"`
	// Complete: every entry was read and together they hash to the
	// checkpoint's root, which proves each one's inclusion.
	Complete bool `json:"complete"`
}

// Clean reports whether the verifier found nothing wrong and could check
// everything it was given.
func (r *Report) Clean() bool {
	return len(r.Findings) == 0 && !slices.ContainsFunc(r.Problems, func(p Problem) bool { return !p.Accepted })
}

// Unchecked counts the problems that make the run unclean (not those the
// user accepted).
func (r *Report) Unchecked() int {
	n := 0
	for _, p := range r.Problems {
		if !p.Accepted {
			n++
		}
	}
	return n
}

// Unread returns the problems of sources that could not be read at all:
// the report claims nothing from them, and weighs no contest.
func (r *Report) Unread() []Problem {
	var out []Problem
	for _, p := range r.Problems {
		if p.Unread {
			out = append(out, p)
		}
	}
	return out
}

// anyUnread reports whether a source could not be read at all.
func (v *Verifier) anyUnread() bool {
	return slices.ContainsFunc(v.problems, func(p Problem) bool { return p.Unread })
}

// Report reconciles every station and weighs every contest. It reads the
// log again only for the entries and proofs that findings cite.
func (v *Verifier) Report(ctx context.Context) *Report {
	r := &Report{Election: v.def.ID, Name: v.def.Name, Sources: v.sources, Stations: len(v.def.Stations), ByCheck: map[Check]int{}, Audits: v.audits}
	if st := v.log; st != nil {
		r.Log = &LogSummary{Source: st.src.Name, Origin: st.checkpoint.Origin, Size: st.checkpoint.Size,
			Checkpoint: string(st.raw), Witnessed: st.witnessed, Complete: st.rootOK}
	}
	findings := slices.Clone(v.findings)
	atLog := map[string]bool{} // stations with a finding of the log's
	for _, f := range findings {
		atLog[f.Station] = true
	}
	byContest := map[string][]weighing{}
	var after []string // stations logged after the announcement's log size
	logSums := map[string][]int64{}
	announcement := v.announcement()
	for si, st := range v.def.Stations {
		vd := v.reconcileAt(si)
		findings = append(findings, vd.finds...)
		if vd.afterAnnounced {
			after = append(after, st.ID)
		}
		if v.KeepCorrected && vd.best != nil {
			r.corrected = append(r.corrected, tally.CSVRow{Station: st.ID, Where: vd.best.Source.Name, Figures: vd.best.Figures})
		}
		switch {
		case vd.best == nil:
			r.Uncounted++
		case len(vd.finds) > 0 || atLog[st.ID]:
			r.Differing++
		default:
			r.Agreeing++
		}
		w := weighing{station: st, best: vd.best, undecided: vd.undecided, strength: strength(vd.best)}
		for i := range v.stations[si].counts {
			c := &v.stations[si].counts[i]
			if c.Source == announcement && w.announced == nil {
				w.announced = c
			}
		}
		ballot := v.def.Ballot(st)
		for i, c := range ballot {
			byContest[c.ID] = append(byContest[c.ID], w)
			if v.totals == nil {
				continue
			}
			if lc := v.loggedFinal(st.ID); lc != nil {
				sum := logSums[c.ID]
				if sum == nil {
					sum = make([]int64, len(c.Candidates)+2)
					logSums[c.ID] = sum
				}
				cands, blank, null := lc.Figures.Contest(ballot, i)
				addKnown(sum, append(slices.Clone(cands), blank, null))
			}
		}
	}
	findings = append(findings, v.checkTotals(logSums)...)
	for _, c := range v.def.Contests {
		// The stations' counts in an unread source could weigh anything.
		if ws := byContest[c.ID]; len(ws) > 0 && !v.anyUnread() {
			r.Outcomes = append(r.Outcomes, v.weigh(c, ws))
		}
	}
	findings = append(findings, outcomeFindings(r.Outcomes)...)
	order := func(c Check) int { return slices.Index(Checks, c) }
	slices.SortStableFunc(findings, func(a, b Finding) int {
		if d := order(a.Check) - order(b.Check); d != 0 {
			return d
		}
		return strings.Compare(a.Station, b.Station)
	})
	for i := range findings {
		if len(findings[i].entries) > 0 && !v.log.rootOK {
			findings[i].Proven = false // the entry's inclusion is not proven
		}
		v.materialize(ctx, &findings[i])
		r.ByCheck[findings[i].Check]++
	}
	r.Findings = findings
	r.Problems = v.named(v.problems)
	r.Warnings = v.named(v.warnings)
	r.Problems = append(r.Problems, v.uncompared()...)
	r.Pairs = v.pairSummaries()
	r.Precedence = v.precedence()
	if len(after) > 0 {
		r.Problems = append(r.Problems, Problem{Source: v.log.src.Name, What: fmt.Sprintf(
			"the announcement is of the log's first %d entries and the log read has %d: %s logged after them (%s) not held against it — an announcement that lags its log, or one cut short; read the announcement again once it covers them",
			*v.announcedLogSize, v.log.checkpoint.Size, map[bool]string{true: "1 station", false: fmt.Sprint(len(after), " stations")}[len(after) == 1], clipList(after, 12))})
	}
	if v.announcementAhead() {
		r.Problems = append(r.Problems, Problem{Source: v.log.src.Name, What: fmt.Sprintf("the announcement is of a log of %d entries, the log read has %d: read the log after the announcement; its totals and stations were not held against the log", *v.announcedLogSize, v.log.checkpoint.Size)})
	}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	if r.Problems == nil {
		r.Problems = []Problem{}
	}
	if r.Outcomes == nil {
		r.Outcomes = []Outcome{}
	}
	return r
}

// announcement returns the one announcement whose figures the weighing
// shows as announced, never a mix of two: the center's own, else the
// announced table that ranks first.
func (v *Verifier) announcement() *Source {
	var best *Source
	for _, s := range v.sources {
		switch {
		case s.Kind != KindAnnounced:
		case s.ofLog:
			return s
		case best == nil || s.Rank < best.Rank:
			best = s
		}
	}
	return best
}

// named returns the problems with each source as the user named it.
func (v *Verifier) named(ps []Problem) []Problem {
	out := slices.Clone(ps)
	for i, p := range out {
		if d, ok := v.described[p.Source]; ok && d.Name != "" {
			out[i].Source = d.Name
		}
	}
	return out
}

func strength(c *Count) string {
	switch {
	case c == nil:
		return ""
	case c.Kind == acta.Hand:
		return "hand"
	case c.Source.Signed():
		return "machine"
	case c.Source.Kind == KindAnnounced:
		return "announced"
	}
	return "unsigned"
}

// loggedFinal returns the station's first final acta in the log (within the
// announced log size, if one was announced), or nil.
func (v *Verifier) loggedFinal(station string) *Count {
	sc := v.at(station)
	if sc == nil {
		return nil
	}
	for i := range sc.counts {
		c := &sc.counts[i]
		if c.Source.Kind == KindLog && c.Kind == acta.Final && (v.announcedLogSize == nil || uint64(c.Index) < *v.announcedLogSize) {
			return c
		}
	}
	return nil
}

// checkTotals compares the announced totals with the sums of the logged
// actas.
func (v *Verifier) checkTotals(logSums map[string][]int64) []Finding {
	if v.totals == nil || !v.logProven() || v.announcementAhead() {
		return nil
	}
	var out []Finding
	for _, c := range v.def.Contests {
		t, ok := v.totals[c.ID]
		if !ok {
			continue
		}
		sum := logSums[c.ID]
		if sum == nil {
			sum = make([]int64, len(c.Candidates)+2)
		}
		var diffs []string
		ids := append(candidateIDs(c), "blank", "null")
		for i, id := range ids {
			if t[id] != sum[i] {
				diffs = append(diffs, fmt.Sprintf("%s %d announced, %d in the log", id, t[id], sum[i]))
			}
		}
		if len(diffs) > 0 {
			f := Finding{Check: CheckTotals, Proven: true,
				Summary: fmt.Sprintf("the totals the center announces for contest %s are not the sum of the actas in its log: %s", c.ID, strings.Join(diffs, "; ")),
				Evidence: []Evidence{
					{Kind: "announced", Source: v.totalsSource, Note: "the announced totals"},
					{Kind: "checkpoint", Source: v.log.src.Name, Checkpoint: v.log.rawText, Note: "the log's entries up to this checkpoint are the actas summed"},
				}}
			out = append(out, f)
		}
	}
	return out
}

// announcementAhead reports whether the announcement names a log larger than
// the one read: then what it says of the log cannot be checked.
func (v *Verifier) announcementAhead() bool {
	return v.log != nil && v.announcedLogSize != nil && *v.announcedLogSize > v.log.checkpoint.Size
}

// outcomeFindings are the contests whose announced winner the corrected
// count does not elect, with nothing uncounted that could change it back.
// The finding is proven when every station's corrected figures are signed.
func outcomeFindings(outcomes []Outcome) []Finding {
	var out []Finding
	for _, o := range outcomes {
		if !o.Flips {
			continue
		}
		proven := true
		for kind, n := range o.Evidence {
			if n > 0 && kind != "machine" && kind != "hand" {
				proven = false
			}
		}
		announced, corrected := o.AnnouncedWinner, o.CorrectedWinner
		if len(o.AnnouncedTied) > 0 {
			announced = "a tie of " + strings.Join(o.AnnouncedTied, ", ")
		}
		if o.Tie {
			corrected = "a tie of " + strings.Join(o.Tied, ", ")
		}
		if o.UnderRule() && o.AnnouncedOutcome != nil {
			out = append(out, Finding{Check: CheckOutcome, Proven: proven,
				Summary: fmt.Sprintf("under its rule (%s), the center's figures give %s in contest %s, but the corrected count gives %s, and the stations not counted cannot change that", o.Rule, o.AnnouncedOutcome.Says, o.Contest, o.CorrectedOutcome.Says)})
			continue
		}
		out = append(out, Finding{Check: CheckOutcome, Proven: proven,
			Summary: fmt.Sprintf("the center announces %s in contest %s, but the corrected count gives %s, and the stations not counted cannot change that", cmp.Or(announced, "no winner"), o.Contest, cmp.Or(corrected, "no winner"))})
	}
	return out
}

func candidateIDs(c *election.Contest) []string {
	var ids []string
	for _, x := range c.Candidates {
		ids = append(ids, x.ID)
	}
	return ids
}

// materialize fills a finding's Counts and Evidence from the counts it
// cites, reading log entries and their proofs.
func (v *Verifier) materialize(ctx context.Context, f *Finding) {
	entries := slices.Clone(f.entries)
	for i, c := range append(f.counts, f.same...) {
		if i < len(f.counts) {
			f.Counts = append(f.Counts, v.view(f.Station, c))
		}
		switch {
		case c.Source.Kind == KindAnnounced && c.Msg != nil:
			f.Evidence = append(f.Evidence, Evidence{Kind: "announced-signed", Source: c.Source.Name, Where: c.Where, Announcement: string(c.Msg)})
		case c.Msg != nil:
			f.Evidence = append(f.Evidence, Evidence{Kind: "acta", Source: c.Source.Name, Where: c.Where, Acta: string(c.Msg)})
		case c.Source.Kind == KindCopy:
			// A copy read from a file: read again, and still the same acta.
			e := Evidence{Kind: "acta", Source: c.Source.Name, Where: c.Where}
			msg, err := os.ReadFile(c.Where)
			if err == nil && sha256.Sum256(bodyOf(msg)) != c.Body {
				err = fmt.Errorf("the file changed since it was read")
			}
			if err != nil {
				e.Note = fmt.Sprintf("the acta could not be read again: %v", err)
				f.Proven = false
			}
			e.Acta = string(msg)
			f.Evidence = append(f.Evidence, e)
		case c.Source.Kind == KindLog:
			entries = append(entries, uint64(c.Index))
		case c.Source.Kind == KindAnnounced:
			f.Evidence = append(f.Evidence, Evidence{Kind: "announced", Source: c.Source.Name, Where: c.Where, Note: "the center's announced figures, as Counts shows them"})
		}
	}
	slices.Sort(entries)
	for _, i := range slices.Compact(entries) {
		e := Evidence{Kind: "log-entry", Source: v.log.src.Name, Index: &i, Checkpoint: v.log.rawText}
		data, proof, err := v.log.inclusion(ctx, i)
		e.Acta, e.Proof = string(data), proof
		if err != nil {
			// Without the entry and its proof, the finding is not one a
			// third party can recheck.
			e.Note = fmt.Sprintf("inclusion not proven: %v", err)
			f.Proven = false
		}
		f.Evidence = append(f.Evidence, e)
	}
	f.counts, f.same, f.entries = nil, nil, nil
}

// view shows a count's figures by name.
func (v *Verifier) view(station string, c Count) CountView {
	cv := CountView{Source: c.Source.Name, SourceKind: c.Source.Kind, Where: c.Where, Kind: string(c.Kind), Signed: c.Source.Signed(),
		Witnesses: c.Witnesses, Registered: c.Figures.Registered, Ballots: c.Figures.Ballots}
	if c.Primary != "" {
		cv.Primary = election.KeyID(c.Primary)
	}
	if c.Source.Kind == KindLog || c.Source.Kind == KindAnnounced {
		i := c.Index
		cv.Index = &i
		if c.Source.Kind == KindLog {
			cv.Where = fmt.Sprintf("log entry %d", i)
		}
	}
	st := v.def.Station(station)
	if st == nil {
		return cv
	}
	ballot := v.def.Ballot(st)
	for i, ct := range ballot {
		cands, blank, null := c.Figures.Contest(ballot, i)
		cc := ContestCounts{Contest: ct.ID, Blank: blank, Null: null}
		for j, x := range ct.Candidates {
			cc.Candidates = append(cc.Candidates, CandidateCount{Candidate: x.ID, Votes: cands[j]})
		}
		cv.Contests = append(cv.Contests, cc)
	}
	return cv
}

// clipList lists ids, the first n of them and how many more.
func clipList(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, " ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:n], " "), len(ids)-n)
}
