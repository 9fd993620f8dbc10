package verify

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// AddCSV reads per-station counts from an unsigned CSV (an observers'
// collection) with a column mapping. Rows that cannot be read are problems
// of the report; the others are counts, labelled unsigned.
func (v *Verifier) AddCSV(name string, r io.Reader, m tally.Mapping) {
	src := v.source(name, KindUnsigned)
	rows, errs := tally.ReadCSV(r, name, v.def, m)
	for _, err := range errs {
		p := Problem{Source: name, What: strings.TrimPrefix(err.Error(), name+": ")}
		// "name:LINE: what" → where "line LINE"
		if rest, ok := strings.CutPrefix(err.Error(), name+":"); ok {
			if line, what, ok := strings.Cut(rest, ": "); ok {
				if _, err := strconv.Atoi(line); err == nil {
					p.Where, p.What = "line "+line, what
				}
			}
		}
		v.problems = append(v.problems, p)
	}
	for _, row := range rows {
		st := v.def.Station(row.Station)
		if st == nil {
			continue // tally.ReadCSV reported it
		}
		v.add(st.ID, Count{Source: src, Where: fmt.Sprintf("line %d", row.Line), Kind: acta.Final, Figures: row.Figures, Index: -1})
	}
}
