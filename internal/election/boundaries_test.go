package election

import (
	"strings"
	"testing"
)

// A definition may name one boundaries file, beside it, pinned by its
// SHA-256; the line is written back as read and the digest covers it.
// Package boundaries reads and checks the file itself.
func TestBoundariesLine(t *testing.T) {
	const head = "triplicate election v1\nid e1\nname E\nlevels state\n"
	const rest = "contest c * C\ncandidate c a A\ncandidate c b B\narea 1 One\nstation 1.1 1 10 -\n"
	const sum = "6c942c17707416b0be39506157557a47dbf4bcb54a754ed633c79a39ce3419b7"
	for _, tc := range []struct {
		line, err string
	}{
		{"", ""},
		{"boundaries states.geojson " + sum + "\n", ""},
		{"boundaries ../states.geojson " + sum + "\n", "want a name of its own beside the definition"},
		{"boundaries /etc/states.geojson " + sum + "\n", "want a name of its own beside the definition"},
		{"boundaries .geojson " + sum + "\n", "not starting with a dot"},
		{"boundaries states.json " + sum + "\n", "ending in .geojson"},
		{"boundaries states.geojson " + strings.ToUpper(sum) + "\n", "malformed SHA-256"},
		{"boundaries states.geojson " + sum[:62] + "\n", "malformed SHA-256"},
		{"boundaries states.geojson\n", `want "boundaries FILE SHA256"`},
		{"boundaries states.geojson " + sum + "\nboundaries states.geojson " + sum + "\n", `repeated "boundaries" line`},
	} {
		d, err := Parse([]byte(head + tc.line + rest))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), "line 5: ") && !strings.HasPrefix(err.Error(), "line 6: ") {
				t.Errorf("%q: %v, want %q at its line", tc.line, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tc.line, err)
		}
		if (d.Boundaries != nil) != (tc.line != "") {
			t.Fatalf("%q: Boundaries %+v", tc.line, d.Boundaries)
		}
		again, err := Parse(d.Marshal())
		if err != nil || string(again.Marshal()) != string(d.Marshal()) || strings.Contains(string(d.Marshal()), "boundaries") != (tc.line != "") {
			t.Errorf("%q: written back as\n%s(%v)", tc.line, d.Marshal(), err)
		}
		if d.Boundaries != nil && (d.Boundaries.Line != 5 || d.Boundaries.Name != "states.geojson") {
			t.Errorf("%q: %+v", tc.line, d.Boundaries)
		}
	}
	// The digest covers the file: another file's digest is another definition.
	a, _ := Parse([]byte(head + "boundaries states.geojson " + sum + "\n" + rest))
	b, _ := Parse([]byte(head + "boundaries states.geojson " + strings.Replace(sum, "6c", "6d", 1) + "\n" + rest))
	if a.Digest() == b.Digest() {
		t.Error("two boundaries files, one definition digest")
	}
}
