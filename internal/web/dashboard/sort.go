package dashboard

import (
	"cmp"
	"slices"
)

// The lists of areas and of stations sort by a column the reader picks
// (?sort=), on the server: the page needs no script. The areas sort by
// name, by the share reported, by turnout, by disputed stations, or by
// the margin of the leader (closest first); the stations by id, by
// registered voters, by reported, or by disputed. An order a list has not
// leaves it in the definition's order.
var sorts = map[string]bool{"": true, "name": true, "reported": true, "turnout": true, "disputed": true, "margin": true, "registered": true}

// parseSort checks a sort order.
func parseSort(s string) (string, bool) { return s, sorts[s] }

func sortAreas(areas []childArea, by string) {
	var f func(a, b childArea) int
	switch by {
	case "name":
		f = func(a, b childArea) int { return cmp.Compare(fold(a.Node.Name), fold(b.Node.Name)) }
	case "reported":
		f = func(a, b childArea) int { return cmp.Compare(b.Progress(), a.Progress()) }
	case "turnout":
		f = func(a, b childArea) int { return cmp.Compare(b.Turnout, a.Turnout) }
	case "disputed":
		f = func(a, b childArea) int { return cmp.Compare(b.Disputed, a.Disputed) }
	case "margin":
		// The closest race first; an area with no votes last.
		f = func(a, b childArea) int {
			return cmp.Or(before(a.Outcome.HasVotes, b.Outcome.HasVotes), cmp.Compare(a.Outcome.Points, b.Outcome.Points))
		}
	default:
		return
	}
	slices.SortStableFunc(areas, f)
}

func sortStations(rows []stationRow, by string) {
	var f func(a, b stationRow) int
	switch by {
	case "name":
		f = func(a, b stationRow) int { return cmp.Compare(a.ID, b.ID) }
	case "registered":
		f = func(a, b stationRow) int { return cmp.Compare(b.Registered, a.Registered) }
	case "reported":
		f = func(a, b stationRow) int { return before(a.Reported, b.Reported) }
	case "disputed":
		f = func(a, b stationRow) int { return before(a.Disputed, b.Disputed) }
	default:
		return
	}
	slices.SortStableFunc(rows, f)
}

// before orders what is true first.
func before(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}
