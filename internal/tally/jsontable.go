package tally

import (
	"fmt"
	"io"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/strictjson"
)

// readJSONTable reads a JSON table: an array of flat objects, or JSON Lines,
// one object a station, its keys mapped as a wide table's columns. Keys are
// matched exactly and none may be given twice in an object (strictjson);
// a count is a JSON number or a string of one, in canonical form; a
// station id part is a string or a number. Other keys are not read.
func readJSONTable(r io.Reader, m Mapping, def *election.Definition, ids *stationIndex, hint string, e *csvErrors) ([]CSVRow, []int32) {
	p, err := newCSVPlan(def, m)
	twice := make([]uint8, len(def.Stations))
	if err != nil {
		e.file(err.Error())
		return nil, nil
	}
	p.ids, p.json = ids, true
	// The "header" is every key the mapping names, once.
	var header []string
	col := map[string]int{}
	for _, s := range p.sums() {
		for _, n := range s.names {
			if _, ok := col[n]; !ok {
				col[n] = len(header)
				header = append(header, n)
			}
		}
	}
	p.bind(header, 0, e) // every key is in this header
	var (
		rows []CSVRow
		pos  []int32
		slab []int32
		rec  = make([]string, len(header))
		set  = make([]bool, len(header))
		any  bool
	)
	err = strictjson.Records(r, func(o *strictjson.Record) error {
		any = true
		where := fmt.Sprintf("object %d (line %d)", o.N, o.Line)
		clear(set)
		for _, mb := range o.Members {
			i, ok := col[mb.Name]
			if !ok {
				continue
			}
			switch mb.Kind {
			case '"', '0':
				rec[i], set[i] = mb.Value, true
			default:
				e.at(mb.Line, fmt.Sprintf("object %d: key %s: a JSON %s, not a number or a string", o.N, csvName(mb.Name), jsonKind(mb.Kind)))
				return nil
			}
		}
		var missing []string
		for i, ok := range set {
			if !ok {
				missing = append(missing, csvName(header[i]))
			}
		}
		switch {
		case len(missing) == 1:
			e.at(o.Line, fmt.Sprintf("object %d: no key %s", o.N, missing[0]))
			return nil
		case len(missing) > 1:
			e.at(o.Line, fmt.Sprintf("object %d: no keys %s", o.N, strings.Join(missing, ", ")))
			return nil
		}
		row, i, _, msg := p.row(rec, o.Line, nil, &slab)
		if msg != "" {
			e.at(o.Line, fmt.Sprintf("object %d: %s", o.N, msg))
			return nil
		}
		row.Where = where
		// Two objects of a station are enough to refuse it (refuseTwice);
		// a third is said here and not held.
		if twice[i] > 1 {
			e.at(o.Line, fmt.Sprintf("object %d: station %s given again: its objects from this file are dropped", o.N, row.Station))
			return nil
		}
		twice[i]++
		rows = append(rows, row)
		pos = append(pos, int32(i))
		return nil
	})
	if err != nil {
		msg := err.Error()
		if strings.Contains(msg, "invalid UTF-8") {
			msg += " " + hint
		}
		e.file(msg)
	} else if !any {
		e.file("no objects")
	}
	return rows, pos
}

func jsonKind(k byte) string {
	switch k {
	case 'n':
		return "null"
	case 't', 'f':
		return "boolean"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "value"
}
