package dashboard

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"

	"github.com/triplicate-vote/triplicate/internal/boundaries"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/web/page"
	"github.com/triplicate-vote/triplicate/internal/web/page/pagetest"
)

// usBoundaries is the real boundaries of the contiguous United States
// (internal/boundaries/testdata/README.md: U.S. Census Bureau, public
// domain, via us-atlas).
const usBoundaries = "../../boundaries/testdata"

// usElection is an election in each of the 48 contiguous states and DC,
// two stations a state, whose definition names the states' boundaries;
// the votes are made up, so that each of three candidates leads
// somewhere. It returns the election and its map.
func usElection(t testing.TB) (*simulate.Election, *boundaries.Map) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(usBoundaries, "us-states.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties struct{ Area, Name string }
		}
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		t.Fatal(err)
	}
	e := &simulate.Election{Machines: map[string]string{}}
	ck, cv, err := keys.Generate(nil, "us/center")
	if err != nil {
		t.Fatal(err)
	}
	if e.Center, err = keys.Parse(ck); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "triplicate election v1\nid us\nname United States\nlevels state\nboundaries us-states.geojson %x\n", sha256.Sum256(data))
	b.WriteString("contest president * President\ncandidate president A Ada\ncandidate president B Bea\ncandidate president C Cy\n")
	fmt.Fprintf(&b, "center %s\n", cv)
	for _, f := range fc.Features {
		fmt.Fprintf(&b, "area %s %s\n", f.Properties.Area, f.Properties.Name)
	}
	for i, f := range fc.Features {
		for j := 1; j <= 2; j++ {
			id := fmt.Sprintf("%s.%d", f.Properties.Area, j)
			skey, vkey, err := keys.Generate(nil, "us/machine/"+id)
			if err != nil {
				t.Fatal(err)
			}
			e.Machines[id] = skey
			fmt.Fprintf(&b, "station %s %s 1000 %s\n", id, f.Properties.Area, vkey)
			e.Tables = append(e.Tables, simulate.Table{Station: id, Null: 3,
				Votes: map[string]int{"A": 100 + i*37%90, "B": 100 + i*53%90, "C": 60 + i*71%110}})
		}
	}
	if e.Def, err = election.Parse([]byte(b.String())); err != nil {
		t.Fatal(err)
	}
	m, err := boundaries.Read(e.Def, usBoundaries)
	if err != nil {
		t.Fatal(err)
	}
	return e, m
}

// The home page draws the states from the definition's boundaries: one
// linked outline each, coloured by the leader there as the API counts it,
// grey where nothing is counted yet, outlined where a station is disputed;
// the legend names the leaders; the tiles give way to it.
func TestMapFromBoundaries(t *testing.T) {
	e, m := usElection(t)
	reportFile := filepath.Join(t.TempDir(), "report.json")
	te := newTestElectionOf(t, e, Options{Boundaries: m, Report: reportFile})
	last := len(e.Tables) - 2 // the last state's stations have not reported
	te.submit(t, 0, last)
	// Texas's first station's machine key signs a second, different acta.
	tx := -1
	for i, tb := range e.Tables {
		if tb.Station == "48.1" {
			tx = i
		}
	}
	forged := map[string]int{"A": 1, "B": 2, "C": 3}
	if _, err := te.c.Submit(context.Background(), te.sign(t, tx, forged, 0)); err != nil {
		t.Fatal(err)
	}
	te.published(t)
	writeReport(t, te, reportFile)

	_, _, body := te.get(t, "/", "en")
	if !strings.Contains(body, `<figure class="map" id="map">`) || strings.Contains(body, `class="tiles"`) {
		t.Fatal("the home page does not draw the map in place of the tiles")
	}
	paths := regexp.MustCompile(`<a href="/areas/([0-9]+)" data-area="[0-9]+"><path d="M[-0-9 lzM]+" class="([^"]*)"/><title>([^<]*)</title></a>`).FindAllStringSubmatch(body, -1)
	if len(paths) != 49 {
		t.Fatalf("%d states drawn, want 49", len(paths))
	}
	lastState := e.Def.Stations[len(e.Def.Stations)-1].Area
	for _, p := range paths {
		area, class, title := p[1], p[2], p[3]
		res, _ := te.c.Result(context.Background(), area)
		switch {
		case area == lastState:
			if strings.Contains(class, "lead") || !strings.Contains(title, "no votes yet") {
				t.Errorf("state %s, with nothing counted: class %q, title %q", area, class, title)
			}
			continue
		case (area == "48") != strings.Contains(class, "has-disputes"):
			t.Errorf("state %s: class %q: disputed only in Texas", area, class)
		}
		lead, at := 0, 0
		for i, c := range res.Contests[0].Candidates {
			if c.Votes > lead {
				lead, at = c.Votes, i
			}
		}
		if want := fmt.Sprintf("lead c%d", at); !strings.HasPrefix(class, want) {
			t.Errorf("state %s: class %q, want %q (its leader %s)", area, class, want, res.Contests[0].Candidates[at].Name)
		}
		if want := res.Contests[0].Candidates[at].Name + " leads"; !strings.Contains(title, want) {
			t.Errorf("state %s: title %q, want %q", area, title, want)
		}
	}
	for _, name := range []string{"Ada", "Bea", "Cy"} {
		if !regexp.MustCompile(`<span class="swatch c[0-9]"></span>` + name + `</span>`).MatchString(body) {
			t.Errorf("the legend does not name %s", name)
		}
	}
	if !strings.Contains(body, "Texas: ") || !strings.Contains(body, "⚠ 1 disputed station") {
		t.Error("Texas's outline does not say it has a disputed station")
	}
	// In Spanish, the outlines' titles and the legend too.
	_, _, es := te.get(t, "/", "es")
	if !strings.Contains(es, "encabeza · ") || !strings.Contains(es, "bordeada: mesas impugnadas") || !strings.Contains(es, "1 mesa impugnada") {
		t.Error("the map's words are not in Spanish")
	}
	// Issue 17's goal: the first load under 50 KB, with the map.
	wire := homeWire(t, te.srv.URL)
	t.Logf("the home page with the map of 49 states: %.1f KB on the wire on first load (brotli, with its scripts and styles)", float64(wire)/1000)
	if wire > 50_000 {
		t.Errorf("the home page with the map of 49 states is %d bytes on first load, over 50 KB", wire)
	}
	// A state's page lists its stations: it has no areas to draw.
	if _, _, body := te.get(t, "/areas/48", "en"); strings.Contains(body, `class="map"`) {
		t.Error("a state's page draws a map of no areas")
	}
}

// Without boundaries the home page keeps its tiles.
func TestNoBoundariesKeepsTiles(t *testing.T) {
	e, _ := usElection(t)
	te := newTestElectionOf(t, e, Options{})
	te.submit(t, 0, 10)
	if _, _, body := te.get(t, "/", "en"); strings.Contains(body, `class="map"`) || !strings.Contains(body, `class="tiles"`) {
		t.Error("without boundaries, the home page does not show the tiles")
	}
	t.Logf("the home page with the tiles of 49 states: %.1f KB on the wire on first load (brotli, with its scripts and styles)", float64(homeWire(t, te.srv.URL))/1000)
}

// The outlines are few bytes: the map of 49 states, simplified to a unit
// of a 1000-unit-wide frame, in whole units.
func TestMapIsSmall(t *testing.T) {
	e, m := usElection(t)
	maps := newAreaMaps(newAreaTree(e.Def), m)
	am := maps[""]
	if am == nil || len(am.Paths) != 49 {
		t.Fatalf("map %+v", am)
	}
	n := 0
	for _, d := range am.Paths {
		n += len(d)
	}
	if n > 40000 {
		t.Errorf("the states' outlines take %d bytes", n)
	}
	if am.W != mapWidth || am.H < 500 || am.H > 700 {
		t.Errorf("the contiguous states are drawn %d by %d", am.W, am.H)
	}
	t.Logf("49 states in %d bytes of path data, %d by %d", n, am.W, am.H)
	if len(maps) != 1 {
		t.Errorf("%d maps, want the election's alone (the states' children are stations)", len(maps))
	}
}

// The map in chromium, at a phone's width and a desktop's: no wider than
// the screen, no axe-core violation, and each state a link to its page.
func TestMapInBrowser(t *testing.T) {
	e, m := usElection(t)
	reportFile := filepath.Join(t.TempDir(), "report.json")
	te := newTestElectionOf(t, e, Options{Boundaries: m, Report: reportFile})
	te.submit(t, 0, len(e.Tables)-2)
	if _, err := te.c.Submit(context.Background(), te.sign(t, 0, map[string]int{"A": 1}, 0)); err != nil {
		t.Fatal(err)
	}
	te.published(t)
	writeReport(t, te, reportFile)
	for _, lang := range []page.Lang{page.Spanish, page.English} {
		ctx := pagetest.NewBrowser(t, string(lang))
		for _, width := range []int{390, 1280} {
			var scroll int
			var box []float64
			if err := chromedp.Run(ctx, chromedp.EmulateViewport(int64(width), 844),
				chromedp.Navigate(te.srv.URL+"/?lang="+string(lang)), chromedp.WaitVisible("#map svg"),
				chromedp.Evaluate(`Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)`, &scroll),
				chromedp.Evaluate(`(r => [r.width, r.height])(document.querySelector("#map svg").getBoundingClientRect())`, &box)); err != nil {
				t.Fatal(err)
			}
			if scroll > width {
				t.Errorf("%s at %d px: the page is %d px wide", lang, width, scroll)
			}
			if box[0] < float64(min(width, 800))/2 || box[1] < box[0]/3 {
				t.Errorf("%s at %d px: the map is drawn %v px", lang, width, box)
			}
			for _, v := range pagetest.Axe(t, ctx) {
				t.Errorf("%s at %d px: axe-core: %s", lang, width, v)
			}
			pagetest.Screenshot(t, ctx, fmt.Sprintf("%s-%d", lang, width))
		}
		// A click on Texas opens its page.
		var h1 string
		if err := chromedp.Run(ctx, chromedp.Click(`#map a[data-area="48"] path`, chromedp.ByQuery), chromedp.WaitVisible("main h1"),
			chromedp.Text("main h1", &h1, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(h1, "Texas") {
			t.Errorf("a click on Texas opened %q", h1)
		}
	}
}

// Boundaries may be of any level: an area's page draws the areas below it
// that have a shape, and pages whose areas have none keep their tiles.
func TestMapOnAreaPages(t *testing.T) {
	e, err := simulate.VE2024(40, nil)
	if err != nil {
		t.Fatal(err)
	}
	tree := newAreaTree(e.Def)
	parent := tree.nodes[e.Def.AreaPath(e.Def.Stations[0].Area)[1].Path] // a municipality
	m := &boundaries.Map{Areas: map[string]orb.MultiPolygon{}}
	for i, ch := range parent.Children {
		x := -67 + 0.01*float64(i)
		m.Areas[ch.Path] = orb.MultiPolygon{{{{x, 10.4}, {x + 0.01, 10.4}, {x + 0.01, 10.41}, {x, 10.41}, {x, 10.4}}}}
	}
	te := newTestElectionOf(t, e, Options{Boundaries: m})
	te.submit(t, 0, 20)
	_, _, body := te.get(t, parent.URL(), "es")
	if n := strings.Count(body, "<path d="); n != len(parent.Children) || strings.Contains(body, `class="tiles"`) {
		t.Errorf("%s: %d outlines, want its %d areas'", parent.URL(), n, len(parent.Children))
	}
	for _, p := range []string{"/", parent.Parent.URL()} {
		if _, _, body := te.get(t, p, "es"); strings.Contains(body, `class="map"`) || !strings.Contains(body, `class="tiles"`) {
			t.Errorf("%s, whose areas have no boundaries, does not keep its tiles", p)
		}
	}
}
