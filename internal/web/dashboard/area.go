package dashboard

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// areaData is a jurisdiction's page: its totals, its areas with theirs, and
// at the deepest level its stations.
type areaData struct {
	totals
	Disputed int       // the area's stations the verifier's report disputes
	Report   bool      // a verifier's report is loaded
	Updated  time.Time // zero: the area's page does not say
	Sort     string    // the lists' order (?sort=)
	Node     *areaNode
	Crumbs   []*areaNode
	Children []childArea
	Map      *mapView // of Children, if the definition has their boundaries
	Stations []stationRow
}

type childArea struct {
	Node     *areaNode
	Disputed int          // stations the verifier's report disputes
	Outcome  *outcomeView // of the first contest on the area's ballots
	*center.Result
}

// Progress is the share of the area's stations reported.
func (c childArea) Progress() float64 {
	if c.StationsExpected == 0 {
		return 0
	}
	return float64(c.StationsReported) / float64(c.StationsExpected)
}

type stationRow struct {
	ID         string
	Registered int
	Reported   bool
	Disputed   bool
}

func (d *Dashboard) serveArea(w http.ResponseWriter, r *http.Request) {
	path := strings.Trim(r.PathValue("path"), "/")
	n := d.tree.nodes[path]
	if n == nil || path == "" {
		d.pages.Fail(w, r, http.StatusNotFound, "election %s has no area %q", d.def.ID, page.Clip(path, 80))
		return
	}
	res, ok := d.c.Result(r.Context(), path)
	if !ok {
		d.pages.Fail(w, r, http.StatusNotFound, "election %s has no area %q", d.def.ID, page.Clip(path, 80))
		return
	}
	by, ok := parseSort(r.URL.Query().Get("sort"))
	if !ok {
		d.pages.Fail(w, r, http.StatusBadRequest, "there is no order %q: sort by name, reported, turnout, disputed, margin or registered", page.Clip(by, 40))
		return
	}
	// The page changes only when one of the area's stations reports, or
	// the verifier's report does.
	x := d.disputes()
	d.rendered.serveKey(w, r, r.URL.Path+"?sort="+by, uint64(res.StationsReported)^d.reportVersion(), func(w http.ResponseWriter) bool {
		data := &areaData{totals: newTotals(d.def, res), Node: n, Crumbs: n.ancestors(), Disputed: x.In(path), Report: d.report.get() != nil, Sort: by}
		data.Local = true
		data.Children = d.children(r.Context(), n, x)
		sortAreas(data.Children, by)
		data.Map = d.mapOf(path, data.Children)
		for _, id := range n.Stations {
			st := d.def.Station(id)
			data.Stations = append(data.Stations, stationRow{ID: id, Registered: st.Registered, Reported: d.c.Reported(id), Disputed: x.Disputed(id)})
		}
		sortStations(data.Stations, by)
		d.pages.Render(w, r, http.StatusOK, "area.html", n.Name, data)
		return true
	})
}

// children returns an area's child areas with their totals.
func (d *Dashboard) children(ctx context.Context, n *areaNode, x *disputes) []childArea {
	var out []childArea
	for _, ch := range n.Children {
		if cr, ok := d.c.Result(ctx, ch.Path); ok { // not an area with no station
			ca := childArea{Node: ch, Result: cr, Disputed: x.In(ch.Path), Outcome: &outcomeView{}}
			if len(cr.Contests) > 0 {
				if dc := d.def.Contest(cr.Contests[0].ID); dc != nil {
					ca.Outcome = newOutcome(dc, cr.Contests[0], cr)
				}
			}
			out = append(out, ca)
		}
	}
	return out
}
