package election

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Layout says which CSV columns hold a station's place, id and registered voters.
type Layout struct {
	// Levels are the jurisdiction levels, outermost first. Code is the column
	// with the level's id; Name, if set, the column with its name.
	Levels []LevelColumns
	// Table is the column with the table number within the innermost level;
	// a station's id is the innermost level's code, ".", and the table.
	Table string
	// Registered is the column with the registered voters.
	Registered string
	// Districts are columns naming districts a station is in: each row's
	// value in each (when not empty) is a district's id, for districts
	// that are not one area of the tree (a congressional district, a
	// county's) and need not nest.
	Districts []string
}

// LevelColumns names one jurisdiction level and its columns.
type LevelColumns struct {
	Level, Code, Name string
}

// VE2024 is the layout of the Venezuelan 2024 observers' collection
// (resultadosconvzla), with tables identified by (CENTRO, MESA).
var VE2024 = Layout{
	Levels: []LevelColumns{
		{"state", "COD_EDO", "EDO"},
		{"municipality", "COD_MUN", "MUN"},
		{"parish", "COD_PAR", "PAR"},
		{"centre", "CENTRO", ""},
	},
	Table:      "MESA",
	Registered: "RE",
}

// StationRow is one station read from a CSV, before it has a machine key.
type StationRow struct {
	Line       int
	ID         string
	Areas      []Area // from the outermost level down to the station's area
	Registered int
	Districts  []string // the districts it is in, by the layout's columns
}

// ReadStations reads a CSV of stations in the given layout. name is used in
// error messages. It stops at the first malformed row, naming its line.
func ReadStations(r io.Reader, name string, l Layout) ([]StationRow, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%s: not UTF-8 text", name)
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading header: %v", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	need := append([]string{l.Table, l.Registered}, l.Districts...)
	for _, lv := range l.Levels {
		need = append(need, lv.Code)
		if lv.Name != "" {
			need = append(need, lv.Name)
		}
	}
	for _, c := range need {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("%s: header has no column %q (have %s)", name, c, strings.Join(header, ","))
		}
	}
	var rows []StationRow
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s:%d: %v", name, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		line, _ := cr.FieldPos(0)
		for i, field := range rec {
			if j := strings.IndexFunc(field, unicode.IsControl); j >= 0 {
				r, _ := utf8.DecodeRuneInString(field[j:])
				return nil, fmt.Errorf("%s:%d: column %s: control character %U", name, line, header[min(i, len(header)-1)], r)
			}
		}
		get := func(c string) string { return strings.TrimSpace(rec[col[c]]) }
		row := StationRow{Line: line}
		path := ""
		for _, lv := range l.Levels {
			code := get(lv.Code)
			if !ValidID(code) {
				return nil, fmt.Errorf("%s:%d: column %s: malformed id %q", name, line, lv.Code, clip(code, 40))
			}
			if path != "" {
				path += "/"
			}
			path += code
			an := code
			if lv.Name != "" && get(lv.Name) != "" {
				an = get(lv.Name)
			}
			row.Areas = append(row.Areas, Area{Path: path, Name: an})
		}
		table := get(l.Table)
		row.ID = get(l.Levels[len(l.Levels)-1].Code) + "." + table
		if !ValidID(table) || !ValidID(row.ID) {
			return nil, fmt.Errorf("%s:%d: column %s: malformed table %q", name, line, l.Table, clip(table, 40))
		}
		if prev, dup := seen[row.ID]; dup {
			return nil, fmt.Errorf("%s:%d: station %s already on line %d", name, line, row.ID, prev)
		}
		seen[row.ID] = line
		if row.Registered, err = ParseCount(get(l.Registered)); err != nil {
			return nil, fmt.Errorf("%s:%d: station %s: column %s: %v", name, line, row.ID, l.Registered, err)
		}
		for _, c := range l.Districts {
			id := get(c)
			switch {
			case id == "":
			case !ValidID(id):
				return nil, fmt.Errorf("%s:%d: station %s: column %s: malformed district id %q", name, line, row.ID, c, clip(id, 40))
			case !slices.Contains(row.Districts, id):
				row.Districts = append(row.Districts, id)
			}
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no stations", name)
	}
	return rows, nil
}

// writeDistricts writes the districts the rows' district columns name,
// each declared (with its id for a name) unless the template declares it,
// and each station a member of its own.
func writeDistricts(b *strings.Builder, template string, rows []StationRow) {
	declared := map[string]bool{}
	for _, line := range strings.Split(template, "\n") {
		if f := strings.Fields(line); len(f) >= 3 && f[0] == "district" && f[2] != "area" && f[2] != "station" {
			declared[f[1]] = true
		}
	}
	for _, r := range rows {
		for _, id := range r.Districts {
			if !declared[id] {
				declared[id] = true
				fmt.Fprintf(b, "district %s %s\n", id, id)
			}
		}
	}
	for _, r := range rows {
		for _, id := range r.Districts {
			fmt.Fprintf(b, "district %s station %s\n", id, r.ID)
		}
	}
}

// Build makes a definition from a template (a definition with no levels,
// areas or stations: id, name, contests, parties, witnesses, auditors) and
// the stations read from a CSV, with a machine key for each station given by
// keyFor. The levels come from the layout. Errors in the template name the
// template and its line; errors in the stations name the station. A
// template with an authority line gives a definition still to [Sign].
func Build(template []byte, templateName string, l Layout, rows []StationRow, keyFor func(station string) (vkey string, err error)) (*Definition, error) {
	text := strings.ReplaceAll(string(bytes.TrimPrefix(template, []byte("\uFEFF"))), "\r\n", "\n")
	text = strings.TrimSuffix(text, "\n")
	var b strings.Builder
	for i, line := range strings.Split(text, "\n") {
		if w, _, _ := strings.Cut(line, " "); w == "area" || w == "station" || w == "levels" {
			return nil, fmt.Errorf("%s:%d: unexpected %q line: levels, areas and stations come from the CSV", templateName, i+1, w)
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	templateLines := strings.Count(b.String(), "\n")
	b.WriteString("levels")
	for _, lv := range l.Levels {
		b.WriteString(" " + lv.Level)
	}
	b.WriteByte('\n')
	declared := map[string]bool{}
	for _, r := range rows {
		for _, a := range r.Areas {
			if !declared[a.Path] {
				declared[a.Path] = true
				fmt.Fprintf(&b, "area %s %s\n", a.Path, a.Name)
			}
		}
	}
	for _, r := range rows {
		key, err := keyFor(r.ID)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "station %s %s %d %s\n", r.ID, r.Areas[len(r.Areas)-1].Path, r.Registered, key)
	}
	writeDistricts(&b, text, rows)
	// Unsigned: a template with an authority line gives a definition to sign.
	d, err := parse([]byte(b.String()))
	var list ErrorList
	if errors.As(err, &list) {
		var msgs []string
		for _, e := range list {
			switch {
			case e.Line == 0:
				msgs = append(msgs, e.Msg)
			case e.Line <= templateLines:
				msgs = append(msgs, fmt.Sprintf("%s:%d: %s", templateName, e.Line, e.Msg))
			case e.Station != "":
				msgs = append(msgs, fmt.Sprintf("station %s: %s", e.Station, e.Msg))
			default:
				msgs = append(msgs, e.Msg)
			}
		}
		return nil, errors.New(strings.Join(msgs, "\n"))
	}
	return d, err
}
