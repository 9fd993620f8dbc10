package forensics_test

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/forensics"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

const smallDef = `triplicate election v1
id small
name Small
levels country
contest president * President
candidate president A A
candidate president B B
area x X
station s1 x 100 -
station s2 x 100 -
station s3 x 0 -
station s4 x 100 -
station s5 x 100 -
station s6 x 100 -
station s7 x - -
station s8 x 100 -
station s9 x 100 -
`

// fig returns figures of the small election: registered, ballots, A, B,
// blank, null.
func fig(f ...int32) tally.Figures {
	return tally.Figures{Registered: f[0], Ballots: f[1], Votes: f[2:]}
}

// TestReadExcludes gives every kind of bad input and wants each excluded
// under its reason, and a report with no NaN anywhere.
func TestReadExcludes(t *testing.T) {
	def, err := election.Parse([]byte(smallDef))
	if err != nil {
		t.Fatal(err)
	}
	const u = tally.Unknown
	rows := []tally.CSVRow{
		{Line: 2, Station: "s1", Figures: fig(u, 60, 40, 18, 1, 1)},    // registered from the definition
		{Line: 3, Station: "s2", Figures: fig(100, u, 40, 18, u, 1)},   // no ballots, no blank
		{Line: 4, Station: "s3", Figures: fig(u, 10, 5, 5, 0, 0)},      // zero registered
		{Line: 5, Station: "s4", Figures: fig(100, 120, 60, 60, 0, 0)}, // more ballots than voters
		{Line: 6, Station: "s5", Figures: fig(100, u, 90, 20, 0, 0)},   // more votes than voters
		{Line: 7, Station: "s6", Figures: fig(100, 50, u, 20, 0, 0)},   // missing figure
		{Line: 8, Station: "s7", Figures: fig(u, 50, 30, 20, 0, 0)},    // registered unknown
		{Line: 9, Station: "s8", Figures: fig(100, 0, 0, 0, 0, 0)},     // nobody voted
		{Line: 10, Station: "s9", Figures: fig(100, 50, 30, 20, 0, 0)},
		{Line: 11, Station: "s9", Figures: fig(100, 50, 31, 19, 0, 0)}, // twice
		{Line: 12, Station: "zz", Figures: fig(100, 50, 30, 20, 0, 0)}, // another election's
	}
	s, err := forensics.Read(def, "", rows, map[string]bool{"s1": true, "s4": true})
	if err != nil {
		t.Fatal(err)
	}
	s.Unread([]error{errors.New(`f.csv:20: station "q" not in the election`), errors.New(`f.csv:21: column A: "x" is not a count`)})
	got := map[string]int{}
	for _, e := range s.Excluded {
		got[e.Reason] = e.Count
	}
	want := map[string]int{
		"no registered voters":                                         1,
		"more ballots than registered voters":                          1,
		"contest president has more votes than registered voters":      1,
		"a candidate's votes missing":                                  1,
		"registered voters unknown":                                    1,
		"no valid votes (no leader's share)":                           1,
		"station given more than once":                                 2,
		"station not in the election":                                  2,
		"ballots cast unknown (no ballots, and blank or null missing)": 1,
		"row not read (see the reader's error)":                        1,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("excluded %q: %d, want %d", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("excluded %v, want %v", got, want)
	}
	if len(s.List) != 1 || s.List[0].ID != "s1" || !s.List[0].Signed || s.SignedUnseen != 1 {
		t.Fatalf("kept %+v (signed unseen %d), want s1 alone, signed, and s4 signed but unseen", s.List, s.SignedUnseen)
	}
	r := forensics.Analyze(s, forensics.Options{Resamples: 10})
	checkOutputs(t, r)
	if r.Groups[forensics.Unsigned].Stations != 0 || r.Groups[forensics.Signed].Stations != 1 {
		t.Errorf("groups %+v", r.Groups)
	}
}

// TestNothingScreened: no stations at all still makes a report.
func TestNothingScreened(t *testing.T) {
	def, err := election.Parse([]byte(smallDef))
	if err != nil {
		t.Fatal(err)
	}
	s, err := forensics.Read(def, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := forensics.Analyze(s, forensics.Options{Resamples: 10})
	checkOutputs(t, r)
	if r.Groups[forensics.All].TurnoutPeaks.P != 1 || r.Groups[forensics.All].LastDigit.P != 1 || r.Groups[forensics.All].Outliers.P != 1 {
		t.Errorf("p-values of nothing: %+v", r.Groups[forensics.All])
	}
	if _, err := forensics.Read(def, "senate", nil, nil); err == nil || !strings.Contains(err.Error(), `contest "senate" is not in the election`) {
		t.Errorf("unknown contest: %v", err)
	}
}

// checkOutputs writes every output of a report and checks each is what it
// says: JSON without NaN (which encoding/json refuses), well-formed SVG, a
// PNG, text and HTML without "NaN".
func checkOutputs(t *testing.T, r *forensics.Report) {
	t.Helper()
	j, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("JSON: %v", err)
	}
	var text, html, svg, img strings.Builder
	if err := r.WriteText(&text, 5); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteHTML(&html, 5); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteSVG(&svg, forensics.All); err != nil {
		t.Fatal(err)
	}
	if err := r.WritePNG(&img, forensics.All); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": text.String(), "html": html.String(), "json": string(j)} {
		if strings.Contains(out, "NaN") || strings.Contains(out, "Inf") {
			t.Errorf("%s has a NaN or Inf:\n%s", name, out)
		}
	}
	if !strings.Contains(text.String(), "not proof") || !strings.Contains(html.String(), "not proof") {
		t.Errorf("the caveat is missing")
	}
	if strings.Contains(strings.ToLower(strings.ReplaceAll(text.String()+html.String(), "not proof", "")), "proof") {
		t.Errorf("a report calls something proof")
	}
	d := xml.NewDecoder(strings.NewReader(svg.String()))
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("SVG: %v", err)
		}
	}
	p, err := png.Decode(strings.NewReader(img.String()))
	if err != nil {
		t.Fatalf("PNG: %v", err)
	}
	if b := p.Bounds(); b.Dx() < 400 || b.Dy() < 400 {
		t.Errorf("PNG of %v", b)
	}
}

func TestReadSigned(t *testing.T) {
	def, err := election.Parse([]byte(smallDef))
	if err != nil {
		t.Fatal(err)
	}
	set, err := forensics.ReadSigned(strings.NewReader("\uFEFFs1\n# witnesses of party P\n\n  s3  \r\n"), "signed.txt", def)
	if err != nil || len(set) != 2 || !set["s1"] || !set["s3"] {
		t.Errorf("got %v, %v; want s1 and s3", set, err)
	}
	_, err = forensics.ReadSigned(strings.NewReader("s1\nnope\ns1\n"), "signed.txt", def)
	if err == nil || !strings.Contains(err.Error(), `signed.txt:2: station "nope" not in the election`) ||
		!strings.Contains(err.Error(), "signed.txt:3: station s1 listed again (first on line 1)") {
		t.Errorf("got %v", err)
	}
}

func FuzzReadSigned(f *testing.F) {
	def, err := election.Parse([]byte(smallDef))
	if err != nil {
		f.Fatal(err)
	}
	f.Add("s1\ns2\n")
	f.Add("\uFEFF# header\ns9\r\n\n")
	f.Add("s1\ns1\n\xff\n")
	f.Fuzz(func(t *testing.T, in string) {
		set, err := forensics.ReadSigned(strings.NewReader(in), "f", def)
		if err != nil {
			if set != nil {
				t.Fatalf("a set with an error")
			}
			if !strings.HasPrefix(err.Error(), "f:") {
				t.Fatalf("error without the file's name: %v", err)
			}
			return
		}
		for id := range set {
			if def.Station(id) == nil {
				t.Fatalf("%q in the set is no station", id)
			}
		}
	})
}
