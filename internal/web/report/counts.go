package report

import (
	"slices"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/tally"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// countTable lays out a finding's counts side by side, a column a count
// and a row a figure, with the figures that differ between the columns
// marked (oddValues). The one-file report and the station pages show it
// alike, with the template "counts" (templates/finding.html).
type countTable struct {
	Span    int // columns in all
	Heads   []headRow
	Rows    []countRow
	Differs bool
}

type headRow struct {
	Label string // English, translated on the page
	Cells []headCell
}

type headCell struct {
	Text      string
	Translate bool // Text is English, to translate on the page
}

type countRow struct {
	Group     string // a contest heading row: the other fields are empty
	Label     string
	Translate bool // Label is English, to translate on the page
	Differs   bool
	Cells     []countCell
}

type countCell struct {
	Text    string
	Differs bool // differs from the figure of the other columns
	Absent  bool // the column gives no such figure
}

// English names of the report's kinds of sources and of counts, which the
// pages translate like any message.
var (
	sourceKinds = map[verify.SourceKind]string{
		verify.KindLog:       "the center's log",
		verify.KindCopy:      "signed copies",
		verify.KindAnnounced: "the center's announcement",
		verify.KindUnsigned:  "unsigned figures",
	}
	countKinds = map[string]string{
		"final": "final acta",
		"zero":  "zero tape",
		"hand":  "hand count",
	}
)

// label is the English name of a kind, or the kind itself.
func label[K ~string](names map[K]string, k K) string {
	if s, ok := names[k]; ok {
		return s
	}
	return string(k)
}

// names names a report's contests and candidates, as its outcomes do.
type names map[string]string

func namesOf(r *verify.Report) names {
	n := names{}
	for _, o := range r.Outcomes {
		n[o.Contest] = o.Name
		for _, c := range o.Candidates {
			n[o.Contest+"/"+c.Candidate] = c.Name
		}
	}
	return n
}

// name is a contest's or candidate's name with its id, or the id alone if
// the report does not name it (or n is nil).
func (n names) name(contest, candidate string) string {
	key, id := contest, contest
	if candidate != "" {
		key, id = contest+"/"+candidate, candidate
	}
	if s := n[key]; s != "" && s != key && s != id {
		return s + " (" + id + ")"
	}
	return id
}

// newCountTable lays out counts; n names the contests and candidates (nil
// for their ids).
func newCountTable(counts []verify.CountView, n names) *countTable {
	if len(counts) == 0 {
		return nil
	}
	t := &countTable{Span: len(counts) + 1}
	head := func(label string, cell func(c verify.CountView) headCell) {
		h := headRow{Label: label}
		shown := false
		for _, c := range counts {
			hc := cell(c)
			shown = shown || hc.Text != ""
			h.Cells = append(h.Cells, hc)
		}
		if shown {
			t.Heads = append(t.Heads, h)
		}
	}
	text := func(s string) headCell { return headCell{Text: s} }
	english := func(s string) headCell { return headCell{Text: s, Translate: true} }
	head("source", func(c verify.CountView) headCell { return text(c.Source) })
	head("kind", func(c verify.CountView) headCell { return english(label(sourceKinds, c.SourceKind)) })
	head("count", func(c verify.CountView) headCell { return english(label(countKinds, c.Kind)) })
	head("where", func(c verify.CountView) headCell { return text(c.Where) })
	head("signatures", func(c verify.CountView) headCell {
		if c.Signed {
			return english("signed")
		}
		return english("unsigned")
	})
	head("signed by", func(c verify.CountView) headCell { return text(c.Primary) })
	head("witnesses", func(c verify.CountView) headCell { return text(strings.Join(c.Witnesses, ", ")) })
	head("log index", func(c verify.CountView) headCell {
		if c.Index == nil {
			return text("")
		}
		return text(strconv.FormatInt(*c.Index, 10))
	})

	// The rows: the union of every column's figures, in order of appearance.
	type key struct{ contest, candidate string }
	var order []key
	values := make([]map[key]int32, len(counts))
	seen := map[key]bool{}
	add := func(col int, k key, v int32) {
		values[col][k] = v
		if !seen[k] {
			seen[k] = true
			order = append(order, k)
		}
	}
	for i, c := range counts {
		values[i] = map[key]int32{}
		add(i, key{"", "Registered voters"}, c.Registered)
		add(i, key{"", "Ballots"}, c.Ballots)
		for _, ct := range c.Contests {
			for _, cc := range ct.Candidates {
				add(i, key{ct.Contest, "candidate " + cc.Candidate}, cc.Votes)
			}
			add(i, key{ct.Contest, "Blank"}, ct.Blank)
			add(i, key{ct.Contest, "Null"}, ct.Null)
		}
	}
	// Group each contest's rows together, keeping first-seen order.
	var contests []string
	for _, k := range order {
		if k.contest != "" && !slices.Contains(contests, k.contest) {
			contests = append(contests, k.contest)
		}
	}
	grouped := make([]key, 0, len(order))
	for _, k := range order {
		if k.contest == "" {
			grouped = append(grouped, k)
		}
	}
	for _, ct := range contests {
		for _, k := range order {
			if k.contest == ct {
				grouped = append(grouped, k)
			}
		}
	}
	group := ""
	for _, k := range grouped {
		if k.contest != group {
			group = k.contest
			t.Rows = append(t.Rows, countRow{Group: n.name(group, "")})
		}
		row := countRow{Label: k.candidate, Translate: true}
		if cand, ok := strings.CutPrefix(k.candidate, "candidate "); ok {
			row = countRow{Label: n.name(k.contest, cand)}
		}
		var known []int32
		for i := range counts {
			v, ok := values[i][k]
			cell := countCell{Absent: !ok}
			switch {
			case !ok:
			case v == tally.Unknown:
				cell.Text = "—"
			default:
				cell.Text = strconv.FormatInt(int64(v), 10)
				known = append(known, v)
			}
			row.Cells = append(row.Cells, cell)
		}
		if odd := oddValues(known); odd != nil {
			row.Differs, t.Differs = true, true
			for i := range counts {
				if v, ok := values[i][k]; ok && v != tally.Unknown && odd[v] {
					row.Cells[i].Differs = true
				}
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// oddValues is the one rule by which a figure is marked as differing: it
// returns the values that differ from the rest, nil if all agree, every
// value but the most frequent if one is, and otherwise every value.
func oddValues(vs []int32) map[int32]bool {
	n := map[int32]int{}
	for _, v := range vs {
		n[v]++
	}
	if len(n) < 2 {
		return nil
	}
	var mode int32
	best, ties := 0, 0
	for v, c := range n {
		switch {
		case c > best:
			mode, best, ties = v, c, 1
		case c == best:
			ties++
		}
	}
	odd := map[int32]bool{}
	for v := range n {
		if ties > 1 || v != mode {
			odd[v] = true
		}
	}
	return odd
}
