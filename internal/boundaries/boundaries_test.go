package boundaries

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// usStates is the real boundaries in testdata (README.md there).
func usStates(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/us-states.geojson")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// usDefinition is an observer's definition of one station in each state
// of the file, plus one area ("99") that has no boundaries, naming a
// boundaries file whose contents are data.
func usDefinition(t testing.TB, states, data []byte) *election.Definition {
	t.Helper()
	var fc struct {
		Features []struct {
			Properties struct{ Area, Name string }
		}
	}
	if err := json.Unmarshal(states, &fc); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "triplicate election v1\nid us\nname United States\nlevels state\nboundaries us-states.geojson %x\n", sha256.Sum256(data))
	b.WriteString("contest president * President\ncandidate president A Candidate A\ncandidate president B Candidate B\n")
	for _, f := range fc.Features {
		fmt.Fprintf(&b, "area %s %s\n", f.Properties.Area, f.Properties.Name)
	}
	b.WriteString("area 99 Nowhere\n")
	for _, f := range fc.Features {
		fmt.Fprintf(&b, "station s%s %s 1000 -\n", f.Properties.Area, f.Properties.Area)
	}
	def, err := election.Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return def
}

func TestReadUSStates(t *testing.T) {
	data := usStates(t)
	def := usDefinition(t, data, data)
	m, err := Read(def, "testdata")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Areas) != 49 {
		t.Errorf("%d areas, want the 48 contiguous states and DC", len(m.Areas))
	}
	tx := m.Areas["48"] // Texas
	if b := tx.Bound(); b.Min[0] > -106 || b.Max[0] < -93.6 || b.Min[1] > 26 || b.Max[1] < 36.4 {
		t.Errorf("Texas spans %v, not its longitudes and latitudes", b)
	}
	if m.Areas["99"] != nil {
		t.Error("an area without a feature has a shape")
	}
	// A definition without a boundaries line has no map, and no error.
	def.Boundaries = nil
	if m, err := Read(def, "testdata"); m != nil || err != nil {
		t.Errorf("no boundaries line: %v, %v", m, err)
	}
}

// A stolen or swapped file: the definition pins the file's digest, so a
// map redrawn to move an area (or any other byte) is refused, at the line.
func TestReadRefusesAnotherFile(t *testing.T) {
	data := usStates(t)
	def := usDefinition(t, data, data)
	dir := t.TempDir()
	swapped := strings.Replace(string(data), `"area":"48"`, `"area":"99"`, 1)
	if err := os.WriteFile(filepath.Join(dir, "us-states.geojson"), []byte(swapped), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Read(def, dir)
	wantLineError(t, err, def.Boundaries.Line, "but the definition pins")
	// One byte changed anywhere is refused.
	for _, i := range []int{0, len(data) / 2, len(data) - 1} {
		b := []byte(string(data))
		b[i] ^= 1
		if _, err := Parse(def, b); err == nil || !strings.Contains(err.Error(), "but the definition pins") {
			t.Errorf("byte %d changed: %v", i, err)
		}
	}
	_, err = Read(def, t.TempDir())
	wantLineError(t, err, def.Boundaries.Line, "cannot read it beside the definition")
}

// A hostile or mistaken file, pinned by the definition all the same, is
// refused with the feature's index.
func TestParseRefuses(t *testing.T) {
	poly := `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}`
	feature := func(props, geom string) string {
		return `{"type":"Feature","properties":` + props + `,"geometry":` + geom + `}`
	}
	fc := func(features ...string) string {
		return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
	}
	ok := feature(`{"area":"01"}`, poly)
	for _, tc := range []struct{ name, file, want string }{
		{"not json", `{"type":`, "not GeoJSON"},
		{"empty", ``, "not GeoJSON"},
		{"a feature alone", ok, "not a feature collection"},
		{"not a feature", fc(`{"type":"Thing","properties":{"area":"01"},"geometry":` + poly + `}`), "not a feature: type=Thing"},
		{"no type", `{"features":[]}`, "not a feature collection"},
		{"unknown area", fc(ok, feature(`{"area":"77"}`, poly)), `feature 1: unknown area "77"`},
		{"markup for an area", fc(feature(`{"area":"<script>alert(1)</script>"}`, poly)), `feature 0: unknown area "<script>alert(1)</script>"`},
		{"a long name", fc(feature(`{"area":"`+strings.Repeat("é", 100)+`"}`, poly)), "…\""},
		{"area twice", fc(ok, ok), "feature 1: area 01 has a feature already"},
		{"no area", fc(feature(`{"name":"x"}`, poly)), `feature 0: no property "area"`},
		{"area a number", fc(feature(`{"area":1}`, poly)), `feature 0: no property "area"`},
		{"point", fc(feature(`{"area":"01"}`, `{"type":"Point","coordinates":[0,0]}`)), "feature 0: area 01: a Point, not a Polygon"},
		{"no geometry", fc(feature(`{"area":"01"}`, `null`)), "feature 0: area 01: no geometry"},
		{"open ring", fc(feature(`{"area":"01"}`, `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}`)), "not closed"},
		{"short ring", fc(feature(`{"area":"01"}`, `{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}`)), "3 positions"},
		{"no ring", fc(feature(`{"area":"01"}`, `{"type":"Polygon","coordinates":[]}`)), "no ring"},
		{"off the globe", fc(feature(`{"area":"01"}`, `{"type":"Polygon","coordinates":[[[0,0],[1000,0],[1,1],[0,0]]]}`)), "is not a longitude and latitude"},
		{"empty multipolygon", fc(feature(`{"area":"01"}`, `{"type":"MultiPolygon","coordinates":[]}`)), "empty MultiPolygon"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := usStates(t)
			def := usDefinition(t, data, []byte(tc.file))
			_, err := Parse(def, []byte(tc.file))
			wantLineError(t, err, def.Boundaries.Line, tc.want)
		})
	}
}

// A file too large to be a page's map is refused before it is read whole.
func TestParseRefusesHuge(t *testing.T) {
	data := usStates(t)
	def := usDefinition(t, data, data)
	_, err := Parse(def, make([]byte, MaxFileSize+1))
	wantLineError(t, err, def.Boundaries.Line, "larger than")
}

func wantLineError(t *testing.T, err error, line int, want string) {
	t.Helper()
	var list election.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("error %v, want an election.ErrorList", err)
	}
	if list[0].Line != line || !strings.Contains(list[0].Error(), want) || !strings.Contains(list[0].Error(), "boundaries us-states.geojson") {
		t.Errorf("error %q at line %d, want %q at line %d", list[0].Error(), list[0].Line, want, line)
	}
}

// Whatever the file, Parse refuses it or returns shapes of the
// definition's areas, on the globe.
func FuzzParse(f *testing.F) {
	data := usStates(f)
	f.Add(data[:2000])
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"area":"01"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"area":"01"},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}}]}`))
	def := usDefinition(f, data, data)
	f.Fuzz(func(t *testing.T, b []byte) {
		def.Boundaries.SHA256 = sha256.Sum256(b)
		m, err := Parse(def, b)
		if err != nil {
			return
		}
		for path, mp := range m.Areas {
			if def.Area(path) == nil {
				t.Fatalf("accepted a shape of unknown area %q", path)
			}
			for _, p := range mp {
				for _, r := range p {
					for _, pt := range r {
						if !(pt[0] >= -180 && pt[0] <= 180 && pt[1] >= -90 && pt[1] <= 90) {
							t.Fatalf("accepted position %v", pt)
						}
					}
				}
			}
		}
	})
}
