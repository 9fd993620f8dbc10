package dashboard

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// An area's lists sort by the column the reader picks, each order its own
// kept page; an order that is not one is refused. Areas show their
// leader and margin.
func TestAreaListsSort(t *testing.T) {
	te := newTestElection(t, 12, Options{})
	te.submit(t, 0, 10)
	def := te.e.Def
	// The leaf area with the most stations.
	var leaf string
	count := map[string]int{}
	for _, st := range def.Stations {
		if count[st.Area]++; count[st.Area] > count[leaf] {
			leaf = st.Area
		}
	}
	if count[leaf] < 2 {
		t.Skip("no area with two stations")
	}
	row := regexp.MustCompile(`<tr[^>]*><td><a href="/stations/([^"]+)">[^<]*</a>(?:[^<]|<span[^>]*>[^<]*</span>)*</td><td class="num">([0-9,]+)</td>`)
	registered := func(sort string) []int {
		_, _, body := te.get(t, "/areas/"+leaf+"?sort="+sort, "en")
		var out []int
		for _, m := range row.FindAllStringSubmatch(body, -1) {
			out = append(out, def.Station(m[1]).Registered)
		}
		return out
	}
	byReg := registered("registered")
	if len(byReg) != count[leaf] || !slices.IsSortedFunc(byReg, func(a, b int) int { return b - a }) {
		t.Errorf("?sort=registered: %v", byReg)
	}
	if def := registered(""); slices.Equal(def, byReg) && !slices.IsSortedFunc(def, func(a, b int) int { return b - a }) {
		t.Errorf("the default order is the registered order %v", def)
	}
	if code, _, body := te.get(t, "/areas/"+leaf+"?sort=votes", "en"); code != 400 || !strings.Contains(body, "there is no order") {
		t.Errorf("?sort=votes: %d", code)
	}
	if code, _, _ := te.get(t, "/?sort=bogus", "en"); code != 400 {
		t.Errorf("/?sort=bogus: %d", code)
	}
	_, _, home := te.get(t, "/?sort=turnout", "en")
	if !strings.Contains(home, `hx-get="/live?sort=turnout"`) || !strings.Contains(home, `aria-sort="descending"><a href="?sort=turnout">`) {
		t.Error("the home page sorted by turnout does not keep its order when it polls, or does not say it")
	}
	if !strings.Contains(home, `<td class="leader">`+def.Contests[0].Candidates[0].Name) && !strings.Contains(home, `<td class="leader">`) {
		t.Error("the areas show no leader")
	}
}
