package report

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/verify"
	"github.com/triplicate-vote/triplicate/internal/web/findings/findingstest"
	"github.com/triplicate-vote/triplicate/internal/web/page/pagetest"
)

// reportOfDay verifies a simulated day of n stations with an attack, as
// `triplicate verify` does from the log, the witnesses' copies and the
// announcement.
func reportOfDay(t *testing.T, n int, attack string) *verify.Report {
	t.Helper()
	ctx := context.Background()
	d, err := simulate.Run(ctx, simulate.Config{Dir: t.TempDir(), Stations: n, Seed: 11, Attack: attack})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	v := verify.New(d.Election.Def)
	v.AddLog(ctx, verify.LogSource{Location: d.CenterURL + "/log/"})
	v.AddCopies("copies", d.Evidence.Copies)
	v.AddAnnounced(ctx, d.Evidence.Announced, nil)
	return v.Report(ctx)
}

func get(t *testing.T, h http.Handler, url, lang string) (int, string) {
	t.Helper()
	r := httptest.NewRequest("GET", url, nil)
	r.Header.Set("Accept-Language", lang)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	b, _ := io.ReadAll(w.Result().Body)
	return w.Code, string(b)
}

func TestReportPages(t *testing.T) {
	r := reportOfDay(t, 40, "announce")
	if len(r.Findings) == 0 {
		t.Fatal("the attack gave no findings")
	}
	h, err := NewPages(r)
	if err != nil {
		t.Fatal(err)
	}
	f := r.Findings[0]
	for _, tc := range []struct {
		url, lang string
		code      int
		want      []string
	}{
		{"/", "en", 200, []string{"discrepancies found", "/stations/" + f.Station, "Outcomes", "altered-at-center"}},
		{"/", "es", 200, []string{"discrepancias", "Resultados", "/stations/" + f.Station}},
		{"/findings", "en", 200, []string{"page 1 of 1", f.Summary[:20]}},
		{"/findings?check=" + string(f.Check), "en", 200, []string{string(f.Check)}},
		{"/stations/" + f.Station, "en", 200, []string{"Station " + f.Station, "Registered voters", "Signed acta"}},
		{"/stations/" + f.Station, "es", 200, []string{"Mesa " + f.Station, "Electores inscritos", "Acta firmada"}},
		{"/stations/NOPE", "en", 404, []string{"no finding at this station"}},
		{"/findings?page=0", "en", 400, []string{"is not a page of 1 to 1"}},
		{"/findings?page=x", "es", 400, []string{"no es una página"}},
		{"/findings?check=nonsense", "en", 400, []string{`no check &#34;nonsense&#34;`}},
		{"/stations?q=", "en", 400, []string{"give a station"}},
		{"/nowhere", "en", 404, []string{"no page /nowhere"}},
		{"/report.json", "en", 200, []string{`"findings"`}},
		{"/report.html", "en", 200, []string{"<style>"}},
	} {
		code, body := get(t, h, tc.url, tc.lang)
		if code != tc.code {
			t.Errorf("%s (%s): %d, want %d: %.300s", tc.url, tc.lang, code, tc.code, body)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s (%s): no %q in the page", tc.url, tc.lang, w)
			}
		}
	}
	code, _ := get(t, h, "/stations?q="+f.Station, "en")
	if code != http.StatusSeeOther {
		t.Errorf("search: %d", code)
	}
}

// Every kind and label the report pages translate from the code, not from
// the templates' text, has its Spanish.
func TestReportLabelsTranslated(t *testing.T) {
	var all []string
	for _, s := range sourceKinds {
		all = append(all, s)
	}
	for _, s := range evidenceKinds {
		all = append(all, s)
	}
	for _, s := range countKinds {
		all = append(all, s)
	}
	// The count table's heads and the labels of its rows.
	all = append(all, "source", "kind", "count", "where", "signatures", "signed", "unsigned", "signed by", "witnesses", "log index")
	for _, c := range verify.Checks {
		all = append(all, c.Description())
	}
	all = append(all, "Registered voters", "Ballots", "Blank", "Null")
	for _, s := range all {
		if _, ok := spanish[s]; !ok {
			t.Errorf("%q has no Spanish", s)
		}
	}
}

// TestReportPagesSimulatedTieUnread: the served pages say a report is of a
// simulated election, say a tie as a tie, and never call a report with an
// unread source clean — in both languages.
func TestReportPagesSimulatedTieUnread(t *testing.T) {
	r := htmlTestReport()
	r.Simulated = true
	o := &r.Outcomes[0]
	o.CorrectedWinner, o.RunnerUp, o.CorrectedMargin, o.Tie, o.Tied = "", "", 0, true, []string{"EG", "NM"}
	h, err := NewPages(r)
	if err != nil {
		t.Fatal(err)
	}
	for lang, wants := range map[string][]string{
		"en": {"Simulated figures", "By the evidence: a tie of EG, NM, no winner.", "The outcome changes in President"},
		"es": {"Cifras simuladas", "Según la evidencia: un empate de EG, NM, sin ganador."},
	} {
		_, body := get(t, h, "/", lang)
		for _, want := range wants {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the page lacks %q", lang, want)
			}
		}
	}

	for _, path := range []string{"/stations/S1.a-2", "/stations/nowhere", "/findings"} {
		if _, body := get(t, h, path, "es"); !strings.Contains(body, "Cifras simuladas") {
			t.Errorf("%s lacks the simulated notice", path)
		}
	}

	u := htmlTestReport()
	u.Findings, u.ByCheck, u.Outcomes = nil, map[verify.Check]int{}, nil
	u.Problems = []verify.Problem{{Source: "http://127.0.0.1:1/log/", What: "cannot read the checkpoint", Unread: true}}
	if h, err = NewPages(u); err != nil {
		t.Fatal(err)
	}
	if _, body := get(t, h, "/", "en"); !strings.Contains(body, "Not verified: a source could not be read") || strings.Contains(body, "No discrepancy") {
		t.Errorf("an unread source's page: %.300s", body[strings.Index(body, "verdict"):])
	}
}

// Findings of every kind the verifier reports read in Spanish on the
// report's pages — the first page, the lists, each check's list and the
// stations' pages: their check names and their summaries, written from
// their figures. A piece of text that reads the same in both languages,
// once the data (ids, figures, sources' names) is taken out, is
// untranslated.
func TestSpanishFindingsOfEveryKind(t *testing.T) {
	stations := []string{"1001.1", "1001.2", "1002.1"}
	r := &verify.Report{Election: "e1", Stations: len(stations), Differing: len(stations), ByCheck: map[verify.Check]int{},
		Findings: findingstest.Every(stations, "president", []string{"EG", "NM"})}
	for _, f := range r.Findings {
		r.ByCheck[f.Check]++
	}
	h, err := NewPages(r)
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"/", "/findings"}
	for _, c := range append(verify.Checks, "a-newer-check") {
		paths = append(paths, "/findings?check="+string(c))
	}
	for _, s := range stations {
		paths = append(paths, "/stations/"+s)
	}
	data := append([]string{"a-newer-check", "observers.csv", "announced", "copies", "audit", "log", "e1", "EG", "NM", "president",
		"triplicate", "English", "Español", "JSON", "HTML"}, stations...)
	pagetest.CheckSpanish(t, func(path, lang string) string {
		_, body := get(t, h, path, lang)
		return body
	}, paths, data)
	if _, es := get(t, h, "/stations/1001.2", "es"); !strings.Contains(es, "alterada en el centro") ||
		!strings.Contains(es, "el centro anuncia cifras de la mesa 1001.2 que difieren del acta que firmó su máquina") {
		t.Error("a station's finding is not in Spanish")
	}
}
