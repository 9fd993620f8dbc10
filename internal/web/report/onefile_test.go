package report

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/tally"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

const hostile = `<script>alert(1)</script>`

func htmlTestReport() *verify.Report {
	idx := int64(7)
	uidx := uint64(7)
	counts := func(source string, kind verify.SourceKind, signed bool, eg int32) verify.CountView {
		cv := verify.CountView{Source: source, SourceKind: kind, Kind: "final", Signed: signed, Registered: 666, Ballots: 364,
			Contests: []verify.ContestCounts{{Contest: "president", Candidates: []verify.CandidateCount{{Candidate: "EG", Votes: eg}, {Candidate: "NM", Votes: 125}}, Blank: 0, Null: 7}}}
		if kind == verify.KindLog {
			cv.Index, cv.Where, cv.Witnesses, cv.Primary = &idx, "log entry 7", []string{"party-a", "party-b"}, "ve2024/machine/S1"
		}
		if kind == verify.KindAnnounced {
			cv.Where = "announced.json station 3"
			cv.Contests[0].Null = tally.Unknown
		}
		return cv
	}
	return &verify.Report{
		Election: "ve2024", Name: "Presidential election 2024",
		Sources: []*verify.Source{{Name: "https://center.example/log", Kind: verify.KindLog, Counts: 3},
			{Name: "observers" + hostile + ".csv", Kind: verify.KindUnsigned, Counts: 2}},
		Log:      &verify.LogSummary{Source: "https://center.example/log", Origin: "center.example/ve2024", Size: 3, Checkpoint: "center.example/ve2024\n3\nq1w2e3r4t5=\n\n— center.example abcd\n", Witnessed: true, Complete: true},
		Stations: 4, Agreeing: 1, Differing: 2, Uncounted: 1,
		ByCheck: map[verify.Check]int{verify.CheckAltered: 2, verify.CheckUnsigned: 1},
		Findings: []verify.Finding{
			{Check: verify.CheckAltered, Station: "S1.a-2", Proven: true, Summary: "the center announces EG 132 where the machine signed 232",
				Counts: []verify.CountView{counts("https://center.example/log", verify.KindLog, true, 232), counts("announced.json", verify.KindAnnounced, false, 132)},
				Evidence: []verify.Evidence{
					{Kind: "acta", Source: "witness/S1.acta", Where: "witness/S1.acta", Acta: "triplicate acta v1\nelection ve2024\nstation S1.a-2\n"},
					{Kind: "log-entry", Source: "https://center.example/log", Index: &uidx, Acta: "triplicate acta v1\nstation S1.a-2\n",
						Proof: [][]byte{{0xde, 0xad, 0xbe, 0xef}, {0x01, 0x02}}, Checkpoint: "center.example/ve2024\n3\nq1w2e3r4t5=\n"},
				}},
			{Check: verify.CheckAltered, Station: "S1.a-2", Proven: true, Summary: "a second finding of the same station"},
			{Check: verify.CheckUnsigned, Station: "S2", Proven: false, Summary: "the observers count NM 99 " + hostile,
				Counts: []verify.CountView{counts("observers.csv", verify.KindUnsigned, false, 232)}},
		},
		Problems: []verify.Problem{{Source: "scan.png", Where: "page 2", What: "unreadable " + hostile}},
		Outcomes: []verify.Outcome{{Contest: "president", Name: "President",
			Candidates: []verify.CandidateTotal{
				{Candidate: "EG", Name: "Edmundo González", Announced: 1100, Corrected: 1250},
				{Candidate: "NM", Name: "Nicolás Maduro", Announced: 1200, Corrected: 1180},
				{Candidate: "blank", Name: "blank"}, {Candidate: "null", Name: "null", Announced: 14, Corrected: 15}},
			AnnouncedFrom: "totals", AnnouncedWinner: "NM", AnnouncedMargin: 100,
			CorrectedWinner: "EG", CorrectedMargin: 70, RunnerUp: "NM", Flips: true,
			Evidence: map[string]int{"machine": 2, "unsigned": 1}, Missing: 1, MissingRegistered: 40, Decided: true,
			Decisive: []string{"S1.a-2", "S9"}, Why: "correcting the announced figures of these stations undoes NM's lead"}},
	}
}

func renderHTML(t *testing.T, r *verify.Report, name string) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
	if dir := os.Getenv("VERIFY_HTML_SCREENSHOT"); dir != "" {
		kept := filepath.Join(dir, name)
		if err := os.WriteFile(kept, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		screenshot(t, kept)
	}
	return b.String()
}

// screenshot takes a picture of the page with headless Chromium, if it is
// installed, beside the page. Set VERIFY_HTML_SCREENSHOT to a directory to
// keep the pages there and take their pictures, to look at them.
func screenshot(t *testing.T, path string) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Log("no chromium: no screenshot")
		return
	}
	png := filepath.Join(filepath.Dir(path), strings.TrimSuffix(filepath.Base(path), ".html")+".png")
	out, err := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--screenshot="+png, "--window-size=1200,2600", "file://"+path).CombinedOutput()
	if err != nil {
		t.Logf("chromium: %v\n%s", err, out)
		return
	}
	t.Logf("screenshot %s", png)
}

// externalRef finds every reference to something: src= and href= attributes
// and CSS url(...).
var externalRef = regexp.MustCompile(`(?i)(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?)([^"'\s>)]*)`)

func checkSelfContained(t *testing.T, page string) {
	t.Helper()
	for _, m := range externalRef.FindAllStringSubmatch(page, -1) {
		if target := m[1]; !strings.HasPrefix(target, "#") && !strings.HasPrefix(target, "data:") {
			t.Errorf("page refers to %q (%s)", target, m[0])
		}
	}
	for _, tag := range []string{"script", "link", "img", "iframe", "object", "embed", "@import"} {
		if strings.Contains(strings.ToLower(page), "<"+tag) || (tag == "@import" && strings.Contains(page, tag)) {
			t.Errorf("page has %s", tag)
		}
	}
}

func checkClosed(t *testing.T, page string) {
	t.Helper()
	for _, tag := range []string{"section", "table", "details", "div", "svg", "pre", "ul", "tr", "thead", "tbody", "summary"} {
		open := len(regexp.MustCompile(`<`+tag+`[\s>]`).FindAllString(page, -1))
		closed := strings.Count(page, "</"+tag+">")
		if open != closed {
			t.Errorf("%d <%s> opened, %d closed", open, tag, closed)
		}
	}
}

func TestHTMLReport(t *testing.T) {
	page := renderHTML(t, htmlTestReport(), "report.html")
	checkSelfContained(t, page)
	checkClosed(t, page)

	for _, want := range []string{
		"Presidential election 2024",
		"3 discrepancies found, 2 proven by signed evidence",
		"1 thing could not be checked",
		`id="station-S1.a-2"`,
		`href="#station-S1.a-2"`, // from the decisive stations
		`id="contest-president"`,
		"The outcome flips",
		`id="check-altered-at-center"`,
		`id="check-unsigned-differs"`,
		// the outcome's figures
		"<td class=\"n\">1100</td>", "<td class=\"n\">1250</td>", "<td class=\"n\">1200</td>", "<td class=\"n\">1180</td>",
		"&#43;150", "−20" /* html/template escapes + */, ">2314<", ">2445<",
		"Edmundo González (EG)", "Nicolás Maduro (NM)",
		"by a margin of 100", "by a margin of 70 over Nicolás Maduro (NM)",
		"1 station has no count anywhere (40 registered voters)",
		"2 signed machine actas, 1 unsigned count",
		// the chart: a bar each, with its figure
		"<svg", ">1250 (&#43;150)<", ">1180 (−20)<",
		// the summary
		"<td class=\"n\">4</td>", "center.example/ve2024", "q1w2e3r4t5=",
		// the finding
		"unsigned evidence", "proven",
		"deadbeef\n0102", "Log index: 7", "triplicate acta v1\nelection ve2024\nstation S1.a-2\n",
		"party-a, party-b", "ve2024/machine/S1",
		"<td class=\"n\">—</td>", // the unknown null
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// One anchor per station: the second finding of S1.a-2 has none.
	if n := strings.Count(page, `id="station-S1.a-2"`); n != 1 {
		t.Errorf("%d anchors of station S1.a-2, want 1", n)
	}
	// S9 has no finding: no link.
	if strings.Contains(page, `href="#station-S9"`) {
		t.Error("link to a station with no finding")
	}
	// EG differs (232 signed, 132 announced): both cells marked; NM (125
	// in both) is not.
	for _, want := range []string{`<td class="n diff">232</td>`, `<td class="n diff">132</td>`, `<td class="n">125</td>`, `<th class="diffrow">EG</th>`, `<th>NM</th>`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, `<td class="n diff">125</td>`) {
		t.Error("a figure that agrees is marked as differing")
	}
	// The hostile strings appear only escaped.
	if strings.Contains(page, hostile) || strings.Contains(page, "<script") {
		t.Error("unescaped <script> in the page")
	}
	if n := strings.Count(page, "&lt;script&gt;alert(1)&lt;/script&gt;"); n < 3 {
		t.Errorf("%d escaped hostile strings, want 3 (source, summary, problem)", n)
	}
}

func TestHTMLCleanReport(t *testing.T) {
	r := &verify.Report{Election: "e1", Findings: []verify.Finding{}, Problems: []verify.Problem{}, ByCheck: map[verify.Check]int{}}
	page := renderHTML(t, r, "clean.html")
	checkSelfContained(t, page)
	checkClosed(t, page)
	for _, want := range []string{"No discrepancy: every count agrees", "Everything given could be checked", "<h1>e1"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"could not be checked</span>", "The outcome flips", "class=\"verdict bad\""} {
		if strings.Contains(page, bad) {
			t.Errorf("page has %q", bad)
		}
	}
}

func TestHTMLNoAnnouncement(t *testing.T) {
	r := htmlTestReport()
	o := &r.Outcomes[0]
	o.AnnouncedFrom, o.AnnouncedWinner, o.AnnouncedMargin, o.Flips = "", "", 0, false
	r.Problems = nil
	page := renderHTML(t, r, "unannounced.html")
	checkClosed(t, page)
	if strings.Contains(page, ">announced</th>") || strings.Contains(page, "The outcome flips") {
		t.Error("announced columns without an announcement")
	}
	if !strings.Contains(page, ">counted</th>") || !strings.Contains(page, "Nothing was announced") {
		t.Error("no counted column")
	}
	if strings.Contains(page, "could not be checked</span>") {
		t.Error("problems without problems")
	}
}

func TestHTMLManyFindings(t *testing.T) {
	r := &verify.Report{Election: "big", ByCheck: map[verify.Check]int{}}
	const n = htmlListedFindings + 5
	for i := range n {
		r.Findings = append(r.Findings, verify.Finding{Check: verify.CheckMissing, Station: fmt.Sprintf("S%05d", i), Summary: "no acta in the log"})
	}
	r.ByCheck[verify.CheckMissing] = n
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	checkClosed(t, page)
	if got := strings.Count(page, `<section class="finding"`); got != htmlFullFindings {
		t.Errorf("%d findings in full, want %d", got, htmlFullFindings)
	}
	for _, want := range []string{
		fmt.Sprintf("%d more findings are in the JSON bundle", n-htmlFullFindings),
		"5 more findings are not listed here",
		">S19999<",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, ">S20000<") {
		t.Error("lists more than it should")
	}
}

func TestHTMLAnchorSafe(t *testing.T) {
	for in, want := range map[string]string{"S1.a-2": "S1.a-2", "a b": "a_20b", "a_20b": "a_5F20b", `"><x`: "_22_3E_3Cx"} {
		if got := anchorSafe(in); got != want {
			t.Errorf("anchorSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestHTMLSimulatedTieUnread: a simulated election says so; a tie is said
// as a tie, never a winner by 0; a report with a source that could not be
// read is never a clean verdict.
func TestHTMLSimulatedTieUnread(t *testing.T) {
	r := htmlTestReport()
	r.Simulated = true
	o := &r.Outcomes[0]
	o.CorrectedWinner, o.RunnerUp, o.CorrectedMargin, o.Tie, o.Tied = "", "", 0, true, []string{"EG", "NM"}
	o.Undecided, o.Decided = 1, false
	page := renderHTML(t, r, "tie.html")
	for _, want := range []string{"Simulated figures", "a tie</strong> of Edmundo González (EG), Nicolás Maduro (NM), no winner",
		"1 station is undecided", "they could change the tie"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "by a margin of 0") {
		t.Error("a tie shown as a winner by 0")
	}

	clean := htmlTestReport()
	clean.Findings, clean.ByCheck, clean.Outcomes = nil, map[verify.Check]int{}, nil
	clean.Problems = []verify.Problem{{Source: "http://127.0.0.1:1/log/", What: "cannot read the checkpoint", Unread: true}}
	page = renderHTML(t, clean, "unread.html")
	if !strings.Contains(page, "Not verified: 1 source could not be read") || strings.Contains(page, "every count agrees") {
		t.Errorf("an unread source's verdict: %s", regexp.MustCompile(`(?s)<p class="verdict.*?</p>`).FindString(page))
	}
}
