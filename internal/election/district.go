package election

import (
	"slices"
	"strings"
)

// District is a set of areas and stations that a contest may be scoped
// to (an electoral district that is not one area of the tree): a station
// is in it when it is named, or its area is one of Areas or under one.
// A station may be in several districts, which need not nest.
type District struct {
	ID       string
	Name     string
	Areas    []string // area paths, in file order
	Stations []string // station ids, in file order

	stations map[string]bool // Stations, when Parse made the district
}

// Has reports whether station s is in the district.
func (t *District) Has(s *Station) bool {
	if t.stations != nil {
		if t.stations[s.ID] {
			return true
		}
	} else if slices.Contains(t.Stations, s.ID) {
		return true
	}
	for _, a := range t.Areas {
		if s.Area == a || strings.HasPrefix(s.Area, a+"/") {
			return true
		}
	}
	return false
}

// District returns the district with the given id, or nil.
func (d *Definition) District(id string) *District {
	if d.districts != nil {
		return d.districts[id]
	}
	for _, t := range d.Districts {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// inScope reports whether station s votes in contest c: c's scope is
// every station, an area the station is in or under, or a district that
// has it.
func (d *Definition) inScope(c *Contest, s *Station) bool {
	switch {
	case c.Scope == "*" || s.Area == c.Scope || strings.HasPrefix(s.Area, c.Scope+"/"):
		return true
	case d.areas[c.Scope] != nil:
		return false
	}
	t := d.District(c.Scope)
	return t != nil && t.Has(s)
}

// addDistrict reads "district ID NAME", "district ID area PATH" and
// "district ID station STATION": a district, then its areas and stations
// (which may be declared further down, as contests' scopes may).
func (p *parser) addDistrict(rest string) {
	f, ok := p.fields(rest, 2, "district ID NAME")
	if !ok {
		return
	}
	id := f[0]
	t := p.d.District(id)
	kind, member, member2 := strings.Cut(f[1], " ")
	if t == nil || (kind != "area" && kind != "station") || !member2 {
		switch {
		case !ValidID(id):
			p.errorf("malformed district id %q", clip(id, 70))
		case t != nil:
			p.errorf("duplicate district %s", id)
		default:
			t = &District{ID: id, Name: f[1], stations: map[string]bool{}}
			p.d.Districts = append(p.d.Districts, t)
			p.d.districts[id] = t
			p.districtLine[t] = p.line
		}
		return
	}
	switch {
	case kind == "area" && slices.Contains(t.Areas, member):
		p.errorf("district %s: area %s listed twice", id, member)
	case kind == "area":
		t.Areas = append(t.Areas, member)
		p.memberLine[id+" area "+member] = p.line
	case t.stations[member]:
		p.errorf("district %s: station %s listed twice", id, member)
	default:
		t.Stations = append(t.Stations, member)
		t.stations[member] = true
		p.memberLine[id+" station "+member] = p.line
	}
}

// checkDistricts checks, once every line is read, that every district's
// areas and stations exist, that it has a station, and that its id is
// not an area's path (which a contest's scope could not tell apart).
func (p *parser) checkDistricts() {
	for _, t := range p.d.Districts {
		p.line = p.districtLine[t]
		if p.d.areas[t.ID] != nil {
			p.errorf("district %s: the path of an area too", t.ID)
		}
		for _, a := range t.Areas {
			if p.d.areas[a] == nil {
				p.line = p.memberLine[t.ID+" area "+a]
				p.errorf("district %s: unknown area %q", t.ID, clip(a, 70))
			}
		}
		for _, s := range t.Stations {
			if p.d.Station(s) == nil {
				p.line = p.memberLine[t.ID+" station "+s]
				p.errorf("district %s: unknown station %q", t.ID, clip(s, 70))
			}
		}
		p.line = p.districtLine[t]
		if !slices.ContainsFunc(p.d.Stations, t.Has) {
			p.errorf("district %s has no station", t.ID)
		}
	}
}
