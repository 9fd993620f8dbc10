package report

import (
	"cmp"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/triplicate-vote/triplicate/internal/forensics"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// The HTML report renders at most htmlFullFindings findings in full, then
// lists the rest compactly up to htmlListedFindings in all; the JSON bundle
// has every one.
const (
	htmlFullFindings   = 2000
	htmlListedFindings = 20000
	htmlListedProblems = 20000
	htmlDecisiveShown  = 1000
)

// oneFile is the one-file report's template, with the parts of a finding
// that the station pages show alike.
var oneFile = template.Must(template.New("onefile.html").Funcs(template.FuncMap{
	"plural":  plural,
	"percent": func(x float64) string { return strconv.FormatFloat(100*x, 'g', -1, 64) + "%" },
	"part":    newPart,
	"stations": func(ids []string, total int) string {
		const n = 50
		if total <= n && len(ids) == total {
			return strings.Join(ids, " ")
		}
		shown := ids[:min(n, len(ids))]
		return fmt.Sprintf("%s and %d more", strings.Join(shown, " "), total-len(shown))
	},
}).ParseFS(templateFS, "templates/onefile.html", "templates/finding.html"))

// WriteHTML writes a report as one self-contained HTML page, in English: no
// script, style sheet, font or image from anywhere else (inline CSS, inline
// SVG charts), so it can be mailed, archived and opened offline. The served
// pages offer it for download.
//
// Forensics, if any, add a section of their screens of the same figures,
// each [forensics.Report.WriteHTML] with its inline SVG fingerprints.
func WriteHTML(w io.Writer, r *verify.Report, forensics ...*forensics.Report) error {
	p := newHTMLPage(r)
	for _, f := range forensics {
		var b strings.Builder
		if err := f.WriteHTML(&b, htmlOutliers); err != nil {
			return err
		}
		p.Forensics = append(p.Forensics, template.HTML(b.String()))
	}
	return oneFile.Execute(w, p)
}

// htmlOutliers is how many outliers a forensics section lists.
const htmlOutliers = 20

// htmlPage is what the template shows: the report, laid out.
type htmlPage struct {
	Title        string
	Election     string
	Verdict      string
	VerdictClass string // "bad" (findings), "warn" (problems only), "ok"
	Simulated    bool   // the report is of a simulated election
	Unchecked    string // "K things could not be checked", or ""
	Flips        []htmlFlip

	Outcomes []htmlOutcome

	Stations, Agreeing, Differing, Uncounted int
	ByCheck                                  []htmlCheck
	Sources                                  []htmlSource
	Log                                      *htmlLog

	Findings     []htmlFinding
	NotFull      int // findings not shown in full
	Rest         []htmlRestRow
	NotListed    int // findings not even listed
	Problems     []verify.Problem
	MoreProblems int
	Warnings     []verify.Problem
	Audits       []*verify.AuditSummary
	Pairs        []verify.PairSummary
	Precedence   string
	// Forensics are the sections of the forensics screens (one a contest),
	// written by internal/forensics, which escapes what it writes.
	Forensics []template.HTML
}

// T is the one-file report's translation: it is in English.
func (*htmlPage) T(msg string) string { return msg }

type htmlFlip struct {
	Anchor, Contest, Announced, Corrected string
	Rule                                  bool // Announced and Corrected are outcomes under a rule, in words
}

type htmlOutcome struct {
	Anchor        string
	Contest, Name string
	Announced     bool   // there are announced figures
	AnnouncedFrom string // what they are
	Rows          []htmlTotal
	Totals        htmlTotal

	AnnouncedWinner, CorrectedWinner, RunnerUp string
	AnnouncedMargin, CorrectedMargin           int64
	AnnouncedTied, Tied                        string // "A, B" when a tie, else ""
	Flips                                      bool
	EvidenceText                               string
	FromText                                   string // the sources each station's figures were taken from

	Missing           int
	Undecided         int
	Incomplete        int // stations no count of which gives every candidate's votes
	MissingRegistered int64
	Decided           bool

	Decisive     []htmlLink
	DecisiveMore int
	DecisiveN    int
	Why          string

	// Under a rule other than plurality with one seat (else Rule is
	// empty): the rule, the outcomes in words, the margin.
	Rule                         string
	RuleAnnounced, RuleCorrected string
	RuleMargin                   string

	Chart htmlChart
}

type htmlTotal struct {
	Label, ID            string
	Announced, Corrected int64
	Diff                 string // corrected − announced, signed; "0" if equal
	Differs              bool
}

type htmlLink struct {
	Text, Anchor string // Anchor "" if nothing to link to
}

// htmlChart is an inline SVG of horizontal bars.
type htmlChart struct {
	ID            string
	Width, Height int
	LabelX        int
	Announced     bool
	Legend        []htmlLegend
	Rows          []htmlBarRow
	Label         string // for screen readers
}

type htmlLegend struct {
	X, TextX int
	Text     string
	Hatch    bool
}

type htmlBarRow struct {
	Label  string
	LabelY int
	Bars   []htmlBar
}

type htmlBar struct {
	Class        string // "announced", "corrected"
	X, Y, W, H   int
	Text         string
	TextX, TextY int
}

type htmlCheck struct {
	Check       verify.Check
	Description string
	N           int
	Anchor      string // the first finding of the check shown in full, or ""
}

type htmlSource struct {
	Name     string
	Kind     verify.SourceKind
	Signed   bool
	Counts   int
	Stations int
	About    string // who published it, where, its layout
}

type htmlLog struct {
	Source, Origin, Checkpoint string
	Size                       uint64
	Witnessed, Complete        bool
}

type htmlFinding struct {
	N           int
	Anchor      string // id of the section, or ""
	CheckAnchor string // id of the heading, or ""
	Check       verify.Check
	Station     string
	Proven      bool
	Summary     string
	Table       *countTable
	Evidence    []evidenceView
}

type htmlRestRow struct {
	N       int
	Station string
	Anchor  string
	Check   verify.Check
	Proven  bool
	Summary string
}

func newHTMLPage(r *verify.Report) *htmlPage {
	p := &htmlPage{Election: r.Election, Stations: r.Stations, Agreeing: r.Agreeing, Differing: r.Differing, Uncounted: r.Uncounted}
	p.Title = r.Name
	if p.Title == "" {
		p.Title = r.Election
	}

	proven := 0
	for _, f := range r.Findings {
		if f.Proven {
			proven++
		}
	}
	switch n := len(r.Findings); {
	case n > 0:
		p.Verdict = fmt.Sprintf("%s found, %d proven by signed evidence", plural(n, "discrepancy", "discrepancies"), proven)
		p.VerdictClass = "bad"
	case len(r.Unread()) > 0:
		p.Verdict = fmt.Sprintf("Not verified: %s could not be read, and nothing is claimed from what could not be read", plural(len(r.Unread()), "source", "sources"))
		p.VerdictClass = "warn"
	case r.Unchecked() > 0:
		p.Verdict = "No discrepancy among what could be checked"
		p.VerdictClass = "warn"
	default:
		p.Verdict = "No discrepancy: every count agrees"
		p.VerdictClass = "ok"
	}
	p.Simulated = r.Simulated
	if n := r.Unchecked(); n > 0 {
		p.Unchecked = plural(n, "thing", "things") + " could not be checked"
	}

	// The findings shown in full, and their anchors.
	anchors := map[string]string{} // station → anchor
	checkAnchors := map[verify.Check]string{}
	full := min(len(r.Findings), htmlFullFindings)
	for i := range full {
		f := &r.Findings[i]
		hf := htmlFinding{N: i + 1, Check: f.Check, Station: f.Station, Proven: f.Proven, Summary: f.Summary,
			Table: newCountTable(f.Counts, nil), Evidence: evidenceViews(f.Evidence)}
		if f.Station != "" {
			if _, ok := anchors[f.Station]; !ok {
				hf.Anchor = stationAnchor(f.Station)
				anchors[f.Station] = hf.Anchor
			}
		}
		if _, ok := checkAnchors[f.Check]; !ok {
			hf.CheckAnchor = "check-" + anchorSafe(string(f.Check))
			checkAnchors[f.Check] = hf.CheckAnchor
		}
		p.Findings = append(p.Findings, hf)
	}
	p.NotFull = len(r.Findings) - full
	listed := min(len(r.Findings), htmlListedFindings)
	for i := full; i < listed; i++ {
		f := &r.Findings[i]
		p.Rest = append(p.Rest, htmlRestRow{N: i + 1, Station: f.Station, Anchor: anchors[f.Station], Check: f.Check, Proven: f.Proven, Summary: f.Summary})
	}
	p.NotListed = len(r.Findings) - listed

	for _, o := range r.Outcomes {
		ho := outcomeView(o, anchors)
		p.Outcomes = append(p.Outcomes, ho)
		switch {
		case o.Flips && ho.Rule != "":
			p.Flips = append(p.Flips, htmlFlip{Anchor: ho.Anchor, Contest: ho.Name, Announced: ho.RuleAnnounced, Corrected: ho.RuleCorrected, Rule: true})
		case o.Flips:
			p.Flips = append(p.Flips, htmlFlip{Anchor: ho.Anchor, Contest: ho.Name, Announced: cmp.Or(ho.AnnouncedWinner, "a tie of "+ho.AnnouncedTied), Corrected: cmp.Or(ho.CorrectedWinner, "a tie of "+ho.Tied)})
		}
	}

	for _, c := range verify.Checks {
		p.ByCheck = append(p.ByCheck, htmlCheck{Check: c, Description: c.Description(), N: r.ByCheck[c], Anchor: checkAnchors[c]})
	}
	// Checks this page does not know of, should there be any.
	var other []verify.Check
	for c, n := range r.ByCheck {
		if n > 0 && !slices.Contains(verify.Checks, c) {
			other = append(other, c)
		}
	}
	slices.Sort(other)
	for _, c := range other {
		p.ByCheck = append(p.ByCheck, htmlCheck{Check: c, N: r.ByCheck[c], Anchor: checkAnchors[c]})
	}

	for _, s := range r.Sources {
		if s != nil {
			p.Sources = append(p.Sources, htmlSource{Name: s.Name, Kind: s.Kind, Signed: s.Signed() || s.CenterSigned(), Counts: s.Counts, Stations: s.Stations, About: s.About()})
		}
	}
	if l := r.Log; l != nil {
		p.Log = &htmlLog{Source: l.Source, Origin: l.Origin, Checkpoint: validText(l.Checkpoint), Size: l.Size, Witnessed: l.Witnessed, Complete: l.Complete}
	}

	p.Pairs, p.Warnings = r.Pairs, r.Warnings
	if len(r.Precedence) > 1 && len(r.Sources) > 1 {
		p.Precedence = strings.Join(r.Precedence, " > ")
	}
	p.Problems = r.Problems[:min(len(r.Problems), htmlListedProblems)]
	p.MoreProblems = len(r.Problems) - len(p.Problems)
	p.Audits = r.Audits
	return p
}

func outcomeView(o verify.Outcome, anchors map[string]string) htmlOutcome {
	ho := htmlOutcome{Anchor: "contest-" + anchorSafe(o.Contest), Contest: o.Contest, Name: o.Name,
		Announced: o.AnnouncedFrom != "", AnnouncedMargin: o.AnnouncedMargin, CorrectedMargin: o.CorrectedMargin,
		Flips: o.Flips, Missing: o.Missing, Undecided: o.Undecided, Incomplete: o.Incomplete, MissingRegistered: o.MissingRegistered, Decided: o.Decided, Why: o.Why,
		DecisiveN: len(o.Decisive)}
	if ho.Name == "" {
		ho.Name = o.Contest
	}
	if o.UnderRule() {
		ho.Rule, ho.RuleCorrected = o.Rule, o.CorrectedOutcome.Says
		if o.AnnouncedOutcome != nil {
			ho.RuleAnnounced = o.AnnouncedOutcome.Says
		}
		switch {
		case o.RuleMargin < 0:
			ho.RuleMargin = "no change of figures within the registered voters alters it"
		case o.MarginOn != "":
			changes := "ballot changes (%.2f%% of the base) break"
			if o.RuleMargin == 1 {
				changes = "ballot change (%.2f%% of the base) breaks"
			}
			ho.RuleMargin = fmt.Sprintf("%d "+changes+" %q", o.RuleMargin, o.RuleMarginPct, o.MarginOn)
		}
	}
	switch o.AnnouncedFrom {
	case "totals":
		ho.AnnouncedFrom = "the totals the center announced"
	case "stations":
		ho.AnnouncedFrom = "the sum of the station figures the center announced"
	default:
		ho.AnnouncedFrom = o.AnnouncedFrom
	}
	names := map[string]string{}
	ho.Totals.Label = "total"
	for _, c := range o.Candidates {
		label := c.Name
		if label == "" {
			label = c.Candidate
		}
		names[c.Candidate] = label
		t := htmlTotal{Label: label, Announced: c.Announced, Corrected: c.Corrected}
		if c.Candidate != label {
			t.ID = c.Candidate
		}
		t.Diff, t.Differs = signedDiff(c.Corrected - c.Announced)
		ho.Rows = append(ho.Rows, t)
		ho.Totals.Announced += c.Announced
		ho.Totals.Corrected += c.Corrected
	}
	ho.Totals.Diff, ho.Totals.Differs = signedDiff(ho.Totals.Corrected - ho.Totals.Announced)
	name := func(id string) string {
		if n, ok := names[id]; ok && n != id {
			return n + " (" + id + ")"
		}
		return id
	}
	ho.AnnouncedWinner, ho.CorrectedWinner, ho.RunnerUp = name(o.AnnouncedWinner), name(o.CorrectedWinner), name(o.RunnerUp)
	names2 := func(ids []string) string {
		var out []string
		for _, id := range ids {
			out = append(out, name(id))
		}
		return strings.Join(out, ", ")
	}
	ho.AnnouncedTied, ho.Tied = names2(o.AnnouncedTied), names2(o.Tied)

	var kinds []string
	for _, k := range []string{"hand", "machine", "announced", "unsigned"} {
		if n := o.Evidence[k]; n > 0 {
			kinds = append(kinds, evidenceKind(k, n))
		}
	}
	var others []string
	for k, n := range o.Evidence {
		if n > 0 && !slices.Contains([]string{"hand", "machine", "announced", "unsigned"}, k) {
			others = append(others, k)
		}
	}
	slices.Sort(others)
	for _, k := range others {
		kinds = append(kinds, evidenceKind(k, o.Evidence[k]))
	}
	ho.EvidenceText = strings.Join(kinds, ", ")
	var from []string
	for name, n := range o.From {
		from = append(from, fmt.Sprintf("%s (%s)", name, plural(n, "station", "stations")))
	}
	slices.Sort(from)
	ho.FromText = strings.Join(from, ", ")

	for i, s := range o.Decisive {
		if i == htmlDecisiveShown {
			ho.DecisiveMore = len(o.Decisive) - i
			break
		}
		ho.Decisive = append(ho.Decisive, htmlLink{Text: s, Anchor: anchors[s]})
	}
	ho.Chart = outcomeChart(ho)
	return ho
}

func evidenceKind(k string, n int) string {
	switch k {
	case "hand":
		return plural(n, "signed hand count", "signed hand counts")
	case "machine":
		return plural(n, "signed machine acta", "signed machine actas")
	case "announced":
		return plural(n, "announced figure (unsigned)", "announced figures (unsigned)")
	case "unsigned":
		return plural(n, "unsigned count", "unsigned counts")
	}
	return fmt.Sprintf("%d %s", n, k)
}

// Chart geometry, in SVG user units (the SVG scales to the page's width).
const (
	chartWidth   = 760
	chartLabelW  = 220 // the candidates' names
	chartTextW   = 150 // the numbers after the bars
	chartBarH    = 20
	chartBarGap  = 3
	chartRowGap  = 16
	chartLegendH = 34
)

func outcomeChart(o htmlOutcome) htmlChart {
	ch := htmlChart{ID: "hatch-" + o.Anchor, Width: chartWidth, LabelX: chartLabelW - 10, Announced: o.Announced}
	ch.Label = "Votes per candidate"
	if o.Announced {
		ch.Label += ", announced and corrected"
		ch.Legend = []htmlLegend{{X: chartLabelW, TextX: chartLabelW + 36, Text: "announced"},
			{X: chartLabelW + 160, TextX: chartLabelW + 196, Text: "corrected (difference)", Hatch: true}}
	} else {
		ch.Legend = []htmlLegend{{X: chartLabelW, TextX: chartLabelW + 36, Text: "counted"}}
	}
	var rows []htmlTotal
	var largest int64
	for i, t := range o.Rows {
		// blank and null are the last two rows: skip them when zero
		if i >= len(o.Rows)-2 && t.Corrected == 0 && (!o.Announced || t.Announced == 0) {
			continue
		}
		rows = append(rows, t)
		largest = max(largest, t.Corrected)
		if o.Announced {
			largest = max(largest, t.Announced)
		}
	}
	barsMax := chartWidth - chartLabelW - chartTextW
	scale := func(v int64) int {
		if v <= 0 || largest <= 0 {
			return 0
		}
		return max(1, int(v*int64(barsMax)/largest))
	}
	y := chartLegendH
	bars := 1
	if o.Announced {
		bars = 2
	}
	rowH := bars*chartBarH + (bars-1)*chartBarGap
	for _, t := range rows {
		br := htmlBarRow{Label: truncate(t.Label, 24), LabelY: y + rowH/2 + 5}
		by := y
		if o.Announced {
			br.Bars = append(br.Bars, bar("announced", by, scale(t.Announced), strconv.FormatInt(t.Announced, 10)))
			by += chartBarH + chartBarGap
		}
		text := strconv.FormatInt(t.Corrected, 10)
		if o.Announced && t.Differs {
			text += " (" + t.Diff + ")"
		}
		br.Bars = append(br.Bars, bar("corrected", by, scale(t.Corrected), text))
		ch.Rows = append(ch.Rows, br)
		y += rowH + chartRowGap
	}
	ch.Height = y
	return ch
}

func bar(class string, y, w int, text string) htmlBar {
	return htmlBar{Class: class, X: chartLabelW, Y: y, W: w, H: chartBarH, Text: text,
		TextX: chartLabelW + w + 6, TextY: y + chartBarH/2 + 5}
}

func signedDiff(d int64) (string, bool) {
	switch {
	case d > 0:
		return "+" + strconv.FormatInt(d, 10), true
	case d < 0:
		return "−" + strconv.FormatInt(-d, 10), true
	}
	return "0", false
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// stationAnchor returns the id of a station's first finding.
func stationAnchor(station string) string { return "station-" + anchorSafe(station) }

// anchorSafe keeps letters, digits, '.' and '-', and writes any other byte
// as _XX, so that distinct names make distinct, valid ids.
func anchorSafe(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "_%02X", c)
		}
	}
	return b.String()
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
