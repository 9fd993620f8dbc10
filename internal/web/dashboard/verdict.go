package dashboard

import (
	"fmt"
	"slices"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// A station page opens with its verdict in plain words — what the
// evidence says about the figures the center publishes — and the sources
// of its figures side by side, the differing figures marked; the
// cryptographic detail comes after.

// verdictView is a station's verdict.
type verdictView struct {
	// State: "disputed" (a finding, or a hand count that differs),
	// "agrees" (the verifier's report has no finding), "unchecked" (no
	// report loaded), "unreported".
	State    string
	Findings []findingView
	// HandDiffers: the log's hand count differs from the machine's acta
	// and no finding of the report says so already.
	HandDiffers bool
	Sources     *sourcesTable // nil without figures to compare
}

type findingView struct {
	Check   verify.Check
	Proven  bool
	Parties string         // the parties who cosigned the machine's acta, for altered-at-center
	Finding verify.Finding // for its summary, in the page's language (package findings)
}

// checkWords is what each check found at a station, in plain words: the
// verdict's sentences.
var checkWords = map[verify.Check]string{
	verify.CheckAltered:      "The center publishes figures for this station that differ from the acta its machine signed.",
	verify.CheckEquivocation: "This station's machine key signed two different final actas: at most one of them is true, and the key was misused.",
	verify.CheckSubstitution: "The public log holds an acta of this station that its enrolled machine did not sign.",
	verify.CheckTotals:       "The center's announced totals are not the sum of the signed actas.",
	verify.CheckHandCount:    "The hand count of the paper vouchers differs from the acta the machine signed.",
	verify.CheckOmitted:      "The center left this station's signed acta out of the results it announces.",
	verify.CheckOutcome:      "The announced winner is not the winner of the corrected count.",
	verify.CheckReopened:     "The machine was opened again after the opening the witnesses saw.",
	verify.CheckImpossible:   "This station's figures cannot hold: more votes than voters, or votes that do not add up.",
	verify.CheckDuplicate:    "A source gives this station's figures twice.",
	verify.CheckMissing:      "No acta of this station is in the public log.",
	verify.CheckUnsigned:     "Unsigned figures from another source differ from the signed count.",
	verify.CheckInvalidEntry: "An entry of the public log for this station is not a valid acta.",
	verify.CheckAudit:        "The audit's hand count of this station does not confirm the reported figures.",
}

// Words is the check's sentence; a check this dashboard does not know
// (a newer verifier's) gets the general one.
func (f findingView) Words() string {
	if w, ok := checkWords[f.Check]; ok {
		return w
	}
	return "The verifier found a discrepancy at this station."
}

func (d *Dashboard) verdict(data *stationData) *verdictView {
	v := &verdictView{State: "unchecked"}
	disputed := data.Hand == "differs"
	for _, f := range data.Findings {
		disputed = disputed || isDispute(f)
	}
	switch {
	case disputed:
		v.State = "disputed"
	case !data.Reported:
		v.State = "unreported"
	case data.Report != nil:
		v.State = "agrees"
	}
	var counts []verify.CountView
	seen := map[string]bool{}
	for _, f := range data.Findings {
		fv := findingView{Check: f.Check, Proven: f.Proven, Finding: f}
		for _, c := range f.Counts {
			key := fmt.Sprint(c.Source, c.Kind, c.Index)
			if !seen[key] {
				seen[key] = true
				counts = append(counts, c)
			}
			if f.Check == verify.CheckAltered && c.SourceKind == verify.KindLog && c.Kind == "final" {
				fv.Parties = d.partyNames(c.Witnesses)
			}
		}
		v.Findings = append(v.Findings, fv)
	}
	v.HandDiffers = data.Hand == "differs" && !slices.ContainsFunc(v.Findings, func(f findingView) bool { return f.Check == verify.CheckHandCount })
	if len(counts) > 1 {
		v.Sources = newSourcesTable(d.def, counts)
	}
	return v
}

// partyNames lists parties, given by id, by name.
func (d *Dashboard) partyNames(ids []string) string {
	var names []string
	for _, id := range ids {
		if p := d.def.Party(id); p != nil {
			id = p.Name
		}
		names = append(names, id)
	}
	return strings.Join(names, ", ")
}

// sourcesTable is a station's figures from each source, side by side: a
// column a source, a row a figure. A figure that differs from the
// reference column's (the machine's signed acta, where there is one) is
// marked.
type sourcesTable struct {
	Columns []sourceColumn
	Rows    []sourceRow
	Differs bool
}

type sourceColumn struct {
	Label string // in plain words, translated: "Machine-signed acta (public log)"
	Name  string // the source's own name, as the report gives it
	Index *int64 // log entry
}

type sourceRow struct {
	Group   string // a contest's name: a heading row
	Label   string // "Ballots", "Blank", "Null" (translated) or a candidate's name
	Name    bool   // Label is a candidate's name, not a message
	Cells   []sourceCell
	Differs bool
}

type sourceCell struct {
	Value   int64 // -1 unknown
	Differs bool
}

// sourceLabel says what a source is, in plain words.
func sourceLabel(c verify.CountView) string {
	switch {
	case c.Kind == "hand":
		return "Hand count of the paper vouchers"
	case c.SourceKind == verify.KindLog:
		return "Acta signed by the machine (public log)"
	case c.SourceKind == verify.KindCopy:
		return "Signed copy held by a party"
	case c.SourceKind == verify.KindAnnounced:
		return "Announced by the center"
	case c.SourceKind == verify.KindUnsigned:
		return "Observers' figures (unsigned)"
	}
	return "Another source"
}

func newSourcesTable(def *election.Definition, counts []verify.CountView) *sourcesTable {
	t := &sourcesTable{}
	ref := 0
	for i, c := range counts {
		t.Columns = append(t.Columns, sourceColumn{Label: sourceLabel(c), Name: c.Source, Index: c.Index})
		if c.SourceKind == verify.KindLog && c.Kind == "final" {
			ref = i
		}
	}
	row := func(label string, name bool, get func(c verify.CountView) int64) {
		r := sourceRow{Label: label, Name: name}
		for _, c := range counts {
			r.Cells = append(r.Cells, sourceCell{Value: get(c)})
		}
		want := r.Cells[ref].Value
		for i := range r.Cells {
			if v := r.Cells[i].Value; v >= 0 && want >= 0 && v != want {
				r.Cells[i].Differs, r.Differs, t.Differs = true, true, true
			}
		}
		if r.Differs {
			r.Cells[ref].Differs = true
		}
		t.Rows = append(t.Rows, r)
	}
	row("Ballots", false, func(c verify.CountView) int64 { return int64(c.Ballots) })
	// The contests in the order the first source gives them.
	for _, cc := range counts[0].Contests {
		dc := def.Contest(cc.Contest)
		if dc == nil {
			continue
		}
		t.Rows = append(t.Rows, sourceRow{Group: dc.Name})
		find := func(c verify.CountView) *verify.ContestCounts {
			for i := range c.Contests {
				if c.Contests[i].Contest == cc.Contest {
					return &c.Contests[i]
				}
			}
			return nil
		}
		for _, cand := range dc.Candidates {
			row(cand.Name, true, func(c verify.CountView) int64 {
				if x := find(c); x != nil {
					for _, v := range x.Candidates {
						if v.Candidate == cand.ID {
							return int64(v.Votes)
						}
					}
				}
				return -1
			})
		}
		row("Blank", false, func(c verify.CountView) int64 {
			if x := find(c); x != nil {
				return int64(x.Blank)
			}
			return -1
		})
		row("Null", false, func(c verify.CountView) int64 {
			if x := find(c); x != nil {
				return int64(x.Null)
			}
			return -1
		})
	}
	return t
}
