package tally

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// CSVRow is one station's figures read from a CSV.
type CSVRow struct {
	Line    int    // line in the file (the header is line 1); for a long table its station's first row
	Where   string // where a user finds it: "line 17", "object 12 (line 40)", "GpUnit gpu-123"
	Station string
	Figures Figures // laid out per the station's ballot (def.Ballot), Unknown where the mapping has no column
	// Pos is the station's position in the definition's Stations, as
	// ReadTable found it (a reader of a whole country's tables need not
	// look each station up again).
	Pos int32
}

// delimiterHint says, of a header read as one field, which delimiter its
// fields seem to be separated by.
func delimiterHint(header []string) string {
	if len(header) != 1 {
		return ""
	}
	for _, d := range []string{";", "\t", "|"} {
		if strings.Contains(header[0], d) {
			return fmt.Sprintf(" (the fields seem separated by %q: declare delimiter = %q)", d, d)
		}
	}
	return ""
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
	cr := newTableReader(r, p.comma)
	header, headerLine, ok := readHeader(cr, errs, p.hint)
	if !ok || !p.bind(header, headerLine, errs) {
		return nil, nil
	}
	var rows []CSVRow
	var pos []int32
	var slab []int32
	for rec, line := range records(cr, errs) {
		row, i, at, msg := p.row(rec, line, cr, &slab)
		if msg != "" {
			errs.at(at, msg)
			continue
		}
		if p.seen != nil {
			// A table refuses a station given twice: two of its rows are
			// enough to say so, and a file of one row repeated millions
			// of times holds no more than that.
			if p.seen[i] == 0 {
				p.seen[i] = int32(line)
			} else if p.seen[i] > 0 {
				p.seen[i] = -p.seen[i] // the second row is kept: refuseTwice says it
			} else {
				errs.at(line, fmt.Sprintf("station %s given twice, at line %d and line %d: its rows from this file are dropped", row.Station, -p.seen[i], line))
				continue
			}
		}
		rows = append(rows, row)
		pos = append(pos, int32(i))
	}
	fillWhere(rows)
	return rows, pos
}

// newTableReader reads a table's CSV: a byte-order mark dropped, records
// of any length (each row is checked against the header), the delimiter
// given (0: a comma).
func newTableReader(r io.Reader, comma rune) *csv.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	if comma != 0 {
		cr.Comma = comma
	}
	return cr
}

// records yields a CSV's records after its header, with the line each
// starts on; a record that is not CSV is an error of e and skipped, and a
// failure to read ends them.
func records(cr *csv.Reader, e *csvErrors) iter.Seq2[[]string, int] {
	return func(yield func([]string, int) bool) {
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				var pe *csv.ParseError
				if errors.As(err, &pe) {
					e.parse(pe, "")
					continue
				}
				e.file("reading: " + err.Error())
				return
			}
			line, _ := cr.FieldPos(0)
			if !yield(rec, line) {
				return
			}
		}
	}
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
	comma      rune     // the field delimiter; 0: a comma
	seen       []int32  // by station: the line of its first row, negated once a second is read; nil: keep every row (ReadCSV)
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
		msg += delimiterHint(header)
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
	if !asciiRecord(rec) {
		for i, f := range rec {
			if l, ok := csvBadUTF8(f); !ok {
				fl := line
				if cr != nil {
					fl, _ = cr.FieldPos(i)
				}
				return CSVRow{}, -1, fl + l, fmt.Sprintf("column %s: not UTF-8 %s", csvName(p.header[i]), p.hint)
			}
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
	return CSVRow{Line: line, Station: st.ID, Figures: f}, pos, line, "" // Where: see fillWhere
}

// sum returns the sum of the columns in a record, Unknown if there are no
// columns, or why there is no sum.
func (s *csvSum) sum(rec []string) (int32, string) {
	if len(s.idx) == 0 {
		return Unknown, ""
	}
	total := int64(0)
	for k, i := range s.idx {
		n, ok := plainCount(rec[i])
		if !ok {
			v := strings.TrimSpace(rec[i])
			c, err := election.ParseCount(v)
			if err != nil {
				return 0, fmt.Sprintf("%s %s: %s", s.noun, csvName(s.names[k]), csvNotCount(v))
			}
			n = c
		}
		total += int64(n)
	}
	if total > election.MaxCount {
		return 0, fmt.Sprintf("%ss %s: sum %d over %d", s.noun, strings.Join(csvNames(s.names), "+"), total, election.MaxCount)
	}
	return int32(total), ""
}

// plainCount reads the commonest count, digits alone, as
// election.ParseCount would; ok false sends any other spelling to it.
func plainCount(s string) (int, bool) {
	if len(s) == 0 || len(s) > 9 || len(s) > 1 && s[0] == '0' {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// asciiRecord says whether every field of a record is ASCII, which is
// UTF-8: most records are, and need no closer look.
func asciiRecord(rec []string) bool {
	var or byte
	for _, f := range rec {
		for i := 0; i < len(f); i++ {
			or |= f[i]
		}
	}
	return or < 0x80
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

// fillWhere gives each row without a Where its "line N", all cut from one
// string: one allocation a table rather than one a row.
func fillWhere(rows []CSVRow) {
	var b strings.Builder
	var num [20]byte
	n := 0
	for _, r := range rows {
		if r.Where == "" {
			n += len("line ") + len(strconv.AppendInt(num[:0], int64(r.Line), 10))
		}
	}
	b.Grow(n)
	for _, r := range rows {
		if r.Where == "" {
			b.WriteString("line ")
			b.Write(strconv.AppendInt(num[:0], int64(r.Line), 10))
		}
	}
	s := b.String()
	for i := range rows {
		if rows[i].Where == "" {
			n := len("line ") + len(strconv.AppendInt(num[:0], int64(rows[i].Line), 10))
			rows[i].Where, s = s[:n], s[n:]
		}
	}
}
