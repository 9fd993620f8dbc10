package dashboard

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/triplicate-vote/triplicate/internal/boundaries"
	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/verify"
	"github.com/triplicate-vote/triplicate/internal/web/findings"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// Options tune the public results dashboard.
type Options struct {
	// Report is a verifier's JSON report (triplicate verify -json FILE),
	// read again whenever the file changes, and waited for while it does
	// not exist; its findings mark the stations they dispute on every
	// page. Empty for none.
	Report string
	// Boundaries, if the definition names them (boundaries.Read), are
	// drawn as a map of the areas on the home and area pages, in place of
	// the tiles.
	Boundaries *boundaries.Map
	// Poll is how often the home page refreshes its figures; default 3 s.
	Poll   time.Duration
	Logger *slog.Logger // default slog.Default()
}

// Dashboard is the public results dashboard of a center: the totals as
// actas arrive, the jurisdiction tree down to each station, a station's
// evidence (its actas as printed, their signatures, QR codes and PDF, log
// index and inclusion proof, hand counts and the verifier's findings), the
// log's checkpoint, and search. It serves:
//
//	GET /                                the election's totals, live
//	GET /live                            the totals' fragment the home page polls
//	GET /areas/{path...}                 a jurisdiction: totals, its areas or stations
//	GET /stations/{id}                   a station's evidence
//	GET /stations/{id}/{index}/{file}    a logged acta as acta.pdf, acta.txt or qr-N.png
//	GET /search?q=                       stations by id, areas by name
//	GET /disputes                        every station the verifier's report disputes
//	GET /data                            the open data: the bulk downloads, each with its SHA-256
//	GET /data/{file}                     stations.csv, stations.json, actas.tar.gz, report.json
//	GET /checkpoint                      the log's latest checkpoint and its cosignatures
//	GET /assets/...                      the pages' scripts and styles
//
// Pages are rendered from the center's running totals and from a tree and a
// search index built once, when the dashboard is made.
type Dashboard struct {
	c        *center.Center
	def      *election.Definition
	tree     *areaTree
	maps     map[string]*areaMap // by area path, those whose child areas have boundaries
	search   *searchIndex
	pages    *page.Templates
	report   *reportFile
	series   *series
	updated  updatedClock
	open     openData
	cache    *entryCache
	rendered *pageCache
	searched *pageCache // search pages, by query
	poll     time.Duration
	log      *slog.Logger
	mux      *http.ServeMux
}

// New returns the dashboard of a center.
func New(c *center.Center, o Options) *Dashboard {
	if o.Poll <= 0 {
		o.Poll = 3 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	def := c.Election()
	tree := newAreaTree(def)
	d := &Dashboard{
		c: c, def: def, tree: tree, search: newSearchIndex(def, tree), maps: newAreaMaps(tree, o.Boundaries),
		pages:    parseTemplates(def),
		report:   &reportFile{path: o.Report, def: def, log: o.Logger},
		series:   newSeries(def, o.Logger),
		cache:    newEntryCache(8192),
		rendered: newPageCache(defaultPageCacheBytes),
		searched: newPageCache(searchCacheBytes),
		poll:     o.Poll,
		log:      o.Logger,
		mux:      http.NewServeMux(),
	}
	// The chart's series follows the log for as long as the program runs.
	go d.series.follow(context.Background(), c.Ledger())
	d.mux.HandleFunc("GET /{$}", d.serveHome)
	d.mux.HandleFunc("GET /live", d.serveLive)
	d.mux.HandleFunc("GET /areas/{path...}", d.serveArea)
	d.mux.HandleFunc("GET /stations/{id}", d.serveStation)
	d.mux.HandleFunc("GET /stations/{id}/{index}/{file}", d.serveDownload)
	d.mux.HandleFunc("GET /search", d.serveSearch)
	d.mux.HandleFunc("GET /disputes", d.serveDisputes)
	d.mux.HandleFunc("GET /data", d.serveData)
	d.mux.HandleFunc("GET /data/{file}", d.serveDataFile)
	d.mux.HandleFunc("GET /checkpoint", d.serveCheckpoint)
	d.mux.Handle("GET /assets/", page.Assets())
	d.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			d.pages.Fail(w, r, http.StatusMethodNotAllowed, "the dashboard only shows pages: %s is not allowed", r.Method)
			return
		}
		d.pages.Fail(w, r, http.StatusNotFound, "there is no page at %s", r.URL.Path)
	})
	return d
}

func (d *Dashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) { d.mux.ServeHTTP(w, r) }

//go:embed templates
var templateFS embed.FS

// parseTemplates parses the dashboard's pages, each with parts.html, the
// parts they share (the head, the search box, the totals), for an
// election: its pages give times in its time zone.
func parseTemplates(def *election.Definition) *page.Templates {
	return page.Parse(page.Config{
		FS:     templateFS,
		Pages:  []string{"home.html", "area.html", "station.html", "search.html", "checkpoint.html", "disputes.html", "data.html"},
		Shared: []string{"parts.html"},
		Funcs: template.FuncMap{
			"searchText": searchText,
			"levelName":  levelName,
			"join":       joinNames,
			"localTime":  timeIn(def.TimeZone),
			"inc":        func(n int) int { return n + 1 },
			"mod":        func(n, m int) int { return n % m },
			"checkWords": func(c verify.Check) string { return findingView{Check: c}.Words() },
			"checkName":  func(p *page.Page, c verify.Check) string { return findings.Name(p.Lang, c) },
			"summary":    func(p *page.Page, f verify.Finding) string { return findings.Summary(p.Lang, f) },
			"pair":       func(p *page.Page, v any) pagePair { return pagePair{p, v} },
		},
		Catalog: spanish,
	})
}

// searchText is the search box's text: the query on the search page.
func searchText(p *page.Page) string {
	if d, ok := p.Data.(*searchData); ok {
		return d.Query
	}
	return ""
}
