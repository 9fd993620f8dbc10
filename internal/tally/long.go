package tally

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// LongMapping says which columns of a long table (one row per station ×
// contest × choice, as most official open data is) hold what, and what the
// file's labels of contests and choices are in the definition.
type LongMapping struct {
	Station  []string          // columns, joined as a composite key
	Contest  string            // column naming the contest; "" when the definition has one contest
	Choice   string            // column naming the candidate/list (or blank, null, registered, ballots)
	Votes    string            // column with the count
	Contests map[string]string // contest label in the file → contest id (nil: labels are ids)
	// Choices maps a choice label to "CONTEST.CANDIDATE", "CONTEST.blank",
	// "CONTEST.null", "registered", "ballots", or a bare CANDIDATE, blank or
	// null, which is of the row's contest (of the only contest when there is
	// no contest column). nil: labels are such names.
	Choices map[string]string
}

// longFigure is where a row's count goes: a figure of a contest (by its
// position in def.Contests and in the contest's figures), or registered or
// ballots.
type longFigure struct{ contest, figure int32 }

const (
	longBad        = -1 // the label was reported
	longRegistered = -2
	longBallots    = -3
)

// longPlan is a long mapping resolved against a definition and a header.
type longPlan struct {
	def      *election.Definition
	m        LongMapping
	ids      *stationIndex
	e        *csvErrors
	hint     string
	header   []string
	station  []int // columns
	contest  int   // -1: none
	choice   int
	votes    int
	targets  map[string]longFigure // Choices resolved; contest -1: of the row's contest, figure -1-k: bare name k
	bare     []string
	contests map[string]int32        // label → position in def.Contests, or longBad
	choices  []map[string]longFigure // by 1 + the row's contest (0: none): label → figure
	badLabel map[string]bool         // choice labels reported
	seen     map[string]bool         // labels of Choices and Contests seen in the file
	ballots  map[string]*longBallot  // by area path
	parts    []string
}

// longBallot is where each contest's figures start in the Votes of a
// station of one area, -1 for contests not on its ballot.
type longBallot struct {
	off []int32
	n   int
}

// longStation is a station being read: its row, where its ballot's
// figures are, the line that gave each (registered, ballots, votes…).
type longStation struct {
	row     int
	ballot  *longBallot
	lines   []int32
	dropped bool
}

func newLongPlan(def *election.Definition, m LongMapping) (*longPlan, error) {
	p := &longPlan{def: def, m: m, contest: -1,
		contests: map[string]int32{}, choices: make([]map[string]longFigure, len(def.Contests)+1),
		badLabel: map[string]bool{}, seen: map[string]bool{}, ballots: map[string]*longBallot{}}
	for i := range p.choices {
		p.choices[i] = map[string]longFigure{}
	}
	switch {
	case len(m.Station) == 0:
		return nil, errors.New("long mapping has no station column")
	case m.Choice == "":
		return nil, errors.New("long mapping has no choice column")
	case m.Votes == "":
		return nil, errors.New("long mapping has no votes column")
	}
	for _, label := range slices.Sorted(maps.Keys(m.Contests)) {
		if def.Contest(m.Contests[label]) == nil {
			return nil, fmt.Errorf("long mapping: contest label %s maps to unknown contest %s", csvName(label), csvName(m.Contests[label]))
		}
	}
	if m.Choices != nil {
		p.targets = map[string]longFigure{}
		for _, label := range slices.Sorted(maps.Keys(m.Choices)) {
			f, err := p.target(m.Choices[label])
			if err != nil {
				return nil, fmt.Errorf("long mapping: choice label %s: %v", csvName(label), err)
			}
			p.targets[label] = f
		}
	}
	return p, nil
}

// target resolves what a choice label names, in the contest of its row
// when it names no contest.
func (p *longPlan) target(t string) (longFigure, error) {
	switch t {
	case "registered":
		return longFigure{longRegistered, 0}, nil
	case "ballots":
		return longFigure{longBallots, 0}, nil
	}
	refs := mappingRefs(p.def, t)
	switch {
	case len(refs) > 1:
		return longFigure{}, ambiguous(p.def, refs)
	case len(refs) == 1:
		return longFigure{int32(refs[0].contest), int32(refs[0].figure)}, nil
	}
	for _, c := range p.def.Contests {
		if contestFigure(c, t) >= 0 {
			p.bare = append(p.bare, t)
			return longFigure{-1, int32(-len(p.bare))}, nil
		}
	}
	return longFigure{}, fmt.Errorf("unknown figure %s (want CONTEST.CANDIDATE, CANDIDATE, blank, null, registered or ballots)", csvName(t))
}

// bind finds the mapped columns in the header.
func (p *longPlan) bind(header []string, line int) bool {
	p.header = header
	pos := map[string]int{}
	twice := map[string]bool{}
	for i, h := range header {
		if _, ok := pos[h]; ok {
			twice[h] = true
		}
		pos[h] = i
	}
	var missing []string
	col := func(name string) int {
		i, ok := pos[name]
		switch {
		case !ok:
			missing = append(missing, csvName(name))
		case twice[name]:
			p.e.at(line, "header has column "+csvName(name)+" more than once")
		}
		return i
	}
	for _, s := range p.m.Station {
		p.station = append(p.station, col(s))
	}
	if p.m.Contest != "" {
		p.contest = col(p.m.Contest)
	}
	p.choice, p.votes = col(p.m.Choice), col(p.m.Votes)
	if len(missing) > 0 {
		msg := "header has no column " + missing[0]
		if len(missing) > 1 {
			msg = "header has no columns " + strings.Join(missing, ", ")
		}
		msg += delimiterHint(header)
		p.e.at(line, msg)
		return false
	}
	for _, s := range p.m.Station {
		if twice[s] {
			return false
		}
	}
	return !twice[p.m.Contest] && !twice[p.m.Choice] && !twice[p.m.Votes]
}

// readLong reads a long table: each row one figure of one station, the
// rows of a station anywhere in the file. Only the stations' figures are
// held, not the file.
func readLong(r io.Reader, m LongMapping, def *election.Definition, ids *stationIndex, hint string, comma rune, e *csvErrors) ([]CSVRow, []string) {
	p, err := newLongPlan(def, m)
	if err != nil {
		e.file(err.Error())
		return nil, nil
	}
	p.ids, p.e, p.hint = ids, e, hint
	cr := newTableReader(r, comma)
	header, headerLine, ok := readHeader(cr, e, hint)
	if !ok || !p.bind(header, headerLine) {
		return nil, nil
	}
	var (
		rows    []CSVRow
		acc     []longStation
		at      = make([]int32, len(def.Stations)) // 1 + each station's position in rows, 0: none
		slab    []int32
		lines   []int32
		dropped bool
	)
	for rec, line := range records(cr, e) {
		pos, fig, n, msg := p.row(rec, line, cr)
		if msg != "" {
			e.at(line, msg)
			continue
		}
		if pos < 0 {
			continue // a label already reported
		}
		if at[pos] == 0 {
			st := def.Stations[pos]
			b := p.ballot(st)
			if len(slab) < b.n {
				slab = make([]int32, max(b.n, 1<<14))
			}
			if len(lines) < b.n+2 {
				lines = make([]int32, max(b.n+2, 1<<14))
			}
			f := Figures{Registered: Unknown, Ballots: Unknown, Votes: slab[:b.n:b.n]}
			slab = slab[b.n:]
			for i := range f.Votes {
				f.Votes[i] = Unknown
			}
			rows = append(rows, CSVRow{Line: line, Station: st.ID, Figures: f, Pos: int32(pos)})
			acc = append(acc, longStation{row: len(rows) - 1, ballot: b, lines: lines[: b.n+2 : b.n+2]})
			lines = lines[b.n+2:]
			at[pos] = int32(len(rows))
		}
		s := &acc[at[pos]-1]
		row := &rows[s.row]
		var slot int
		switch fig.contest {
		case longRegistered:
			slot = 0
		case longBallots:
			slot = 1
		default:
			off := s.ballot.off[fig.contest]
			if off < 0 {
				e.at(line, fmt.Sprintf("contest %s is not on the ballot of station %s", def.Contests[fig.contest].ID, row.Station))
				continue
			}
			slot = 2 + int(off) + int(fig.figure)
		}
		if s.dropped {
			continue
		}
		if prev := s.lines[slot]; prev != 0 {
			e.at(line, fmt.Sprintf("station %s: %s given twice, on lines %d and %d: its rows from this file are dropped", row.Station, p.figureName(fig), prev, line))
			s.dropped, dropped = true, true
			continue
		}
		s.lines[slot] = int32(line)
		switch slot {
		case 0:
			row.Figures.Registered = n
		case 1:
			row.Figures.Ballots = n
		default:
			row.Figures.Votes[slot-2] = n
		}
	}
	if dropped {
		kept := rows[:0]
		for i := range acc {
			if !acc[i].dropped {
				kept = append(kept, rows[acc[i].row])
			}
		}
		rows = kept
	}
	fillWhere(rows)
	return rows, p.warnings()
}

// row reads one row: its station's position in the definition, the figure
// it gives and the count, or why not. A row whose label was already
// reported gives position -1 and no message.
func (p *longPlan) row(rec []string, line int, cr *csv.Reader) (int, longFigure, int32, string) {
	if len(rec) != len(p.header) {
		return -1, longFigure{}, 0, fmt.Sprintf("%d fields, but the header has %d", len(rec), len(p.header))
	}
	if !asciiRecord(rec) {
		for i, f := range rec {
			if _, ok := csvBadUTF8(f); !ok {
				return -1, longFigure{}, 0, fmt.Sprintf("column %s: not UTF-8 %s", csvName(p.header[i]), p.hint)
			}
		}
	}
	p.parts = p.parts[:0]
	for k, i := range p.station {
		v := strings.TrimSpace(rec[i])
		if v == "" {
			return -1, longFigure{}, 0, fmt.Sprintf("column %s: empty cell (the station id)", csvName(p.m.Station[k]))
		}
		p.parts = append(p.parts, v)
	}
	pos, msg := p.ids.find(p.parts)
	if msg != "" {
		return -1, longFigure{}, 0, msg
	}
	fig, ok := p.figure(rec, line)
	if !ok {
		return -1, longFigure{}, 0, ""
	}
	n, ok := plainCount(rec[p.votes])
	if !ok {
		v := strings.TrimSpace(rec[p.votes])
		c, err := election.ParseCount(v)
		if err != nil {
			return -1, longFigure{}, 0, fmt.Sprintf("column %s: %s", csvName(p.m.Votes), csvNotCount(v))
		}
		n = c
	}
	return pos, fig, int32(n), ""
}

// figure resolves a row's contest and choice labels, reporting each bad
// label once, at its first line. Registered and ballots are read whatever
// the row's contest label says.
func (p *longPlan) figure(rec []string, line int) (longFigure, bool) {
	label := strings.TrimSpace(rec[p.choice])
	c := int32(-1)
	if p.contest >= 0 {
		cl := strings.TrimSpace(rec[p.contest])
		var ok bool
		if c, ok = p.contests[cl]; !ok {
			if f, ok := p.global(label); ok {
				return f, true
			}
			c = p.resolveContest(cl, line)
			p.contests[cl] = c
		}
		if c == longBad {
			return p.global(label)
		}
	}
	m := p.choices[c+1]
	f, ok := m[label]
	if !ok {
		if g, ok := p.global(label); ok {
			f = g
		} else {
			f = p.resolveChoice(c, label, line)
		}
		m[label] = f
	}
	return f, f.contest != longBad
}

// global returns the figure of a label of registered or ballots.
func (p *longPlan) global(label string) (longFigure, bool) {
	if p.targets != nil {
		t, ok := p.targets[label]
		if ok && t.contest < -1 {
			p.seen["choice\x00"+label] = true
			return t, true
		}
		return longFigure{}, false
	}
	if label == "registered" || label == "ballots" {
		f, _ := p.target(label)
		return f, true
	}
	return longFigure{}, false
}

func (p *longPlan) resolveContest(label string, line int) int32 {
	id := label
	if p.m.Contests != nil {
		var ok bool
		if id, ok = p.m.Contests[label]; !ok {
			p.e.at(line, fmt.Sprintf("column %s: contest %s is not in the mapping's contests", csvName(p.m.Contest), strconv.Quote(csvClip(label, 60))))
			return longBad
		}
		p.seen["contest\x00"+label] = true
	}
	for i, c := range p.def.Contests {
		if c.ID == id {
			return int32(i)
		}
	}
	p.e.at(line, fmt.Sprintf("column %s: %s is not a contest of the election", csvName(p.m.Contest), strconv.Quote(csvClip(label, 60))))
	return longBad
}

func (p *longPlan) resolveChoice(c int32, label string, line int) longFigure {
	bad := func(msg string) longFigure {
		if !p.badLabel[label] {
			p.badLabel[label] = true
			p.e.at(line, fmt.Sprintf("column %s: %s", csvName(p.m.Choice), msg))
		}
		return longFigure{longBad, 0}
	}
	var f longFigure
	if p.targets != nil {
		var ok bool
		if f, ok = p.targets[label]; !ok {
			return bad(strconv.Quote(csvClip(label, 60)) + " is not in the mapping's choices")
		}
		p.seen["choice\x00"+label] = true
	} else {
		var err error
		if f, err = p.target(label); err != nil {
			return bad(fmt.Sprintf("%s is not a candidate, blank, null, registered or ballots", strconv.Quote(csvClip(label, 60))))
		}
	}
	if f.contest < 0 && f.contest != -1 {
		return f // registered, ballots
	}
	if f.contest >= 0 {
		if c >= 0 && c != f.contest {
			return bad(fmt.Sprintf("%s is of contest %s, in a row of contest %s", strconv.Quote(csvClip(label, 60)), p.def.Contests[f.contest].ID, p.def.Contests[c].ID))
		}
		return f
	}
	name := p.bare[-1-f.figure]
	if c < 0 {
		if len(p.def.Contests) > 1 {
			return bad(fmt.Sprintf("%s names no contest, and the election has %d: map it to CONTEST.%s or name the contest column", strconv.Quote(csvClip(label, 60)), len(p.def.Contests), name))
		}
		c = 0
	}
	j := contestFigure(p.def.Contests[c], name)
	if j < 0 {
		return bad(fmt.Sprintf("contest %s has no candidate %s", p.def.Contests[c].ID, csvName(name)))
	}
	return longFigure{c, int32(j)}
}

// ballot returns where the figures of a station's contests are.
func (p *longPlan) ballot(st *election.Station) *longBallot {
	if b, ok := p.ballots[st.Area]; ok {
		return b
	}
	b := &longBallot{off: make([]int32, len(p.def.Contests))}
	for i := range b.off {
		b.off[i] = -1
	}
	for _, c := range p.def.Ballot(st) {
		for i, x := range p.def.Contests {
			if x == c {
				b.off[i] = int32(b.n)
			}
		}
		b.n += len(c.Candidates) + 2
	}
	p.ballots[st.Area] = b
	return b
}

func (p *longPlan) figureName(f longFigure) string {
	switch f.contest {
	case longRegistered:
		return "registered"
	case longBallots:
		return "ballots"
	}
	c := p.def.Contests[f.contest]
	return c.ID + "." + figureID(c, int(f.figure))
}

// warnings name each label of the mapping that no row had.
func (p *longPlan) warnings() []string {
	var w []string
	for _, l := range slices.Sorted(maps.Keys(p.m.Contests)) {
		if !p.seen["contest\x00"+l] {
			w = append(w, fmt.Sprintf("%s: contest label %s (contest %s) is in the mapping but in no row", p.e.name, strconv.Quote(l), p.m.Contests[l]))
		}
	}
	for _, l := range slices.Sorted(maps.Keys(p.m.Choices)) {
		if !p.seen["choice\x00"+l] {
			w = append(w, fmt.Sprintf("%s: choice label %s (%s) is in the mapping but in no row", p.e.name, strconv.Quote(l), p.m.Choices[l]))
		}
	}
	return w
}
