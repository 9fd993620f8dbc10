package election

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Observe builds an observer's definition from a CSV of published results
// (name is the CSV's, for errors) in the layout the columns give: its
// stations enrol no machine, the jurisdiction tree comes from the levels'
// names, and the contests and candidates from the data. The template, if
// not nil, is a definition with no levels, areas or stations: its contest
// and candidate lines only name (and scope) contests and candidates the data
// have, and its other lines (id, name, parties, auditors, rules...) are
// kept. With no id or name in it, both come from the CSV's file name.
//
// Errors name the CSV's file, line and column, or the template's line.
func Observe(data []byte, name string, c Columns, template []byte, templateName string) (*Definition, error) {
	r, err := newCSVReader(data, name)
	if err != nil {
		return nil, err
	}
	res, err := r.read(c, templateContest(template, c))
	if err != nil {
		return nil, err
	}
	return res.definition(template, templateName, name)
}

// templateContest is the id of the one contest of a layout without contest
// names: the one Columns give, or the template's only contest, or
// "contest".
func templateContest(template []byte, c Columns) string {
	if c.Contest != "" {
		return c.Contest
	}
	var ids []string
	for _, line := range strings.Split(string(template), "\n") {
		if rest, ok := strings.CutPrefix(line, "contest "); ok {
			id, _, _ := strings.Cut(rest, " ")
			ids = append(ids, id)
		}
	}
	if len(ids) == 1 {
		return ids[0]
	}
	return "contest"
}

// read reads every row, checking it, into the results.
func (r *csvReader) read(c Columns, contestID string) (*results, error) {
	if len(c.Station) == 0 {
		return nil, fmt.Errorf("%s: no station column named", r.name)
	}
	if len(c.Levels) == 0 {
		return nil, fmt.Errorf("%s: no level columns named", r.name)
	}
	mapped := map[int]string{}
	idx := func(flag string, cols ...string) ([]int, error) {
		var out []int
		for _, col := range cols {
			i, err := r.index(flag, col)
			if err != nil {
				return nil, err
			}
			// A station id may take in a level's column (a centre and
			// its table); no other column serves twice.
			if prev, dup := mapped[i]; dup && !(prev == "-station" && flag == "-levels") {
				return nil, r.errAt(1, "", "column %q named by both %s and %s", col, prev, flag)
			}
			mapped[i] = flag
			out = append(out, i)
		}
		return out, nil
	}
	stationCols, err := idx("-station", c.Station...)
	if err != nil {
		return nil, err
	}
	levelCols, err := idx("-levels", c.Levels...)
	if err != nil {
		return nil, err
	}
	regCol := -1
	if c.Registered != "" {
		i, err := idx("-registered", c.Registered)
		if err != nil {
			return nil, err
		}
		regCol = i[0]
	}
	var rows [][]string
	var lines []int
	for {
		rec, line, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		rows, lines = append(rows, rec), append(lines, line)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no rows after the header", r.name)
	}

	res := &results{levels: c.Levels}
	root := &obsArea{children: map[string]*obsArea{}}
	byID := map[string]*obsStation{}
	byKey := map[string]*obsStation{}
	contests := map[string]*obsContest{}
	contest := func(id, name string, line int, column string) (*obsContest, error) {
		if x := contests[id]; x != nil {
			if x.name != name {
				return nil, r.errAt(line, column, "contests %q and %q would both have the id %s", x.name, name, id)
			}
			return x, nil
		}
		x := &obsContest{name: name, id: id, byName: map[string]bool{}}
		contests[id] = x
		res.contests = append(res.contests, x)
		return x, nil
	}
	// station reads the station of a row; new reports whether it is the
	// first row of it.
	station := func(rec []string, line int) (st *obsStation, new bool, err error) {
		var parts []string
		for k, i := range stationCols {
			if rec[i] == "" {
				return nil, false, r.errAt(line, c.Station[k], "empty cell (the station id)")
			}
			parts = append(parts, rec[i])
		}
		id := strings.Join(parts, ".")
		if !ValidID(id) {
			return nil, false, r.errAt(line, columnList(c.Station), "malformed station id %q (want 1 to 64 of A-Z a-z 0-9 . _ -)", clip(id, 70))
		}
		var names []string
		for k, i := range levelCols {
			if rec[i] == "" {
				return nil, false, r.errAt(line, c.Levels[k], "empty cell (the name of station %s's %s)", id, c.Levels[k])
			}
			names = append(names, rec[i])
		}
		reg := Unknown
		if regCol >= 0 && rec[regCol] != "" {
			if reg, err = r.count(line, c.Registered, rec[regCol]); err != nil {
				return nil, false, err
			}
		}
		area := root.area(names)
		if st := byID[id]; st != nil {
			switch {
			case c.Long == nil:
				return nil, false, r.errAt(line, "", "station %s already on line %d (one row a station in the wide layout)", id, st.line)
			case st.area != area:
				return nil, false, r.errAt(line, "", "station %s is in %s, but on line %d in %s", id, strings.Join(names, " / "), st.line, areaNames(st.area))
			case st.registered != reg:
				return nil, false, r.errAt(line, c.Registered, "station %s has %s registered voters, but %s on line %d", id, regText(reg), regText(st.registered), st.line)
			}
			return st, false, nil
		}
		key := stationKey(id)
		if prev := byKey[key]; prev != nil {
			return nil, false, r.errAt(line, columnList(c.Station), "station id %s is %s of line %d but for case or leading zeros: which is meant?", id, prev.id, prev.line)
		}
		st = &obsStation{id: id, line: line, area: area, registered: reg}
		byID[id], byKey[key] = st, st
		res.stations = append(res.stations, st)
		return st, true, nil
	}

	if c.Long != nil {
		if err := r.readLong(c, idx, rows, lines, station, contest, contestID); err != nil {
			return nil, err
		}
	} else if err := r.readWide(c, idx, mapped, rows, lines, station, contest, contestID); err != nil {
		return nil, err
	}
	root.codes("", &res.areas)
	return res, nil
}

type (
	idxFunc     func(flag string, cols ...string) ([]int, error)
	stationFunc func(rec []string, line int) (*obsStation, bool, error)
	contestFunc func(id, name string, line int, column string) (*obsContest, error)
)

// readWide reads one row a station, the candidates in columns.
func (r *csvReader) readWide(c Columns, idx idxFunc, mapped map[int]string, rows [][]string, lines []int, station stationFunc, contest contestFunc, contestID string) error {
	var figures []int // candidates', blank, null columns
	var cands []string
	if c.Blank != "" {
		i, err := idx("-blank", c.Blank)
		if err != nil {
			return err
		}
		figures = append(figures, i...)
	}
	if c.Null != "" {
		i, err := idx("-null", c.Null)
		if err != nil {
			return err
		}
		figures = append(figures, i...)
	}
	if c.Candidates != nil {
		i, err := idx("-candidates", c.Candidates...)
		if err != nil {
			return err
		}
		figures = append(figures, i...)
		cands = c.Candidates
	} else {
		// Every column of whole numbers not otherwise mapped: a column with
		// a cell of anything else (a name, a coordinate) is not a count.
		for i, h := range r.header {
			if _, ok := mapped[i]; ok || h == "" {
				continue
			}
			if !slices.ContainsFunc(rows, func(rec []string) bool { return !isWhole(rec[i]) && rec[i] != "" }) &&
				slices.ContainsFunc(rows, func(rec []string) bool { return rec[i] != "" }) {
				figures = append(figures, i)
				cands = append(cands, h)
			}
		}
		if len(cands) == 0 {
			return r.errAt(1, "", "no candidate columns: no column holds whole numbers only but those -station, -levels, -registered, -blank and -null name (name them with -candidates)")
		}
	}
	x, err := contest(contestID, "", 1, "")
	if err != nil {
		return err
	}
	for _, h := range cands {
		if err := x.addCandidate(h, r, 1, h); err != nil {
			return err
		}
	}
	for k, rec := range rows {
		st, _, err := station(rec, lines[k])
		if err != nil {
			return err
		}
		for _, i := range figures {
			if _, err := r.count(lines[k], r.header[i], rec[i]); err != nil {
				return err
			}
		}
		x.place(st)
	}
	return nil
}

// readLong reads one row a station, contest and candidate.
func (r *csvReader) readLong(c Columns, idx idxFunc, rows [][]string, lines []int, station stationFunc, contest contestFunc, contestID string) error {
	l := c.Long
	if l.Candidate == "" || l.Votes == "" {
		return fmt.Errorf("%s: the long layout needs a candidate and a votes column", r.name)
	}
	contestCol := -1
	if l.Contest != "" {
		i, err := idx("-long contest", l.Contest)
		if err != nil {
			return err
		}
		contestCol = i[0]
	}
	cand, err := idx("-long candidate", l.Candidate)
	if err != nil {
		return err
	}
	votes, err := idx("-long votes", l.Votes)
	if err != nil {
		return err
	}
	seen := map[[3]string]int{}
	for k, rec := range rows {
		line := lines[k]
		st, _, err := station(rec, line)
		if err != nil {
			return err
		}
		id, name := contestID, ""
		if contestCol >= 0 {
			if name = rec[contestCol]; name == "" {
				return r.errAt(line, l.Contest, "empty cell (the contest)")
			}
			if id = slug(name); id == "" {
				return r.errAt(line, l.Contest, "contest %q has no letter or digit to make an id of", clip(name, 40))
			}
		}
		x, err := contest(id, name, line, l.Contest)
		if err != nil {
			return err
		}
		who := rec[cand[0]]
		if who == "" {
			return r.errAt(line, l.Candidate, "empty cell (the candidate)")
		}
		if _, err := r.count(line, l.Votes, rec[votes[0]]); err != nil {
			return err
		}
		k3 := [3]string{st.id, id, who}
		if prev, dup := seen[k3]; dup {
			return r.errAt(line, "", "station %s, contest %s, candidate %q already on line %d", st.id, id, clip(who, 40), prev)
		}
		seen[k3] = line
		x.place(st)
		if who == c.Blank || who == c.Null {
			continue
		}
		if err := x.addCandidate(who, r, line, l.Candidate); err != nil {
			return err
		}
	}
	return nil
}

func areaNames(a *obsArea) string {
	var names []string
	for ; a.parent != nil; a = a.parent {
		names = append(names, a.name)
	}
	slices.Reverse(names)
	return strings.Join(names, " / ")
}

func regText(n int) string {
	if n == Unknown {
		return "unknown"
	}
	return fmt.Sprint(n)
}

func columnList(cols []string) string { return strings.Join(cols, "+") }
