package forensics_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/forensics"
	"github.com/triplicate-vote/triplicate/internal/simulate/fraud"
)

var update = flag.Bool("update", false, "rewrite the pictures in doc/forensics")

// TestDocPictures draws the pictures of doc/forensics.md: the real data's
// fingerprints and, to compare, a simulated honest election and the same
// with extreme stuffing at 5% of its stations. With -update it writes
// them; without, it checks that they draw.
func TestDocPictures(t *testing.T) {
	bo, boRows := bolivia2019(t)
	ve, veRows := venezuelaCapital(t)
	pictures := []struct {
		name     string
		stations func() *forensics.Stations
	}{
		{"bolivia2019", func() *forensics.Stations {
			s, err := forensics.Read(bo, "", boRows, nil)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}},
		{"ve2024-capital-nm", func() *forensics.Stations {
			s, err := forensics.Read(ve, "", veRows, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Follow("NM"); err != nil {
				t.Fatal(err)
			}
			return s
		}},
		{"simulated-honest", func() *forensics.Stations {
			return fraud.Election(fraud.Config{Stations: 30000, Seed: 1, Signed: 0.3})
		}},
		{"simulated-extreme", func() *forensics.Stations {
			return fraud.Election(fraud.Config{Stations: 30000, Seed: 1, Signed: 0.3, Fraud: fraud.Extreme, Share: 0.05})
		}},
	}
	dir := filepath.Join("..", "..", "doc", "forensics")
	for _, p := range pictures {
		r := forensics.Analyze(p.stations(), forensics.Options{Resamples: 100, Seed: 1})
		var svg, png bytes.Buffer
		if err := r.WriteSVG(&svg, forensics.All); err != nil {
			t.Fatal(err)
		}
		if err := r.WritePNG(&png, forensics.All); err != nil {
			t.Fatal(err)
		}
		if !*update {
			continue
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for ext, data := range map[string][]byte{".svg": svg.Bytes(), ".png": png.Bytes()} {
			if err := os.WriteFile(filepath.Join(dir, p.name+ext), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
