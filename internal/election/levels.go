package election

import (
	"fmt"
	"strings"
)

// ParseLevels parses jurisdiction levels and their columns, outermost
// first, as LEVEL=CODE[:NAME],... (CODE the column of the level's id, NAME
// of its name): the Levels of a Layout.
func ParseLevels(s string) ([]LevelColumns, error) {
	var out []LevelColumns
	for _, part := range strings.Split(s, ",") {
		level, cols, ok := strings.Cut(part, "=")
		code, name, _ := strings.Cut(cols, ":")
		if !ok || level == "" || code == "" {
			return nil, fmt.Errorf("malformed level %q (want LEVEL=CODE or LEVEL=CODE:NAME)", part)
		}
		out = append(out, LevelColumns{Level: level, Code: code, Name: name})
	}
	return out, nil
}

// FormatLevels is the text of levels that ParseLevels reads.
func FormatLevels(levels []LevelColumns) string {
	var parts []string
	for _, lv := range levels {
		s := lv.Level + "=" + lv.Code
		if lv.Name != "" {
			s += ":" + lv.Name
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ",")
}

// TemplateID returns the election id a template declares (its "id" line),
// or "election" if it declares none: for the names of keys made before the
// definition is built.
func TemplateID(template []byte) string {
	for _, line := range strings.Split(string(template), "\n") {
		// A template saved with Windows line endings reads the same.
		if id, ok := strings.CutPrefix(strings.TrimSuffix(line, "\r"), "id "); ok {
			return id
		}
	}
	return "election"
}
