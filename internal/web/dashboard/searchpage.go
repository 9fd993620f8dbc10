package dashboard

import (
	"errors"
	"net/http"

	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// searchData is the search page: the query and what it found.
type searchData struct {
	Query    string
	Searched bool // a query was given
	Stations []stationHit
	Areas    []areaHit
	More     bool
}

type stationHit struct {
	ID       string
	Place    []*areaNode
	Disputed bool
}

type areaHit struct {
	Node  *areaNode
	Place []*areaNode // its ancestors below the election
}

// Found is how many stations and areas the search lists.
func (d *searchData) Found() int { return len(d.Stations) + len(d.Areas) }

func (d *Dashboard) serveSearch(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("q")
	q, err := parseQuery(raw)
	switch {
	case errors.Is(err, errTooLong):
		d.pages.Fail(w, r, http.StatusBadRequest, "the search is too long: it may have at most %d characters", maxQuery)
		return
	case err != nil:
		d.pages.Fail(w, r, http.StatusBadRequest, "the search %q may hold only letters, digits, spaces and . - _ , ' /", page.Clip(raw, 40))
		return
	}
	// What a search finds depends on the definition alone, and which
	// stations are disputed on the verifier's report: its page is kept, in a cache of its own so that searches cannot push out the
	// stations' pages.
	x := d.disputes()
	d.searched.serveKey(w, r, q.Text, d.reportVersion(), func(w http.ResponseWriter) bool {
		h := d.search.find(q)
		data := &searchData{Query: q.Text, Searched: q.Text != "", More: h.More}
		for _, id := range h.Stations {
			n := d.tree.nodes[d.def.Station(id).Area]
			data.Stations = append(data.Stations, stationHit{ID: id, Place: append(n.ancestors()[1:], n), Disputed: x.Disputed(id)})
		}
		for _, n := range h.Areas {
			data.Areas = append(data.Areas, areaHit{Node: n, Place: n.ancestors()[1:]})
		}
		d.pages.Render(w, r, http.StatusOK, "search.html", "Search", data)
		return true
	})
}
