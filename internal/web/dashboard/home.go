package dashboard

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"time"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// homeData is the home page's: the election's totals, live.
type homeData struct {
	totals
	Poll       string    // htmx's trigger: "every 3s"
	Version    uint64    // homeVersion of the figures shown
	Updated    time.Time // when the figures shown last changed, in UTC
	Checkpoint *checkpointSummary
	Children   []childArea // the outermost areas
	Map        *mapView    // of the outermost areas, if the definition has their boundaries
	Disputed   int         // stations the verifier's report disputes
	Report     bool        // a verifier's report is loaded
	Sort       string      // the areas' order (?sort=)
}

// totals is a jurisdiction's figures as the pages show them.
type totals struct {
	*center.Result
	Contests []contestView
	// Local: the figures are an area's, where a contest's rule elects no
	// one; its page shows who leads there, not the rule's outcome.
	Local bool
}

type contestView struct {
	ID, Name    string
	Candidates  []candidateView
	Valid       int // votes for candidates
	Blank, Null int
	Chart       string // the share series, JSON, for dashboard.js; home page only
	Outcome     *outcomeView
}

type candidateView struct {
	ID, Name string
	Votes    int
	Share    float64 // of the contest's votes for candidates
}

type checkpointSummary struct {
	Size uint64
	Root string // hex, first 16 digits
}

func newTotals(def *election.Definition, res *center.Result) totals {
	t := totals{Result: res}
	for _, c := range res.Contests {
		cv := contestView{ID: c.ID, Name: c.Name, Blank: c.Blank, Null: c.Null}
		if dc := def.Contest(c.ID); dc != nil {
			cv.Outcome = newOutcome(dc, c, res)
		}
		for _, x := range c.Candidates {
			cv.Valid += x.Votes
		}
		for _, x := range c.Candidates {
			share := 0.0
			if cv.Valid > 0 {
				share = float64(x.Votes) / float64(cv.Valid)
			}
			cv.Candidates = append(cv.Candidates, candidateView{ID: x.ID, Name: x.Name, Votes: x.Votes, Share: share})
		}
		t.Contests = append(t.Contests, cv)
	}
	return t
}

// Progress is the share of stations reported, for the progress bar.
func (t totals) Progress() float64 {
	if t.StationsExpected == 0 {
		return 0
	}
	return float64(t.StationsReported) / float64(t.StationsExpected)
}

func (d *Dashboard) home(ctx context.Context, version uint64, by string) *homeData {
	res, _ := d.c.Result(ctx, "")
	h := &homeData{totals: newTotals(d.def, res), Poll: fmt.Sprintf("every %dms", d.poll.Milliseconds()), Version: version}
	x := d.disputes()
	h.Children = d.children(ctx, d.tree.nodes[""], x)
	sortAreas(h.Children, by)
	h.Map = d.mapOf("", h.Children)
	h.Sort = by
	h.Disputed, h.Report = x.In(""), d.report.get() != nil
	for i := range h.Contests {
		h.Contests[i].Chart = d.series.json(h.Contests[i].ID)
	}
	cp, err := d.c.Ledger().Published(ctx)
	if err == nil {
		h.Checkpoint = &checkpointSummary{Size: cp.Size, Root: fmt.Sprintf("%x", cp.Hash[:8])}
	} else {
		cp = nil
	}
	h.Updated = d.updated.at(version, cp)
	return h
}

func (d *Dashboard) serveHome(w http.ResponseWriter, r *http.Request) {
	by, ok := parseSort(r.URL.Query().Get("sort"))
	if !ok {
		d.pages.Fail(w, r, http.StatusBadRequest, "there is no order %q: sort by name, reported, turnout, disputed, margin or registered", page.Clip(by, 40))
		return
	}
	v := d.homeVersion(r.Context())
	d.rendered.serveKey(w, r, "/?sort="+by, v, func(w http.ResponseWriter) bool {
		d.pages.Render(w, r, http.StatusOK, "home.html", "Results", d.home(r.Context(), v, by))
		return true
	})
}

// serveLive is the home page's live part alone, which the page polls. The
// page sends the version it shows (X-Live-Version): if nothing changed
// since, the answer is 204 and htmx leaves the page alone — and the focus
// of a reader on the keyboard where it is.
func (d *Dashboard) serveLive(w http.ResponseWriter, r *http.Request) {
	by, ok := parseSort(r.URL.Query().Get("sort"))
	if !ok {
		d.pages.Fail(w, r, http.StatusBadRequest, "there is no order %q: sort by name, reported, turnout, disputed, margin or registered", page.Clip(by, 40))
		return
	}
	v := d.homeVersion(r.Context())
	if r.Header.Get("X-Live-Version") == strconv.FormatUint(v, 10) {
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	d.rendered.serveKey(w, r, "/live?sort="+by, v, func(w http.ResponseWriter) bool {
		d.pages.Fragment(w, r, "home.html", "live", d.home(r.Context(), v, by))
		return true
	})
}

// homeVersion is what the home page shows changes with: the stations
// reported, the published checkpoint's size, the verifier's report, and
// the stations the chart has read from the log.
func (d *Dashboard) homeVersion(ctx context.Context) uint64 {
	h := fnv.New64a()
	if cp, err := d.c.Ledger().Published(ctx); err == nil {
		fmt.Fprint(h, cp.Size, ",")
	}
	res, _ := d.c.Result(ctx, "")
	d.series.catchUp(ctx, d.c.Ledger(), res.StationsReported)
	fmt.Fprint(h, res.StationsReported, ",", d.reportVersion(), ",", d.series.Counted())
	return h.Sum64()
}
