package verify_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/verify"
)

var update = flag.Bool("update", false, "rewrite testdata/report.json from a simulated day")

// TestReadReport reads back the JSON of a report with findings, and
// refuses a report changed so that it no longer holds together.
// testdata/report.json (the fuzz target's seed) is such a report:
// go test -run TestReadReport -update ./internal/verify/ rewrites it.
func TestReadReport(t *testing.T) {
	d := day(t, 12, "announce")
	r := verifyDay(d, d.CenterURL+"/log/")
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got, err := verify.ReadReport(data)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := json.MarshalIndent(got, "", "  ")
	if !bytes.Equal(again, data) {
		t.Error("the report read back is not the report written")
	}
	if len(got.Findings) == 0 {
		t.Fatal("the altered announcement gave no findings")
	}
	if *update {
		// The address of the day's center changes from run to run.
		data = bytes.ReplaceAll(data, []byte(d.CenterURL), []byte("http://127.0.0.1:8080"))
		if err := os.WriteFile("testdata/report.json", append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	for _, tc := range []struct{ name, from, to, want string }{
		{"unknown field", `"stations":`, `"station_count": 1, "stations":`, `unknown field "station_count"`},
		{"no election", `"election": "`, `"election": "", "x": "`, `unknown field "x"`},
		{"counts", `"agreeing": `, `"agreeing": 1000`, `are not the`},
		{"by check", `"by_check": {`, `"by_check": {"impossible": 3,`, `says 3 impossible findings`},
		{"trailing", "", "", `more after the end of the JSON value`},
	} {
		bad := strings.Replace(string(data), tc.from, tc.to, 1)
		if tc.name == "trailing" {
			bad += "{}"
		}
		if _, err := verify.ReadReport([]byte(bad)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", tc.name, err, tc.want)
		}
	}
	if _, err := verify.ReadReport([]byte(`{"stations": 0}`)); err == nil || !strings.Contains(err.Error(), "no election") {
		t.Errorf("no election: %v", err)
	}
	if _, err := verify.ReadReport([]byte("{\n\"election\": 7}")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a wrong type: %v, want its line", err)
	}
}

func FuzzReadReport(f *testing.F) {
	if data, err := os.ReadFile("testdata/report.json"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"election":"e","stations":1,"agreeing":1,"differing":0,"uncounted":0,"by_check":{},"findings":[],"problems":[],"outcomes":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := verify.ReadReport(data)
		if err != nil {
			return
		}
		// What is read, written and read again is the same report.
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := verify.ReadReport(out)
		if err != nil {
			t.Fatalf("a report read once is refused the second time: %v", err)
		}
		out2, _ := json.Marshal(r2)
		if !bytes.Equal(out, out2) {
			t.Fatal("reading changes the report")
		}
	})
}

// TestSimulatedReport checks that a simulation's report says so, in its
// JSON (read back) and its text.
func TestSimulatedReport(t *testing.T) {
	data := []byte(`{"election":"e","simulated":true,"stations":0,"agreeing":0,"differing":0,"uncounted":0,"by_check":{},"findings":[],"problems":[],"outcomes":[]}`)
	r, err := verify.ReadReport(data)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Simulated {
		t.Error("read back not simulated")
	}
	var b strings.Builder
	r.WriteText(&b, 10)
	if !strings.Contains(b.String(), "SIMULATED FIGURES") {
		t.Errorf("text says:\n%s", b.String())
	}
	if out, _ := json.Marshal(&verify.Report{Election: "e"}); strings.Contains(string(out), "simulated") {
		t.Errorf("a real report's JSON says simulated: %s", out)
	}
}
