package dashboard

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"

	"github.com/triplicate-vote/triplicate/internal/boundaries"
)

// When the definition carries area boundaries, the home and area pages draw
// a map of the areas below them: server-rendered SVG, each area coloured by
// who leads there (the table's and the chart's colours), outlined if any of
// its stations is disputed, and linked to its page. Without boundaries they
// show the tiles.

// mapWidth is the maps' width in SVG units; a unit is at most a pixel on
// a desktop screen, so outlines are simplified to a unit and written in
// whole units.
const mapWidth = 1000

// maxMapHeight bounds a tall country's map, which is then narrower.
const maxMapHeight = 1000

// areaMap is the outlines of an area's child areas, laid out once.
type areaMap struct {
	W, H  int
	Paths map[string]string // SVG path data, by child area path
}

// newAreaMaps lays out, for every area whose child areas have boundaries,
// their map. Areas without boundaries are left off it (their tiles' facts
// are in the table beside it).
func newAreaMaps(t *areaTree, m *boundaries.Map) map[string]*areaMap {
	if m == nil {
		return nil
	}
	out := map[string]*areaMap{}
	for path, n := range t.nodes {
		var shapes []orb.MultiPolygon
		var paths []string
		for _, ch := range n.Children {
			if s := m.Areas[ch.Path]; s != nil {
				shapes, paths = append(shapes, s), append(paths, ch.Path)
			}
		}
		if len(shapes) > 0 {
			out[path] = layOut(shapes, paths)
		}
	}
	return out
}

// layOut projects shapes into one frame: longitude scaled by the cosine of
// the middle latitude (equirectangular, true to shape at a country's
// size), north up, fitted into mapWidth by maxMapHeight.
func layOut(shapes []orb.MultiPolygon, paths []string) *areaMap {
	b := shapes[0].Bound()
	for _, s := range shapes[1:] {
		b = b.Union(s.Bound())
	}
	k := math.Cos(math.Min(math.Abs(b.Center()[1]), 85) * math.Pi / 180)
	w, h := (b.Max[0]-b.Min[0])*k, b.Max[1]-b.Min[1]
	scale := mapWidth / math.Max(w, 1e-9)
	if h*scale > maxMapHeight {
		scale = maxMapHeight / math.Max(h, 1e-9)
	}
	am := &areaMap{W: max(1, int(math.Ceil(w*scale))), H: max(1, int(math.Ceil(h*scale))), Paths: map[string]string{}}
	project := func(p orb.Point) orb.Point {
		return orb.Point{(p[0] - b.Min[0]) * k * scale, (b.Max[1] - p[1]) * scale}
	}
	dp := simplify.DouglasPeucker(1)
	for i, s := range shapes {
		var d strings.Builder
		var largest orb.Ring
		for _, poly := range s {
			for j, r := range poly {
				pr := make(orb.Ring, len(r))
				for q, p := range r {
					pr[q] = project(p)
				}
				if j == 0 && (largest == nil || extent(pr) > extent(largest)) {
					largest = pr
				}
				writeRing(&d, dp.Ring(pr))
			}
		}
		if d.Len() == 0 { // an area smaller than a unit: its largest ring, as is
			writeRing(&d, largest)
		}
		am.Paths[paths[i]] = d.String()
	}
	return am
}

func extent(r orb.Ring) float64 {
	b := r.Bound()
	return (b.Max[0] - b.Min[0]) + (b.Max[1] - b.Min[1])
}

// writeRing writes a ring in whole units, relative moves between the
// rounded positions so that rounding does not drift; a ring that rounds
// to fewer than three distinct positions is left out.
func writeRing(d *strings.Builder, r orb.Ring) {
	var pts [][2]int
	for _, p := range r {
		q := [2]int{int(math.Round(p[0])), int(math.Round(p[1]))}
		if len(pts) == 0 || pts[len(pts)-1] != q {
			pts = append(pts, q)
		}
	}
	if len(pts) > 1 && pts[0] == pts[len(pts)-1] {
		pts = pts[:len(pts)-1]
	}
	if len(pts) < 3 {
		return
	}
	d.WriteByte('M')
	d.WriteString(strconv.Itoa(pts[0][0]))
	d.WriteByte(' ')
	d.WriteString(strconv.Itoa(pts[0][1]))
	d.WriteByte('l')
	for i, p := range pts[1:] {
		dx, dy := p[0]-pts[i][0], p[1]-pts[i][1]
		if i > 0 && dx >= 0 {
			d.WriteByte(' ')
		}
		d.WriteString(strconv.Itoa(dx))
		if dy >= 0 {
			d.WriteByte(' ')
		}
		d.WriteString(strconv.Itoa(dy))
	}
	d.WriteByte('z')
}

// mapView is a map as a page draws it: the child areas with their figures.
type mapView struct {
	W, H   int
	Areas  []mapArea
	Leads  []mapLead // who leads somewhere, for the legend
	Absent int       // child areas the boundaries do not draw
}

type mapArea struct {
	childArea
	D string
}

type mapLead struct {
	Name string
	At   int // the colour
}

// mapOf is the map of an area's children, nil if it has none.
func (d *Dashboard) mapOf(path string, children []childArea) *mapView {
	am := d.maps[path]
	if am == nil {
		return nil
	}
	v := &mapView{W: am.W, H: am.H}
	seen := map[int]bool{}
	for _, ch := range children {
		p, ok := am.Paths[ch.Node.Path]
		if !ok {
			v.Absent++
			continue
		}
		v.Areas = append(v.Areas, mapArea{childArea: ch, D: p})
		if o := ch.Outcome; o != nil && o.HasVotes && !seen[o.LeaderAt] {
			seen[o.LeaderAt] = true
			v.Leads = append(v.Leads, mapLead{Name: o.Leader, At: o.LeaderAt})
		}
	}
	// Disputed areas last, so that no neighbour covers their outline.
	sort.SliceStable(v.Areas, func(i, j int) bool { return v.Areas[i].Disputed == 0 && v.Areas[j].Disputed > 0 })
	sort.Slice(v.Leads, func(i, j int) bool { return v.Leads[i].At < v.Leads[j].At })
	return v
}
