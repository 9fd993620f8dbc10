package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// AddCSV reads per-station counts from an unsigned CSV (an observers'
// collection), one row per station, with a column mapping: AddTable of a
// wide table.
func (v *Verifier) AddCSV(name string, r io.Reader, m tally.Mapping) {
	v.AddTable(name, KindUnsigned, r, tally.Table{Name: name, Mapping: m})
}

// AddTable reads a table of per-station figures in any layout tally reads
// (wide, long, JSON, NIST SP 1500-100): unsigned counts (KindUnsigned), or
// the center's announced figures published in a layout of their own
// (KindAnnounced, then held against the log as the center's own
// announcement is, but without totals). Rows that cannot be read, and
// stations given twice, are problems of the report; what can still be
// compared but a user must know is a warning; the rest are counts.
func (v *Verifier) AddTable(name string, kind SourceKind, r io.Reader, t tally.Table) {
	src := v.source(name, kind)
	if src.Layout == "" {
		src.Layout = string(cmp0(t.Layout, tally.LayoutWide))
	}
	if t.Name == "" {
		t.Name = name
	}
	h := sha256.New()
	rows, errs, warnings := tally.ReadTable(io.TeeReader(r, h), t, v.def)
	for _, err := range errs {
		v.problems = append(v.problems, tableProblem(name, t.Name, err))
	}
	for _, w := range warnings {
		v.warnings = append(v.warnings, Problem{Source: name, What: w})
	}
	if kind == KindAnnounced {
		io.Copy(h, r) // the whole of it, read or not
		v.announcedSums = append(v.announcedSums, hex.EncodeToString(h.Sum(nil)))
	}
	for _, row := range rows {
		c := Count{Source: src, Where: row.Where, Kind: acta.Final, Figures: row.Figures, Index: -1}
		if p := int(row.Pos); p < len(v.def.Stations) && v.def.Stations[p].ID == row.Station {
			v.addAt(&v.stations[p], c)
			continue
		}
		v.add(row.Station, c)
	}
}

// tableProblem makes a problem of a table's error "FILE:LINE: what",
// "FILE: what" or "FILE:LINE:COLUMN: what", where FILE is how the table
// names itself.
func tableProblem(source, file string, err error) Problem {
	p := Problem{Source: source, What: strings.TrimPrefix(err.Error(), file+": ")}
	if rest, ok := strings.CutPrefix(err.Error(), file+":"); ok {
		if line, what, ok := strings.Cut(rest, ": "); ok {
			if _, err := strconv.Atoi(line); err == nil {
				p.Where, p.What = "line "+line, what
			}
		}
	}
	if source != file && p.Where == "" && !strings.Contains(p.What, file) {
		p.What = fmt.Sprintf("%s: %s", file, p.What)
	}
	return p
}

func cmp0(l, d tally.Layout) tally.Layout {
	if l == "" {
		return d
	}
	return l
}
