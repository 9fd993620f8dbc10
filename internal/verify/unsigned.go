package verify

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
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
// (KindAnnounced: held against every other source as the center's
// figures; but a table names no log size, so a station it lacks or one it
// gives that the log lacks is not held against the log: it may be older or
// newer than the log read). Rows that cannot be read, and
// stations given twice, are problems of the report; what can still be
// compared but a user must know is a warning; the rest are counts.
func (v *Verifier) AddTable(name string, kind SourceKind, r io.Reader, t tally.Table) {
	src := v.source(name, kind)
	if src.Layout == "" {
		src.Layout = string(cmp.Or(t.Layout, tally.LayoutWide))
	}
	if t.Name == "" {
		t.Name = name
	}
	h := &textHash{h: sha256.New()}
	rows, errs, warnings := tally.ReadTable(io.TeeReader(r, h), t, v.def)
	for _, err := range errs {
		v.problems = append(v.problems, tableProblem(name, t.Name, err))
	}
	for _, w := range warnings {
		v.warnings = append(v.warnings, Problem{Source: name, What: w})
	}
	io.Copy(h, r) // the whole of it, read or not
	src.sum = hex.EncodeToString(h.h.Sum(nil))
	v.gaps(src, rows)
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

// gaps says what a table's rows leave unknown: a candidate no row gives
// the votes of is a problem — nothing about it was compared, which a
// mapping that names no column for it, or a long table without its rows,
// would otherwise hide — unless the user said the source is partial; a
// station whose row lacks a candidate others give is a warning.
func (v *Verifier) gaps(src *Source, rows []tally.CSVRow) {
	type gap struct {
		given    []bool   // by candidate: some row gives it
		stations int      // rows with the contest
		short    []string // rows lacking a candidate some row gives
	}
	gaps := map[*election.Contest]*gap{}
	var order []*election.Contest
	for _, row := range rows {
		st := v.def.Station(row.Station)
		if st == nil {
			continue
		}
		ballot := v.def.Ballot(st)
		for i, c := range ballot {
			g := gaps[c]
			if g == nil {
				g = &gap{given: make([]bool, len(c.Candidates))}
				gaps[c], order = g, append(order, c)
			}
			g.stations++
			cands, _, _ := row.Figures.Contest(ballot, i)
			for j, x := range cands {
				if x != tally.Unknown {
					g.given[j] = true
				}
			}
		}
	}
	for _, row := range rows {
		st := v.def.Station(row.Station)
		if st == nil {
			continue
		}
		ballot := v.def.Ballot(st)
		for i, c := range ballot {
			g := gaps[c]
			cands, _, _ := row.Figures.Contest(ballot, i)
			for j, x := range cands {
				if x == tally.Unknown && g.given[j] {
					g.short = append(g.short, row.Station)
					break
				}
			}
		}
	}
	for _, c := range order {
		g := gaps[c]
		var missing []string
		for j, ok := range g.given {
			if !ok {
				missing = append(missing, c.Candidates[j].ID)
			}
		}
		if len(missing) > 0 {
			v.problems = append(v.problems, Problem{Source: src.key, Accepted: src.Partial, What: fmt.Sprintf(
				"gives no votes of %s of contest %s at any of its %d stations (no column mapped, or no row has them): nothing it says of them was compared",
				strings.Join(missing, ", "), c.ID, g.stations)})
		}
		if len(g.short) > 0 {
			v.warnings = append(v.warnings, Problem{Source: src.key, What: fmt.Sprintf(
				"%d stations lack the votes of a candidate of contest %s that its other stations give (%s): those figures were not compared there",
				len(g.short), c.ID, clipList(g.short, 8))})
		}
	}
}

// textHash hashes a table's text as its lines say it, whatever their ends:
// a byte-order mark and every carriage return dropped, so that one file
// saved with CRLF and LF is known as one.
type textHash struct {
	h     hash.Hash
	begun bool
}

func (t *textHash) Write(p []byte) (int, error) {
	n := len(p)
	if !t.begun && len(p) > 0 {
		t.begun = true
		p = bytes.TrimPrefix(p, []byte("\uFEFF"))
	}
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\r')
		if i < 0 {
			t.h.Write(p)
			break
		}
		t.h.Write(p[:i])
		p = p[i+1:]
	}
	return n, nil
}
