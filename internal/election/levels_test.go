package election

import (
	"reflect"
	"testing"
)

func TestLevels(t *testing.T) {
	s := FormatLevels(VE2024.Levels)
	if s != "state=COD_EDO:EDO,municipality=COD_MUN:MUN,parish=COD_PAR:PAR,centre=CENTRO" {
		t.Errorf("FormatLevels(VE2024) = %q", s)
	}
	got, err := ParseLevels(s)
	if err != nil || !reflect.DeepEqual(got, VE2024.Levels) {
		t.Errorf("ParseLevels(%q) = %v, %v; want VE2024's", s, got, err)
	}
	for _, bad := range []string{"", "state", "state=", "=COD", "state=COD,,"} {
		if _, err := ParseLevels(bad); err == nil {
			t.Errorf("ParseLevels(%q): no error", bad)
		}
	}
	if id := TemplateID([]byte("triplicate election v1\nid ve2024\n")); id != "ve2024" {
		t.Errorf("TemplateID = %q", id)
	}
	if id := TemplateID([]byte("triplicate election v1\n")); id != "election" {
		t.Errorf("TemplateID without id = %q", id)
	}
}

// TestTemplateIDWindowsLineEndings: a template saved with Windows line
// endings names the same election (a key named "ve2024\r/..." is refused).
func TestTemplateIDWindowsLineEndings(t *testing.T) {
	if id := TemplateID([]byte("triplicate election v1\r\nid ve2024\r\nname X\r\n")); id != "ve2024" {
		t.Errorf("TemplateID = %q, want ve2024", id)
	}
}
