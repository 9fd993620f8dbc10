package tally

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

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

// CSVRow is one station's figures read from a CSV.
type CSVRow struct {
	Line    int    // line in the file (the header is line 1); for a long table its station's first row
	Where   string // where a user finds it: "line 17", "object 12 (line 40)", "GpUnit gpu-123"
	Station string
	Figures Figures // laid out per the station's ballot (def.Ballot), Unknown where the mapping has no column
}

// maxCSVErrors bounds how many errors one ReadCSV reports.
const maxCSVErrors = 1000

// ReadCSV reads every row it can. It returns the rows read, in file order, and one error
// per row (or per file problem) it could not read, each naming the file (name) and line
// and the problem, e.g. `observers.csv:17: column EG: "12a" is not a count`. A bad row
// never stops the rows after it.
//
// A UTF-8 byte-order mark is dropped. Every field must be UTF-8 (a Latin-1
// export is not). A mapped column missing from the header is an error, and
// then there are no rows. A row must have as many fields as the header, a
// station id in the definition, and in each mapped column of a contest on
// the station's ballot a count (leading and trailing spaces aside: no sign,
// no leading zeros); the sum of a figure's columns must not exceed
// election.MaxCount. Columns mapped to contests not on a station's ballot
// are not read for it. Rows of the same station are all returned: the
// verifier reports them. After 1000 errors one more says how many were left
// out.
//
// The file is read as a stream; only the rows read are kept.
func ReadCSV(r io.Reader, name string, def *election.Definition, m Mapping) ([]CSVRow, []error) {
	errs := &csvErrors{name: name}
	p, err := newCSVPlan(def, m)
	if err != nil {
		errs.file(err.Error())
		return nil, errs.list
	}
	p.ids, _ = newStationIndex(def, IDRule{})
	p.hint = "(Latin-1? convert with iconv)"
	rows, _ := p.read(r, errs)
	return rows, errs.done()
}

// read reads a wide CSV through the plan: its rows and their stations'
// positions in the definition.
func (p *csvPlan) read(r io.Reader, errs *csvErrors) ([]CSVRow, []int32) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	header, headerLine, ok := readHeader(cr, errs, p.hint)
	if !ok || !p.bind(header, headerLine, errs) {
		return nil, nil
	}
	var rows []CSVRow
	var pos []int32
	var slab []int32
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				errs.parse(pe, "")
				continue
			}
			errs.file("reading: " + err.Error())
			break
		}
		line, _ := cr.FieldPos(0)
		row, i, at, msg := p.row(rec, line, cr, &slab)
		if msg != "" {
			errs.at(at, msg)
			continue
		}
		rows = append(rows, row)
		pos = append(pos, int32(i))
	}
	return rows, pos
}

// readHeader reads a CSV's header, its fields trimmed, and its line. A
// field not UTF-8 is an error (with hint), and so is a file without a
// header.
func readHeader(cr *csv.Reader, errs *csvErrors, hint string) ([]string, int, bool) {
	header, err := cr.Read()
	if err != nil {
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			errs.file("empty file: no header")
		case errors.As(err, &pe):
			errs.parse(pe, "header: ")
		default:
			errs.file("reading: " + err.Error())
		}
		return nil, 0, false
	}
	headerLine, _ := cr.FieldPos(0)
	header = append([]string(nil), header...)
	bad := false
	for i, h := range header {
		if line, ok := csvBadUTF8(h); !ok && !bad {
			fl, _ := cr.FieldPos(i)
			errs.at(fl+line, "header: not UTF-8 "+hint)
			bad = true
		}
		header[i] = strings.TrimSpace(h)
	}
	return header, headerLine, true
}

// csvPlan is a mapping resolved against a definition and, once the header
// is read, against the file's columns.
type csvPlan struct {
	def        *election.Definition
	station    csvSum
	registered csvSum
	ballots    csvSum
	figures    [][]csvSum // by contest in def.Contests, by figure in the contest
	contest    map[*election.Contest]int
	ballot     map[string][]*election.Contest // by area path
	header     []string
	ids        *stationIndex
	json       bool     // the "header" is a JSON table's keys
	parts      []string // the station id's parts, of the row being read
	hint       string   // what to do about a field not UTF-8
}

// csvSum is the columns of one field of a mapping. It is unknown if it has none.
type csvSum struct {
	names []string
	idx   []int  // positions in the header
	noun  string // what its names are: "column", or "key" in JSON
}

func newCSVPlan(def *election.Definition, m Mapping) (*csvPlan, error) {
	if def == nil {
		return nil, errors.New("no election definition")
	}
	if len(m.Station) == 0 {
		return nil, errors.New("mapping has no station column")
	}
	p := &csvPlan{
		def:        def,
		station:    csvSum{names: m.Station},
		registered: csvSum{names: m.Registered},
		ballots:    csvSum{names: m.Ballots},
		figures:    make([][]csvSum, len(def.Contests)),
		contest:    map[*election.Contest]int{},
		ballot:     map[string][]*election.Contest{},
	}
	for i, c := range def.Contests {
		p.figures[i] = make([]csvSum, len(c.Candidates)+2)
		p.contest[c] = i
	}
	for _, key := range slices.Sorted(maps.Keys(m.Figures)) {
		cols := m.Figures[key]
		refs := mappingRefs(def, key)
		switch len(refs) {
		case 0:
			return nil, fmt.Errorf("mapping: unknown figure %s (want CONTEST.CANDIDATE, CONTEST.blank or CONTEST.null)", csvName(key))
		case 1:
			p.figures[refs[0].contest][refs[0].figure] = csvSum{names: cols}
		default:
			return nil, fmt.Errorf("mapping: figure %s: %v", csvName(key), ambiguous(def, refs))
		}
	}
	return p, nil
}

// noun is what a column is called in messages.
func (p *csvPlan) noun() string {
	if p.json {
		return "key"
	}
	return "column"
}

// sums returns every field of the plan, in reporting order.
func (p *csvPlan) sums() []*csvSum {
	s := []*csvSum{&p.station, &p.registered, &p.ballots}
	for i := range p.figures {
		for j := range p.figures[i] {
			s = append(s, &p.figures[i][j])
		}
	}
	return s
}

// bind finds the mapped columns in the header. It reports every column
// missing and every column the header has twice, and says whether all were
// found once.
func (p *csvPlan) bind(header []string, line int, errs *csvErrors) bool {
	p.header = header
	pos := map[string]int{}
	times := map[string]int{}
	for i, h := range header {
		if _, ok := pos[h]; !ok {
			pos[h] = i
		}
		times[h]++
	}
	var missing, twice []string
	reported := map[string]bool{}
	for _, s := range p.sums() {
		s.idx = s.idx[:0]
		s.noun = p.noun()
		for _, n := range s.names {
			i, ok := pos[n]
			s.idx = append(s.idx, i)
			switch {
			case reported[n]:
			case !ok:
				missing = append(missing, csvName(n))
			case times[n] > 1:
				twice = append(twice, csvName(n))
			}
			reported[n] = true
		}
	}
	if len(missing) > 0 {
		msg := "header has no column " + missing[0]
		if len(missing) > 1 {
			msg = "header has no columns " + strings.Join(missing, ", ")
		}
		if len(header) == 1 && strings.Contains(header[0], ";") {
			msg += ` (the fields seem separated by ";": this reads "," only)`
		}
		errs.at(line, msg)
	}
	for _, n := range twice {
		errs.at(line, "header has column "+n+" more than once")
	}
	return len(missing) == 0 && len(twice) == 0
}

// row reads the record at a line, or returns why it cannot and at which
// line (a quoted field may span lines). It returns the station's position
// in the definition. The figures' votes are cut from slab.
func (p *csvPlan) row(rec []string, line int, cr *csv.Reader, slab *[]int32) (CSVRow, int, int, string) {
	if len(rec) != len(p.header) {
		return CSVRow{}, -1, line, fmt.Sprintf("%d fields, but the header has %d", len(rec), len(p.header))
	}
	for i, f := range rec {
		if l, ok := csvBadUTF8(f); !ok {
			fl := line
			if cr != nil {
				fl, _ = cr.FieldPos(i)
			}
			return CSVRow{}, -1, fl + l, fmt.Sprintf("column %s: not UTF-8 %s", csvName(p.header[i]), p.hint)
		}
	}
	p.parts = p.parts[:0]
	for k, i := range p.station.idx {
		v := strings.TrimSpace(rec[i])
		if v == "" {
			return CSVRow{}, -1, line, fmt.Sprintf("%s %s: empty cell (the station id)", p.noun(), csvName(p.station.names[k]))
		}
		p.parts = append(p.parts, v)
	}
	pos, msg := p.ids.find(p.parts)
	if msg != "" {
		return CSVRow{}, -1, line, msg
	}
	st := p.def.Stations[pos]
	ballot, ok := p.ballot[st.Area]
	if !ok {
		ballot = p.def.Ballot(st)
		p.ballot[st.Area] = ballot
	}
	n := BallotFigures(ballot)
	if len(*slab) < n {
		*slab = make([]int32, max(n, 1<<14))
	}
	f := Figures{Votes: (*slab)[:n:n]}
	*slab = (*slab)[n:]
	if f.Registered, msg = p.registered.sum(rec); msg != "" {
		return CSVRow{}, -1, line, msg
	}
	if f.Ballots, msg = p.ballots.sum(rec); msg != "" {
		return CSVRow{}, -1, line, msg
	}
	off := 0
	for _, c := range ballot {
		for _, s := range p.figures[p.contest[c]] {
			if f.Votes[off], msg = s.sum(rec); msg != "" {
				return CSVRow{}, -1, line, msg
			}
			off++
		}
	}
	return CSVRow{Line: line, Where: lineWhere(line), Station: st.ID, Figures: f}, pos, line, ""
}

// sum returns the sum of the columns in a record, Unknown if there are no
// columns, or why there is no sum.
func (s *csvSum) sum(rec []string) (int32, string) {
	if len(s.idx) == 0 {
		return Unknown, ""
	}
	total := int64(0)
	for k, i := range s.idx {
		v := strings.TrimSpace(rec[i])
		n, err := election.ParseCount(v)
		if err != nil {
			return 0, fmt.Sprintf("%s %s: %s", s.noun, csvName(s.names[k]), csvNotCount(v))
		}
		total += int64(n)
	}
	if total > election.MaxCount {
		return 0, fmt.Sprintf("%ss %s: sum %d over %d", s.noun, strings.Join(csvNames(s.names), "+"), total, election.MaxCount)
	}
	return int32(total), ""
}

// csvNotCount says why a value (trimmed) is not a count.
func csvNotCount(v string) string {
	if v == "" {
		return "empty cell"
	}
	digits := strings.Trim(v, "0123456789") == ""
	msg := strconv.Quote(csvClip(v, 40)) + " is not a count"
	switch {
	case digits && len(v) > 1 && v[0] == '0':
		msg += " (leading zero)"
	case digits:
		msg += fmt.Sprintf(" (over %d)", election.MaxCount)
	}
	return msg
}

// csvBadUTF8 says whether s is UTF-8 and, if not, on which line of s (0 for
// the first) the first bad byte is.
func csvBadUTF8(s string) (line int, ok bool) {
	if utf8.ValidString(s) {
		return 0, true
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return strings.Count(s[:i], "\n"), false
		}
		i += size
	}
	return 0, false
}

// csvName returns a column or field name as it reads in a message: as is
// if it is plain, quoted if it is empty or has spaces, quotes or other than
// printable ASCII.
func csvName(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '"' || c == ',' || c == '+' || c == '=' {
			return strconv.Quote(csvClip(s, 60))
		}
	}
	if s == "" {
		return `""`
	}
	return csvClip(s, 60)
}

func csvNames(names []string) []string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = csvName(n)
	}
	return q
}

// csvClip cuts s to at most n bytes, at a rune boundary, for a message.
func csvClip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// csvErrors collects ReadCSV's errors, each naming the file, up to
// maxCSVErrors.
type csvErrors struct {
	name string
	list []error
	more int
}

func (e *csvErrors) add(err error) {
	if len(e.list) >= maxCSVErrors {
		e.more++
		return
	}
	e.list = append(e.list, err)
}

// at reports a problem at a line.
func (e *csvErrors) at(line int, msg string) {
	e.add(fmt.Errorf("%s:%d: %s", e.name, line, msg))
}

// near reports a problem at a line if there is one (line > 0), else at a
// position (where).
func (e *csvErrors) near(line int, where, msg string) {
	if line > 0 {
		e.at(line, msg)
		return
	}
	e.file(where + ": " + msg)
}

// file reports a problem of the whole file.
func (e *csvErrors) file(msg string) { e.add(fmt.Errorf("%s: %s", e.name, msg)) }

// parse reports a CSV syntax error.
func (e *csvErrors) parse(pe *csv.ParseError, prefix string) {
	msg := prefix + pe.Err.Error()
	if pe.Line != pe.StartLine {
		msg += fmt.Sprintf(" (in the record from line %d)", pe.StartLine)
	}
	e.add(fmt.Errorf("%s:%d: %s", e.name, pe.Line, msg))
}

// done returns the errors, with one more saying how many were left out.
func (e *csvErrors) done() []error {
	if e.more > 0 {
		return append(e.list, fmt.Errorf("%s: ... and %d more errors", e.name, e.more))
	}
	return e.list
}

// lineWhere is a row's Where in a CSV.
func lineWhere(line int) string { return "line " + strconv.Itoa(line) }
