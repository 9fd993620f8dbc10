package dashboard

import (
	"net/http"
	"slices"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// A station is disputed when the verifier's report has a finding about it
// other than that it has not reported: its figures differ between sources,
// or its evidence is wrong. The pages mark it wherever it appears — area
// lists, search, the disputed list — and count it in its areas.

// disputes is the disputed stations of a report, indexed for the pages.
type disputes struct {
	stations map[string][]verify.Finding // by station
	areas    map[string]int              // disputed stations by area path; "" is the election
	order    []string                    // the disputed stations, in the definition's order
}

// isDispute reports whether a finding disputes its station.
func isDispute(f verify.Finding) bool {
	return f.Station != "" && f.Check != verify.CheckMissing
}

func newDisputes(def *election.Definition, findings []verify.Finding) *disputes {
	d := &disputes{stations: map[string][]verify.Finding{}, areas: map[string]int{}}
	for _, f := range findings {
		if !isDispute(f) || def.Station(f.Station) == nil {
			continue
		}
		d.stations[f.Station] = append(d.stations[f.Station], f)
	}
	for _, st := range def.Stations {
		if d.stations[st.ID] == nil {
			continue
		}
		d.order = append(d.order, st.ID)
		d.areas[""]++
		for path := st.Area; ; {
			d.areas[path]++
			i := strings.LastIndexByte(path, '/')
			if i < 0 {
				break
			}
			path = path[:i]
		}
	}
	return d
}

// disputes returns the current report's disputes; empty without one.
func (d *Dashboard) disputes() *disputes {
	if rep := d.report.get(); rep != nil {
		return rep.disputes
	}
	return noDisputes
}

var noDisputes = &disputes{}

// Disputed reports whether a station is disputed.
func (x *disputes) Disputed(id string) bool { return x.stations[id] != nil }

// In is how many stations of an area are disputed.
func (x *disputes) In(path string) int { return x.areas[path] }

// disputesData is the page of every disputed station.
type disputesData struct {
	Loaded   bool // a verifier's report is loaded
	Stations []disputedRow
}

type disputedRow struct {
	ID     string
	Place  []*areaNode
	Checks []verify.Check // each check once, in the report's order
	Proven bool           // one of its findings is proven by signed evidence
}

// reportVersion is what the pages that mark disputes change with: the
// verifier's report's time, zero without one.
func (d *Dashboard) reportVersion() uint64 {
	if rep := d.report.get(); rep != nil {
		return uint64(rep.Mod.UnixNano())
	}
	return 0
}

func (d *Dashboard) serveDisputes(w http.ResponseWriter, r *http.Request) {
	rep := d.report.get()
	d.rendered.serve(w, r, d.reportVersion(), func(w http.ResponseWriter) bool {
		data := &disputesData{Loaded: rep != nil}
		x := d.disputes()
		for _, id := range x.order {
			n := d.tree.nodes[d.def.Station(id).Area]
			row := disputedRow{ID: id, Place: append(n.ancestors()[1:], n)}
			for _, f := range x.stations[id] {
				if !slices.Contains(row.Checks, f.Check) {
					row.Checks = append(row.Checks, f.Check)
				}
				row.Proven = row.Proven || f.Proven
			}
			data.Stations = append(data.Stations, row)
		}
		d.pages.Render(w, r, http.StatusOK, "disputes.html", "Disputed stations", data)
		return true
	})
}
