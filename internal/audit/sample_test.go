package audit_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

func TestParseMethodAndRiskLimit(t *testing.T) {
	for _, s := range []string{"macro", "bravo", "minerva", "alpha", "oneaudit"} {
		if m, err := audit.ParseMethod(s); err != nil || string(m) != s {
			t.Errorf("ParseMethod(%q) = %q, %v", s, m, err)
		}
	}
	if _, err := audit.ParseMethod("MACRO"); err == nil || !strings.Contains(err.Error(), `method "MACRO": want macro, bravo, minerva, alpha or oneaudit`) {
		t.Errorf("ParseMethod(MACRO): %v", err)
	}
	for in, want := range map[string]float64{"5%": 0.05, " 10% ": 0.1, "0.05": 0.05, "99.5%": 0.995} {
		if got, err := audit.ParseRiskLimit(in); err != nil || got != want {
			t.Errorf("ParseRiskLimit(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, want := range map[string]string{"five": "not a number", "0": "want more than 0", "100%": "less than 100%", "1": "less than 100%", "-5%": "want more than 0"} {
		if _, err := audit.ParseRiskLimit(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseRiskLimit(%q): %v, want an error containing %q", in, err, want)
		}
	}
}

// A hot sample written as CSV reads back as its stations.
func TestSampleCSV(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "hot", Stations: 20})
	tickets, err := audit.HotSample(f.Def, seed, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := audit.WriteSample(&b, tickets); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "ticket,station\n") || strings.Count(b.String(), "\n") != 11 {
		t.Fatalf("sample CSV:\n%s", b.String())
	}
	path := filepath.Join(t.TempDir(), "hot.csv")
	os.WriteFile(path, b.Bytes(), 0o644)
	got, err := audit.ReadSample(path)
	if err != nil || len(got) != 10 {
		t.Fatalf("ReadSample: %d stations, %v", len(got), err)
	}
	for _, tk := range tickets {
		if !got[tk.Item] {
			t.Errorf("station %s lost", tk.Item)
		}
	}
	os.WriteFile(path, []byte("ticket,box\n1,2\n"), 0o644)
	if _, err := audit.ReadSample(path); err == nil || !strings.Contains(err.Error(), `hot.csv: no column station in the header "ticket,box"`) {
		t.Errorf("a sample without a station column: %v", err)
	}
}
