package report

import (
	"bytes"
	"embed"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/verify"
	"github.com/triplicate-vote/triplicate/internal/web/findings"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// reportPageSize is how many findings a page of the list shows.
const reportPageSize = 100

// reportFirst is how many discrepancies the report's first page lists.
const reportFirst = 50

//go:embed templates
var templateFS embed.FS

// Pages serves a verifier's report as pages, discrepancies first:
//
//	GET /                 the verdict, each contest's outcome, the first discrepancies, the checks, what could not be checked
//	GET /findings         every finding, a page at a time (?check=C&page=N)
//	GET /stations/{id}    one station's findings: each source's figures side by side, and the evidence
//	GET /stations?q=ID    a station by its id
//	GET /report.json      the evidence bundle
//	GET /report.html      the self-contained page, for offline reading
//	GET /assets/...       the pages' style
type Pages struct {
	r         *verify.Report
	pages     *page.Templates
	byStation map[string][]int // findings of each station, in the report's order
	names     names
	json      []byte
	html      []byte
	mux       *http.ServeMux
}

// NewPages prepares a report's pages: it indexes the findings by station
// and renders the downloads once.
func NewPages(r *verify.Report) (*Pages, error) {
	p := &Pages{r: r, byStation: map[string][]int{}, names: namesOf(r),
		pages: page.Parse(page.Config{
			FS:     templateFS,
			Pages:  []string{"index.html", "findings.html", "station.html"},
			Shared: []string{"list.html", "finding.html"},
			Funcs: template.FuncMap{"part": newPart,
				"checkName": func(p *page.Page, c verify.Check) string { return findings.Name(p.Lang, c) },
				"summary":   func(p *page.Page, f verify.Finding) string { return findings.Summary(p.Lang, f) }},
			Catalog: spanish,
		})}
	for i, f := range r.Findings {
		if f.Station != "" {
			p.byStation[f.Station] = append(p.byStation[f.Station], i)
		}
	}
	var err error
	if p.json, err = json.MarshalIndent(r, "", "  "); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r); err != nil {
		return nil, err
	}
	p.html = buf.Bytes()
	p.routes()
	return p, nil
}

func (p *Pages) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.mux.ServeHTTP(w, r) }

func (p *Pages) routes() {
	mux := http.NewServeMux()
	p.mux = mux
	mux.Handle("GET /assets/", page.Assets())
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
			p.pages.Fail(w, r, http.StatusMethodNotAllowed, "these pages are read only: %s is not allowed", r.Method)
			return
		}
		p.pages.Fail(w, r, http.StatusNotFound, "the report has no page %s", page.Clip(r.URL.Path, 60))
	})
}

// reportIndex is the first page.
type reportIndex struct {
	R        *verify.Report
	Unread   int // sources that could not be read at all
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
	// Under a rule other than plurality with one seat: the outcomes
	// and the margin in words (AnnouncedSays nil if nothing was announced).
	AnnouncedSays, CorrectedSays, MarginSays *page.Message
}

// TiedText and AnnouncedTiedText name the candidates of a tie, "A, B".
func (o reportOutcome) TiedText() string          { return strings.Join(o.Tied, ", ") }
func (o reportOutcome) AnnouncedTiedText() string { return strings.Join(o.AnnouncedTied, ", ") }

type reportOutcomeRow struct {
	Name                 string
	Announced, Corrected int64
	Diff                 int64
}

func (p *Pages) serveIndex(w http.ResponseWriter, r *http.Request) {
	d := &reportIndex{R: p.r, Unread: len(p.r.Unread())}
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
		if o.UnderRule() {
			ro.CorrectedSays, ro.MarginSays = sayOutcome(o.CorrectedOutcome), sayMargin(&o)
			if o.AnnouncedOutcome != nil {
				ro.AnnouncedSays = sayOutcome(o.AnnouncedOutcome)
			}
		}
		for _, c := range o.Candidates {
			ro.Rows = append(ro.Rows, reportOutcomeRow{c.Name, c.Announced, c.Corrected, c.Corrected - c.Announced})
		}
		d.Outcomes = append(d.Outcomes, ro)
	}
	p.pages.Render(w, r, http.StatusOK, "index.html", "Verification report", d)
}

// findings returns the findings at indices (all if nil) from..to.
func (p *Pages) findings(indices []int, from, to int) []reportFinding {
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
	Simulated  bool // the report is of a simulated election
}

func (p *Pages) serveFindings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	check := verify.Check(q.Get("check"))
	var indices []int
	total := len(p.r.Findings)
	if check != "" {
		if !slices.Contains(verify.Checks, check) && p.r.ByCheck[check] == 0 {
			p.pages.Fail(w, r, http.StatusBadRequest, "there is no check %q", page.Clip(string(check), 60))
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
	at := 1 // the page asked for
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > pages {
			p.pages.Fail(w, r, http.StatusBadRequest, "page %q is not a page of 1 to %d", page.Clip(s, 60), pages)
			return
		}
		at = n
	}
	d := &reportList{Check: check, Page: at, Of: pages, Total: total, Simulated: p.r.Simulated,
		Findings: p.findings(indices, (at-1)*reportPageSize, at*reportPageSize)}
	link := func(n int) string {
		v := url.Values{}
		if check != "" {
			v.Set("check", string(check))
		}
		v.Set("page", strconv.Itoa(n))
		return "/findings?" + v.Encode()
	}
	if at > 1 {
		d.Prev = link(at - 1)
	}
	if at < pages {
		d.Next = link(at + 1)
	}
	p.pages.Render(w, r, http.StatusOK, "findings.html", "Findings", d)
}

func (p *Pages) serveSearch(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimSpace(r.URL.Query().Get("q"))
	if id == "" || len(id) > 200 {
		p.pages.Fail(w, r, http.StatusBadRequest, "give a station's id, of at most 200 characters")
		return
	}
	http.Redirect(w, r, "/stations/"+url.PathEscape(id), http.StatusSeeOther)
}

// reportStation is one station's page.
type reportStation struct {
	Station   string
	Simulated bool // the report is of a simulated election
	Findings  []reportStationFinding
}

type reportStationFinding struct {
	reportFinding
	Table    *countTable
	Evidence []evidenceView
}

func (p *Pages) serveStation(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	indices := p.byStation[id]
	if indices == nil {
		// A station with no finding agrees (or the report does not know it):
		// say which, without claiming more than the report does.
		p.pages.Render(w, r, http.StatusNotFound, "station.html", "Station", &reportStation{Station: id, Simulated: p.r.Simulated})
		return
	}
	d := &reportStation{Station: id, Simulated: p.r.Simulated}
	for _, f := range p.findings(indices, 0, len(indices)) {
		d.Findings = append(d.Findings, reportStationFinding{reportFinding: f,
			Table: newCountTable(f.Counts, p.names), Evidence: evidenceViews(f.Evidence)})
	}
	p.pages.Render(w, r, http.StatusOK, "station.html", "Station", d)
}
