package dashboard

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A verifier's report that appears after the dashboard started is picked
// up; then every station it disputes is marked on the home page (a count
// and a link), on the disputed stations' page, in its area's lists and in
// search, and its own page opens with the verdict in plain words and the
// sources side by side, the differing figures marked.
func TestDisputesMarked(t *testing.T) {
	reportFile := filepath.Join(t.TempDir(), "later", "report.json")
	te := newTestElection(t, 12, Options{Report: reportFile})
	te.submit(t, 0, 10)
	te.extras(t)
	te.published(t)
	def := te.e.Def
	handDiffers, equivocated, fine := def.Stations[1], def.Stations[2], def.Stations[3]

	if _, _, body := te.get(t, "/disputes", "en"); !strings.Contains(body, "No verifier report loaded.") {
		t.Errorf("/disputes before the report exists:\n%.3000s", body)
	}
	if err := os.MkdirAll(filepath.Dir(reportFile), 0o755); err != nil {
		t.Fatal(err)
	}
	writeReport(t, te, reportFile)
	var body string
	for start := time.Now(); time.Since(start) < 5*time.Second; time.Sleep(100 * time.Millisecond) {
		if _, _, body = te.get(t, "/disputes", "en"); strings.Contains(body, `id="disputed"`) {
			break
		}
	}
	for _, st := range []string{handDiffers.ID, equivocated.ID} {
		if !strings.Contains(body, `data-station="`+st+`"`) {
			t.Errorf("/disputes does not list %s:\n%.4000s", st, body)
		}
	}
	if strings.Contains(body, `data-station="`+fine.ID+`"`) {
		t.Errorf("/disputes lists %s, which no finding disputes", fine.ID)
	}
	if !strings.Contains(body, "The hand count of the paper vouchers differs from the acta the machine signed.") {
		t.Errorf("/disputes does not say what was found at %s", handDiffers.ID)
	}

	for _, tc := range []struct {
		path, lang string
		want       []string
	}{
		{"/", "en", []string{`id="disputed-link"`, "2 disputed stations"}},
		{"/", "es", []string{"2 mesas impugnadas"}},
		{"/areas/" + handDiffers.Area, "en", []string{`<tr class="disputed" data-disputed="true"><td><a href="/stations/` + handDiffers.ID + `"`}},
		{"/areas/" + def.AreaPath(handDiffers.Area)[0].Path, "es", []string{"impugnada"}},
		{"/search?q=" + handDiffers.ID, "en", []string{`<li class="disputed"><a href="/stations/` + handDiffers.ID + `"`}},
		{"/stations/" + handDiffers.ID, "en", []string{`data-state="disputed"`, "The hand count of the paper vouchers differs", `id="sources"`, "Hand count of the paper vouchers", "Acta signed by the machine (public log)", `class="num diff">≠ `}},
		{"/stations/" + handDiffers.ID, "es", []string{"Lo que muestra la evidencia", "Las fuentes lado a lado", "Probado con evidencia firmada."}},
		{"/stations/" + equivocated.ID, "en", []string{`data-state="disputed"`, "signed two different final actas"}},
		{"/stations/" + fine.ID, "en", []string{`data-state="agrees"`, "finds no discrepancy at this station"}},
		{"/stations/" + def.Stations[11].ID, "en", []string{`data-state="unreported"`}},
	} {
		_, _, body := te.get(t, tc.path, tc.lang)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s (%s): no %q in the page", tc.path, tc.lang, w)
			}
		}
		// The verdict opens the station page: before the acta's figures and its signatures.
		if strings.HasPrefix(tc.path, "/stations/") {
			v, a := strings.Index(body, `id="verdict"`), strings.Index(body, `id="signatures"`)
			if v < 0 || (a >= 0 && a < v) {
				t.Errorf("%s: the verdict is at %d, the signatures at %d", tc.path, v, a)
			}
			if strings.Contains(body, reportFile) {
				t.Errorf("%s shows the server's file path %s", tc.path, reportFile)
			}
		}
	}
	// The area's count of disputed stations, on its parent's page.
	area := def.AreaPath(handDiffers.Area)
	_, _, parent := te.get(t, "/areas/"+area[len(area)-2].Path, "en")
	if !strings.Contains(parent, `<span class="disputed-mark">⚠ `) {
		t.Errorf("%s: no disputed count for its areas", area[len(area)-2].Path)
	}
	// Its tile, coloured by its leader, ringed for its dispute.
	if !regexp.MustCompile(`<li class="tile lead c\d has-disputes"><a href="/areas/` + regexp.QuoteMeta(handDiffers.Area) + `">`).MatchString(parent) {
		t.Errorf("%s: the tile of %s is not coloured by its leader and marked disputed", area[len(area)-2].Path, handDiffers.Area)
	}
}

// center serve -report checks the report file at once: a file that does
// not exist yet passes (the dashboard waits for it), a bad one is refused
// with its name.
func TestCheckReportLater(t *testing.T) {
	dir := t.TempDir()
	if err := CheckReport(filepath.Join(dir, "not-yet.json"), "ve2024"); err != nil {
		t.Errorf("a report not written yet: %v", err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{"), 0o644)
	if err := CheckReport(bad, "ve2024"); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("a bad report: %v", err)
	}
}
