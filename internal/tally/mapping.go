package tally

import (
	"errors"
	"fmt"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// Mapping says which columns of a CSV hold a station's id and its figures.
type Mapping struct {
	Station    []string            // columns whose values, joined with ".", are the station id
	Registered []string            // columns summed; nil: unknown
	Ballots    []string            // columns summed; nil: unknown
	Figures    map[string][]string // "CONTEST.CANDIDATE", "CONTEST.blank" or "CONTEST.null" → columns summed
}

// ve2024Candidates are the candidate columns of the Venezuelan observers'
// collection, which are also the candidate ids of the ve2024 template.
var ve2024Candidates = []string{"EG", "NM", "LM", "JABE", "JOBR", "AE", "CF", "DC", "EM", "BERA"}

// mappingVE2024 is the mapping named "ve2024", spelled out. Its figures name
// the contest, so that it also resolves in a definition of several contests.
func mappingVE2024() string {
	s := "station=CENTRO+MESA,registered=RE,ballots=VOTOS_VALIDOS+VOTOS_NULOS,president.null=VOTOS_NULOS"
	for _, c := range ve2024Candidates {
		s += ",president." + c + "=" + c
	}
	return s
}

// ParseMapping parses a mapping spec: comma-separated FIELD=COLUMNS, where FIELD is
// station, registered, ballots, CONTEST.CANDIDATE, CONTEST.blank, CONTEST.null, or a bare
// CANDIDATE / blank / null when the definition has one contest (resolve bare names against def);
// COLUMNS is one column name or several joined with "+" (station: joined with "."; numbers: summed).
// Spaces around fields and column names are ignored. A candidate whose id
// is station, registered or ballots must be named with its contest.
//
// The named mapping "ve2024" is the Venezuelan observers' collection:
// station=CENTRO+MESA, registered=RE, ballots=VOTOS_VALIDOS+VOTOS_NULOS, null=VOTOS_NULOS,
// and one entry per candidate column EG NM LM JABE JOBR AE CF DC EM BERA (blank unknown),
// all in the contest president.
//
// Errors name the field: unknown contest/candidate, station missing, a field given twice, empty column.
func ParseMapping(spec string, def *election.Definition) (Mapping, error) {
	label := "mapping"
	if strings.TrimSpace(spec) == "ve2024" {
		label, spec = "mapping ve2024", mappingVE2024()
	}
	fail := func(format string, args ...any) (Mapping, error) {
		return Mapping{}, fmt.Errorf(label+": "+format, args...)
	}
	if def == nil {
		return fail("no election definition")
	}
	if strings.TrimSpace(spec) == "" {
		return fail("empty")
	}
	var fields []MappingField
	for _, entry := range strings.Split(spec, ",") {
		field, cols, ok := strings.Cut(entry, "=")
		field = strings.TrimSpace(field)
		switch {
		case strings.TrimSpace(entry) == "":
			return fail("empty entry (two commas in a row?)")
		case !ok:
			return fail("%q is not FIELD=COLUMNS", csvClip(strings.TrimSpace(entry), 40))
		case field == "":
			return fail("%q has no field before =", csvClip(strings.TrimSpace(entry), 40))
		}
		f := MappingField{Field: field}
		for _, c := range strings.Split(cols, "+") {
			f.Columns = append(f.Columns, strings.TrimSpace(c))
		}
		fields = append(fields, f)
	}
	return newMapping(label, fields, def)
}

// MappingField is one field of a mapping and the columns that hold it.
type MappingField struct {
	Field   string   // station, registered, ballots, CONTEST.CANDIDATE, CONTEST.blank, CONTEST.null (or bare, with one contest)
	Columns []string // station: joined as a composite key; numbers: summed
}

// NewMapping makes a mapping of fields given one by one (a manifest's
// table of columns), which may name columns that the spec syntax of
// ParseMapping cannot (with a comma, + or =). Errors as ParseMapping's.
func NewMapping(fields []MappingField, def *election.Definition) (Mapping, error) {
	if def == nil {
		return Mapping{}, errors.New("mapping: no election definition")
	}
	return newMapping("mapping", fields, def)
}

func newMapping(label string, fields []MappingField, def *election.Definition) (Mapping, error) {
	fail := func(format string, args ...any) (Mapping, error) {
		return Mapping{}, fmt.Errorf(label+": "+format, args...)
	}
	m := Mapping{Figures: map[string][]string{}}
	seen := map[string]string{} // spelling of each field given, by resolved field
	for _, f := range fields {
		field := strings.TrimSpace(f.Field)
		key, err := mappingField(field, def)
		if err != nil {
			return fail("field %s: %v", csvName(field), err)
		}
		if prev, dup := seen[key]; dup {
			if prev == field {
				return fail("field %s given twice", csvName(field))
			}
			return fail("field %s given twice (also as %s)", csvName(field), csvName(prev))
		}
		seen[key] = field
		var list []string
		for _, c := range f.Columns {
			c = strings.TrimSpace(c)
			if c == "" {
				return fail("field %s: empty column name", csvName(field))
			}
			list = append(list, c)
		}
		if len(list) == 0 {
			return fail("field %s: no column", csvName(field))
		}
		switch key {
		case "station":
			m.Station = list
		case "registered":
			m.Registered = list
		case "ballots":
			m.Ballots = list
		default:
			m.Figures[key] = list
		}
	}
	if m.Station == nil {
		return fail("no station field (station=COLUMN or station=COLUMN+COLUMN)")
	}
	return m, nil
}

// mappingField returns the field a mapping spec names: "station",
// "registered", "ballots", or a figure as "CONTEST.CANDIDATE",
// "CONTEST.blank" or "CONTEST.null".
func mappingField(field string, def *election.Definition) (string, error) {
	switch field {
	case "station", "registered", "ballots":
		return field, nil
	}
	refs := mappingRefs(def, field)
	if len(def.Contests) == 1 {
		if j := contestFigure(def.Contests[0], field); j >= 0 {
			refs = append(refs, mappingRef{0, j})
		}
	}
	if len(refs) == 1 {
		c := def.Contests[refs[0].contest]
		return c.ID + "." + figureID(c, refs[0].figure), nil
	}
	if len(refs) > 1 {
		return "", ambiguous(def, refs)
	}
	for _, c := range def.Contests {
		if rest, ok := strings.CutPrefix(field, c.ID+"."); ok {
			return "", fmt.Errorf("unknown candidate %s of contest %s", csvName(rest), c.ID)
		}
	}
	switch {
	case len(def.Contests) == 1 && !strings.Contains(field, "."):
		return "", fmt.Errorf("unknown candidate %s of contest %s", csvName(field), def.Contests[0].ID)
	case strings.Contains(field, "."):
		return "", fmt.Errorf("unknown contest %s", csvName(field[:strings.LastIndex(field, ".")]))
	}
	for _, c := range def.Contests {
		if contestFigure(c, field) >= 0 {
			return "", fmt.Errorf("the election has %d contests: write CONTEST.%s", len(def.Contests), field)
		}
	}
	return "", fmt.Errorf("unknown candidate %s (in no contest)", csvName(field))
}

// mappingRef is a figure of a definition: the contest's position in
// def.Contests and the figure's among the contest's figures.
type mappingRef struct{ contest, figure int }

// mappingRefs returns every figure that "CONTEST.NAME" can name in def:
// none, one, or several if contest ids and candidate ids with dots make it
// ambiguous.
func mappingRefs(def *election.Definition, key string) []mappingRef {
	var refs []mappingRef
	for i, c := range def.Contests {
		if rest, ok := strings.CutPrefix(key, c.ID+"."); ok {
			if j := contestFigure(c, rest); j >= 0 {
				refs = append(refs, mappingRef{i, j})
			}
		}
	}
	return refs
}

// ambiguous is the error for a field that names several figures.
func ambiguous(def *election.Definition, refs []mappingRef) error {
	var s []string
	for _, r := range refs {
		c := def.Contests[r.contest]
		s = append(s, "contest "+c.ID+"'s "+figureID(c, r.figure))
	}
	return fmt.Errorf("ambiguous: %s", strings.Join(s, " or "))
}

// contestFigure returns the position of a figure of contest c among the
// contest's figures (its candidates, blank, null), or -1.
func contestFigure(c *election.Contest, name string) int {
	switch name {
	case "blank":
		return len(c.Candidates)
	case "null":
		return len(c.Candidates) + 1
	}
	for i, x := range c.Candidates {
		if x.ID == name {
			return i
		}
	}
	return -1
}

// figureID is the name of the figure at position j of contest c.
func figureID(c *election.Contest, j int) string {
	switch j {
	case len(c.Candidates):
		return "blank"
	case len(c.Candidates) + 1:
		return "null"
	}
	return c.Candidates[j].ID
}
