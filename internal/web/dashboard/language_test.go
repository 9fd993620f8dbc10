package dashboard

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/verify"
	"github.com/triplicate-vote/triplicate/internal/web/findings/findingstest"

	"github.com/triplicate-vote/triplicate/internal/web/page/pagetest"
)

// No template shows a word of its own outside .T: every word a page shows
// is a message, translated, or data (names, figures, keys).
func TestNoBareText(t *testing.T) {
	pagetest.CheckNoBareText(t, "triplicate", "PDF", "JSON", "CSV", "UTC", "SHA")
}

// Every page, rendered in Spanish, shows no words of its English: a
// piece of text (between two tags) that reads the same in both languages
// once the data (names, ids, figures) is taken out is untranslated. The
// counts agree with their number ("1 encontrado", "2 encontrados").
func TestSpanishPagesComplete(t *testing.T) {
	reportFile := filepath.Join(t.TempDir(), "report.json")
	te := newTestElection(t, 12, Options{Report: reportFile})
	te.submit(t, 0, 10)
	te.extras(t)
	te.published(t)
	writeReport(t, te, reportFile)
	def := te.e.Def
	st := def.Stations[0]
	paths := []string{"/", "/live", "/checkpoint", "/disputes", "/search", "/search?q=" + st.ID, "/search?q=zzzz", "/search?q=" + st.ID[:4],
		"/stations/NOPE", "/nowhere", "/search?q=%3C", "/data"}
	for _, s := range def.Stations {
		paths = append(paths, "/stations/"+s.ID)
	}
	for _, a := range def.Areas {
		paths = append(paths, "/areas/"+a.Path)
	}
	checkSpanish(t, te, paths)
	for _, tc := range []struct{ path, want string }{
		{"/search?q=" + st.ID, "1 encontrado"},
		{"/search?q=" + st.ID[:4], "encontrados"},
		{"/", "2 mesas impugnadas"},
	} {
		if _, _, body := te.get(t, tc.path, "es"); !strings.Contains(pagetest.VisibleText(body), tc.want) {
			t.Errorf("%s in Spanish: no %q", tc.path, tc.want)
		}
	}
}

// Findings of every kind the verifier reports, on the pages of their
// stations and the disputes page, read in Spanish: their sentences, check
// names and summaries, written from their figures.
func TestSpanishFindingsOfEveryKind(t *testing.T) {
	reportFile := filepath.Join(t.TempDir(), "report.json")
	te := newTestElection(t, 12, Options{Report: reportFile})
	te.submit(t, 0, 12)
	def := te.e.Def
	var stations, candidates []string
	for _, s := range def.Stations {
		stations = append(stations, s.ID)
	}
	for _, c := range def.Contests[0].Candidates {
		candidates = append(candidates, c.ID)
	}
	r := &verify.Report{Election: def.ID, Stations: len(stations), Differing: len(stations), ByCheck: map[verify.Check]int{},
		Findings: findingstest.Every(stations, def.Contests[0].ID, candidates)}
	for _, f := range r.Findings {
		r.ByCheck[f.Check]++
	}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(reportFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	paths := []string{"/disputes"}
	for _, s := range stations {
		paths = append(paths, "/stations/"+s)
	}
	if _, err := loadReport(data, def.ID); err != nil {
		t.Fatal(err)
	}
	// verify.Checks[1], at the second station.
	_, _, body := te.get(t, "/stations/"+stations[1], "es")
	if !strings.Contains(body, "alterada en el centro") || !strings.Contains(body, "el centro anuncia cifras de la mesa "+stations[1]) {
		t.Fatal("the station page does not show its finding in Spanish")
	}
	// A check no version knows is named by its id, in any language.
	checkSpanish(t, te, paths, append(candidates, "a-newer-check")...)
}

// checkSpanish fails for every piece of text a page shows in Spanish as
// it shows it in English, once the data (names, ids, figures) is taken
// out.
func checkSpanish(t *testing.T, te *testElection, paths []string, more ...string) {
	t.Helper()
	def := te.e.Def
	// The data a page shows in any language, longest first.
	data := []string{def.Name, def.ID, "UTC", "PDF", "JSON", "CSV", "SHA", "triplicate", "English", "Español",
		dataStationsCSV, dataStationsJSON, dataActas, dataReport,
		"bytes", "no"} // words that are the same in Spanish
	data = append(data, more...)
	for _, c := range def.Contests {
		data = append(data, c.Name)
		for _, x := range c.Candidates {
			data = append(data, x.Name)
		}
	}
	for _, p := range def.Parties {
		data = append(data, p.Name)
	}
	for _, a := range def.Areas {
		data = append(data, a.Name)
	}
	for _, s := range def.Stations {
		data = append(data, s.ID)
	}
	pagetest.CheckSpanish(t, func(path, lang string) string {
		_, _, body := te.get(t, path, lang)
		return body
	}, paths, data)
}

// The words a handler picks rather than a template — a finding's sentence,
// a source's kind, a jurisdiction level — all have their Spanish.
func TestPickedWordsTranslated(t *testing.T) {
	var words []string
	for _, c := range verify.Checks {
		words = append(words, findingView{Check: c}.Words())
	}
	words = append(words, findingView{Check: "a-newer-check"}.Words())
	for _, k := range []verify.SourceKind{verify.KindLog, verify.KindCopy, verify.KindAnnounced, verify.KindUnsigned, "other"} {
		for _, kind := range []string{"final", "hand"} {
			words = append(words, sourceLabel(verify.CountView{SourceKind: k, Kind: kind}))
		}
	}
	words = append(words, "Ballots", "Blank", "Null", "state", "municipality", "parish", "centre")
	for _, w := range words {
		if _, ok := spanish[w]; !ok {
			t.Errorf("%q has no Spanish", w)
		}
	}
}
