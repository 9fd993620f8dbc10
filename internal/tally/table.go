package tally

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// Layout is how a table lays out its stations' figures.
type Layout string

const (
	LayoutWide Layout = "wide" // CSV, one row per station
	LayoutLong Layout = "long" // CSV, one row per station × contest × choice (most official open data)
	LayoutJSON Layout = "json" // JSON: an array of flat objects (or JSON Lines), one per station, keys mapped like wide columns
	LayoutNIST Layout = "nist" // NIST SP 1500-100 v2 election results, JSON
)

// Table is a file of per-station figures without signatures, and how to
// read it.
type Table struct {
	Name     string      // the file as errors name it
	Layout   Layout      // "" = wide
	Mapping  Mapping     // wide and json: columns/keys
	Long     LongMapping // long only
	NIST     NISTMapping // nist only
	IDs      IDRule      // station id normalisation
	Encoding string      // "" or "utf-8"; "latin-1" (read as Windows-1252)
	// Delimiter separates a CSV's fields: "" is a comma, or one character
	// such as ";" (as European exports have it) or a tab.
	Delimiter string
}

// ReadTable reads every station it can: rows one per station, in file
// order (a long table's in the order of each station's first row), the
// station id normalised by t.IDs and matched against the definition.
//
// errs has one error per row or file problem, naming the file, the line
// (or position) and the column (`trep.csv:17: column EG: "12a" is not a
// count`); a bad row never stops the rest. A station given twice — two rows
// of a wide or JSON table, one figure twice in a long one, two GpUnits in a
// NIST report — is an error naming both places, and every row of that
// station from this file is dropped: the reader never picks one.
//
// warnings say what can still be compared but a user must know: a label
// mapped but never seen, a mapped contest with no rows.
func ReadTable(r io.Reader, t Table, def *election.Definition) (rows []CSVRow, errs []error, warnings []string) {
	name := t.Name
	if name == "" {
		name = "table"
	}
	e := &csvErrors{name: name}
	if def == nil {
		e.file("no election definition")
		return nil, e.done(), nil
	}
	hint := `(Latin-1? declare encoding = "latin-1")`
	switch strings.ToLower(t.Encoding) {
	case "", "utf-8", "utf8":
	case "latin-1", "latin1", "iso-8859-1", "windows-1252", "cp1252":
		r = charmap.Windows1252.NewDecoder().Reader(r)
	default:
		e.file(fmt.Sprintf("unknown encoding %s (want utf-8 or latin-1)", strconv.Quote(t.Encoding)))
		return nil, e.done(), nil
	}
	comma, bad := delimiter(t.Delimiter)
	if bad != "" {
		e.file(bad)
		return nil, e.done(), nil
	}
	if strings.ContainsAny(t.IDs.Drop, t.IDs.join()) {
		// The definition's ids are split at Join before Drop applies;
		// a table's one-column id would lose it instead, and match
		// another station ("1.2" read as "12").
		e.file(fmt.Sprintf("station ids: drop %s holds the join %s: drop the separator inside a part, not the one between parts", strconv.Quote(t.IDs.Drop), strconv.Quote(t.IDs.join())))
		return nil, e.done(), nil
	}
	ids, clashes := newStationIndex(def, t.IDs)
	for _, c := range clashes {
		e.file(c)
	}
	var pos []int32
	switch t.Layout {
	case "", LayoutWide:
		p, err := newCSVPlan(def, t.Mapping)
		if err != nil {
			e.file(err.Error())
			return nil, e.done(), nil
		}
		p.ids, p.hint, p.comma, p.seen = ids, hint, comma, make([]int32, len(def.Stations))
		rows, pos = p.read(r, e)
	case LayoutLong:
		rows, warnings = readLong(r, t.Long, def, ids, hint, comma, e)
		return rows, e.done(), warnings
	case LayoutJSON:
		rows, pos = readJSONTable(r, t.Mapping, def, ids, hint, e)
	case LayoutNIST:
		rows, pos, warnings = readNIST(r, t.NIST, def, ids, e)
	default:
		e.file(fmt.Sprintf("unknown layout %s (want wide, long, json or nist)", strconv.Quote(string(t.Layout))))
		return nil, e.done(), nil
	}
	for i := range rows {
		rows[i].Pos = pos[i]
	}
	return refuseTwice(rows, pos, len(def.Stations), e), e.done(), warnings
}

// delimiter returns a table's field delimiter, or why it cannot be one.
func delimiter(d string) (rune, string) {
	if d == "" {
		return 0, ""
	}
	r, n := utf8.DecodeRuneInString(d)
	if n != len(d) || r == utf8.RuneError || r == '"' || r == '\r' || r == '\n' {
		return 0, fmt.Sprintf("delimiter %s: want one character, not a quote or a line end", strconv.Quote(d))
	}
	return r, ""
}

// refuseTwice drops every row of a station given more than once, with an
// error naming the first place and each other.
func refuseTwice(rows []CSVRow, pos []int32, stations int, e *csvErrors) []CSVRow {
	first := make([]int32, stations) // 1 + the row of each station's first, 0: none
	twice := false
	for i, r := range rows {
		p := pos[i]
		if first[p] == 0 {
			first[p] = int32(i + 1)
			continue
		}
		if first[p] > 0 {
			first[p] = -first[p] // given twice
		}
		twice = true
		f := rows[-first[p]-1]
		e.near(r.Line, r.Where, fmt.Sprintf("station %s given twice, at %s and %s: its rows from this file are dropped", r.Station, f.Where, r.Where))
	}
	if !twice {
		return rows
	}
	kept := rows[:0]
	for i, r := range rows {
		if first[pos[i]] > 0 {
			kept = append(kept, r)
		}
	}
	return kept
}
