package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/verify"
)

// English names of the report's kinds of sources and evidence, which the
// pages translate like any message.
var (
	sourceKinds = map[verify.SourceKind]string{
		verify.KindLog:       "the center's log",
		verify.KindCopy:      "signed copies",
		verify.KindAnnounced: "the center's announcement",
		verify.KindUnsigned:  "unsigned figures",
	}
	evidenceKinds = map[string]string{
		"acta":       "Signed acta",
		"log-entry":  "Entry of the log",
		"checkpoint": "Checkpoint of the log",
		"announced":  "The center's announcement",
	}
)

// label is the English name of a kind, or the kind itself.
func label[K ~string](names map[K]string, k K) string {
	if s, ok := names[k]; ok {
		return s
	}
	return string(k)
}

// reportPageSize is how many findings a page of the list shows.
const reportPageSize = 100

// reportFirst is how many discrepancies the report's first page lists.
const reportFirst = 50

// ReportPages serves a verifier's report as pages, discrepancies first:
//
//	GET /                 the verdict, each contest's outcome, the first discrepancies, the checks, what could not be checked
//	GET /findings         every finding, a page at a time (?check=C&page=N)
//	GET /stations/{id}    one station's findings: each source's figures side by side, and the evidence
//	GET /stations?q=ID    a station by its id
//	GET /report.json      the evidence bundle
//	GET /report.html      the self-contained page, for offline reading
//	GET /assets/...       the pages' style
type ReportPages struct {
	r         *verify.Report
	pages     *templates
	byStation map[string][]int // findings of each station, in the report's order
	names     map[string]string
	json      []byte
	html      []byte
	mux       *http.ServeMux
}

// NewReportPages prepares a report's pages: it indexes the findings by
// station and renders the downloads once.
func NewReportPages(r *verify.Report) (*ReportPages, error) {
	p := &ReportPages{r: r, byStation: map[string][]int{}, names: map[string]string{},
		pages: parseTemplatesWith([]string{"report_list.html"}, "report_index.html", "report_findings.html", "report_station.html")}
	for i, f := range r.Findings {
		if f.Station != "" {
			p.byStation[f.Station] = append(p.byStation[f.Station], i)
		}
	}
	for _, o := range r.Outcomes {
		p.names[o.Contest] = o.Name
		for _, c := range o.Candidates {
			p.names[o.Contest+"/"+c.Candidate] = c.Name
		}
	}
	var err error
	if p.json, err = json.MarshalIndent(r, "", "  "); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := r.WriteHTML(&buf); err != nil {
		return nil, err
	}
	p.html = buf.Bytes()
	p.routes()
	return p, nil
}

func (p *ReportPages) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.mux.ServeHTTP(w, r) }

func (p *ReportPages) routes() {
	mux := http.NewServeMux()
	p.mux = mux
	mux.Handle("GET /assets/", Assets())
	mux.HandleFunc("GET /{$}", p.serveIndex)
	mux.HandleFunc("GET /findings", p.serveFindings)
	mux.HandleFunc("GET /stations", p.serveSearch)
	mux.HandleFunc("GET /stations/{id}", p.serveStation)
	mux.HandleFunc("GET /report.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Disposition", `attachment; filename="report.json"`)
		w.Write(p.json)
	})
	mux.HandleFunc("GET /report.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		w.Write(p.html)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			p.pages.fail(w, r, http.StatusMethodNotAllowed, "these pages are read only: %s is not allowed", r.Method)
			return
		}
		p.pages.fail(w, r, http.StatusNotFound, "the report has no page %s", clip(r.URL.Path, 60))
	})
}

// reportIndex is the first page.
type reportIndex struct {
	R        *verify.Report
	Sources  []reportSource
	Proven   int
	Findings []reportFinding // the first
	More     int
	Checks   []reportCheck
	Outcomes []reportOutcome
}

type reportSource struct {
	*verify.Source
	Label string
}

type reportCheck struct {
	Check       verify.Check
	Description string
	N           int
}

type reportFinding struct {
	N int // 1-based, in the report's order
	verify.Finding
}

type reportOutcome struct {
	verify.Outcome
	Rows []reportOutcomeRow
}

type reportOutcomeRow struct {
	Name                 string
	Announced, Corrected int64
	Diff                 int64
}

func (p *ReportPages) serveIndex(w http.ResponseWriter, r *http.Request) {
	d := &reportIndex{R: p.r}
	for _, f := range p.r.Findings {
		if f.Proven {
			d.Proven++
		}
	}
	d.Findings = p.findings(nil, 0, reportFirst)
	d.More = len(p.r.Findings) - len(d.Findings)
	for _, s := range p.r.Sources {
		if s != nil {
			d.Sources = append(d.Sources, reportSource{s, label(sourceKinds, s.Kind)})
		}
	}
	for _, c := range verify.Checks {
		d.Checks = append(d.Checks, reportCheck{c, c.Description(), p.r.ByCheck[c]})
	}
	for _, o := range p.r.Outcomes {
		ro := reportOutcome{Outcome: o}
		for _, c := range o.Candidates {
			ro.Rows = append(ro.Rows, reportOutcomeRow{c.Name, c.Announced, c.Corrected, c.Corrected - c.Announced})
		}
		d.Outcomes = append(d.Outcomes, ro)
	}
	p.pages.render(w, r, http.StatusOK, "report_index.html", "Verification report", d)
}

// findings returns the findings at indices (all if nil) from..to.
func (p *ReportPages) findings(indices []int, from, to int) []reportFinding {
	var out []reportFinding
	if indices == nil {
		for i := from; i < min(to, len(p.r.Findings)); i++ {
			out = append(out, reportFinding{i + 1, p.r.Findings[i]})
		}
		return out
	}
	for _, i := range indices[min(from, len(indices)):min(to, len(indices))] {
		out = append(out, reportFinding{i + 1, p.r.Findings[i]})
	}
	return out
}

// reportList is a page of the findings.
type reportList struct {
	Check      verify.Check // "" for every check
	Findings   []reportFinding
	Page, Of   int
	Total      int
	Prev, Next string
}

func (p *ReportPages) serveFindings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	check := verify.Check(q.Get("check"))
	var indices []int
	total := len(p.r.Findings)
	if check != "" {
		if !slices.Contains(verify.Checks, check) && p.r.ByCheck[check] == 0 {
			p.pages.fail(w, r, http.StatusBadRequest, "there is no check %q", clip(string(check), 60))
			return
		}
		indices = []int{}
		for i, f := range p.r.Findings {
			if f.Check == check {
				indices = append(indices, i)
			}
		}
		total = len(indices)
	}
	pages := max(1, (total+reportPageSize-1)/reportPageSize)
	page := 1
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > pages {
			p.pages.fail(w, r, http.StatusBadRequest, "page %q is not a page of 1 to %d", clip(s, 60), pages)
			return
		}
		page = n
	}
	d := &reportList{Check: check, Page: page, Of: pages, Total: total,
		Findings: p.findings(indices, (page-1)*reportPageSize, page*reportPageSize)}
	link := func(n int) string {
		v := url.Values{}
		if check != "" {
			v.Set("check", string(check))
		}
		v.Set("page", strconv.Itoa(n))
		return "/findings?" + v.Encode()
	}
	if page > 1 {
		d.Prev = link(page - 1)
	}
	if page < pages {
		d.Next = link(page + 1)
	}
	p.pages.render(w, r, http.StatusOK, "report_findings.html", "Findings", d)
}

func (p *ReportPages) serveSearch(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimSpace(r.URL.Query().Get("q"))
	if id == "" || len(id) > 200 {
		p.pages.fail(w, r, http.StatusBadRequest, "give a station's id, of at most 200 characters")
		return
	}
	http.Redirect(w, r, "/stations/"+url.PathEscape(id), http.StatusSeeOther)
}

// reportStation is one station's page.
type reportStation struct {
	Station  string
	Findings []reportStationFinding
}

type reportStationFinding struct {
	reportFinding
	Table    *countTable
	Evidence []reportEvidence
}

type reportEvidence struct {
	verify.Evidence
	Label string
}

func (p *ReportPages) serveStation(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	indices := p.byStation[id]
	if indices == nil {
		// A station with no finding agrees (or the report does not know it):
		// say which, without claiming more than the report does.
		p.pages.render(w, r, http.StatusNotFound, "report_station.html", "Station", &reportStation{Station: id})
		return
	}
	d := &reportStation{Station: id}
	for _, f := range p.findings(indices, 0, len(indices)) {
		sf := reportStationFinding{reportFinding: f, Table: p.countTable(f.Counts)}
		for _, e := range f.Evidence {
			sf.Evidence = append(sf.Evidence, reportEvidence{e, label(evidenceKinds, e.Kind)})
		}
		d.Findings = append(d.Findings, sf)
	}
	p.pages.render(w, r, http.StatusOK, "report_station.html", "Station", d)
}

// countTable lays out each source's figures of a station side by side, a
// column a source, marking the rows where they differ.
type countTable struct {
	Sources []countHead
	Rows    []countRow
}

type countHead struct {
	verify.CountView
	Label string // of its kind of source
}

// Span is how many columns the table has.
func (t *countTable) Span() int { return len(t.Sources) + 1 }

type countRow struct {
	Group   string // a contest's heading; the rest is empty
	Label   string
	Cells   []string
	Differs bool
}

func (p *ReportPages) countTable(counts []verify.CountView) *countTable {
	if len(counts) == 0 {
		return nil
	}
	t := &countTable{}
	for _, c := range counts {
		t.Sources = append(t.Sources, countHead{c, label(sourceKinds, c.SourceKind)})
	}
	row := func(label string, get func(c verify.CountView) (int32, bool)) {
		cr := countRow{Label: label}
		var first int32
		seen := false
		for _, c := range counts {
			v, ok := get(c)
			if !ok || v < 0 {
				cr.Cells = append(cr.Cells, "–")
				continue
			}
			cr.Cells = append(cr.Cells, strconv.Itoa(int(v)))
			if seen && v != first {
				cr.Differs = true
			}
			if !seen {
				first, seen = v, true
			}
		}
		t.Rows = append(t.Rows, cr)
	}
	row("Registered voters", func(c verify.CountView) (int32, bool) { return c.Registered, true })
	row("Ballots", func(c verify.CountView) (int32, bool) { return c.Ballots, true })
	var contests []string
	for _, c := range counts {
		for _, cc := range c.Contests {
			if !slices.Contains(contests, cc.Contest) {
				contests = append(contests, cc.Contest)
			}
		}
	}
	for _, contest := range contests {
		t.Rows = append(t.Rows, countRow{Group: p.name(contest, "")})
		contestOf := func(c verify.CountView) *verify.ContestCounts {
			for i := range c.Contests {
				if c.Contests[i].Contest == contest {
					return &c.Contests[i]
				}
			}
			return nil
		}
		var candidates []string
		for _, c := range counts {
			if cc := contestOf(c); cc != nil {
				for _, x := range cc.Candidates {
					if !slices.Contains(candidates, x.Candidate) {
						candidates = append(candidates, x.Candidate)
					}
				}
			}
		}
		for _, cand := range candidates {
			row(p.name(contest, cand), func(c verify.CountView) (int32, bool) {
				if cc := contestOf(c); cc != nil {
					for _, x := range cc.Candidates {
						if x.Candidate == cand {
							return x.Votes, true
						}
					}
				}
				return 0, false
			})
		}
		row("Blank", func(c verify.CountView) (int32, bool) {
			cc := contestOf(c)
			return field(cc, func(cc *verify.ContestCounts) int32 { return cc.Blank })
		})
		row("Null", func(c verify.CountView) (int32, bool) {
			cc := contestOf(c)
			return field(cc, func(cc *verify.ContestCounts) int32 { return cc.Null })
		})
	}
	return t
}

func field(cc *verify.ContestCounts, get func(*verify.ContestCounts) int32) (int32, bool) {
	if cc == nil {
		return 0, false
	}
	return get(cc), true
}

// name is a contest's or candidate's name as the report's outcomes give it,
// with its id.
func (p *ReportPages) name(contest, candidate string) string {
	key := contest
	if candidate != "" {
		key += "/" + candidate
	}
	if n := p.names[key]; n != "" && n != key && n != candidate {
		if candidate != "" {
			return fmt.Sprintf("%s (%s)", n, candidate)
		}
		return fmt.Sprintf("%s (%s)", n, contest)
	}
	if candidate != "" {
		return candidate
	}
	return contest
}
