package election

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Columns says where a CSV of published results has what an observer's
// definition needs (doc/spec/election.md, "An observer's definition from published results").
type Columns struct {
	// Station is the column with the station's id, nationally unique, or
	// several whose values, joined with ".", are.
	Station []string
	// Levels are the columns of the jurisdiction levels, outermost first,
	// holding names: a level's code is derived, its name kept.
	Levels []string
	// Registered is the column with the registered voters; "" if the data
	// do not give them. An empty cell is unknown too.
	Registered string

	// Long, if set, reads one row per station, contest and candidate: the
	// contest's name (optional), the candidate's name and the votes.
	Long *LongColumns
	// Wide (Long nil), one row per station: Candidates are the columns of
	// the candidates of its one contest, or nil for every column of whole
	// numbers not otherwise mapped.
	Candidates []string
	// Blank and Null are the columns of blank and null votes (wide), or the
	// candidate names that stand for them (long); may be "".
	Blank, Null string
	// Contest is the id of the wide layout's one contest, or of the long
	// layout's one when it has no contest column; "" for the template's
	// only contest, or else "contest".
	Contest string
}

// LongColumns are the columns of the long layout.
type LongColumns struct {
	Contest, Candidate, Votes string
}

// results is what a CSV of published results says about the election.
type results struct {
	levels   []string // level names, as in the header
	areas    []*Area  // in the order first seen, parents first
	stations []*obsStation
	contests []*obsContest
}

type obsStation struct {
	id         string
	line       int
	area       *obsArea
	registered int
}

type obsArea struct {
	name     string
	parent   *obsArea
	children map[string]*obsArea
	order    []*obsArea
	code     string // its path: its ancestors' codes and its own
}

type obsContest struct {
	name       string // as in the data (long) or ""
	id         string
	candidates []Candidate // ids derived from the names
	byName     map[string]bool
	scope      *obsArea // deepest area holding every station of the contest
}

// csvReader reads a CSV file with what an observer needs to say where a
// problem is: the file, the line and the column.
type csvReader struct {
	name   string
	cr     *csv.Reader
	header []string
	col    map[string]int
}

// errAt formats an error at a line and column of the file.
func (r *csvReader) errAt(line int, column, f string, args ...any) error {
	msg := fmt.Sprintf(f, args...)
	if column != "" {
		msg = "column " + column + ": " + msg
	}
	if line == 0 {
		return fmt.Errorf("%s: %s", r.name, msg)
	}
	return fmt.Errorf("%s:%d: %s", r.name, line, msg)
}

// newCSVReader checks the text (UTF-8, a byte order mark dropped) and
// reads the header.
func newCSVReader(data []byte, name string) (*csvReader, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		line, i := 1, 0
		for i < len(data) {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			if r == '\n' {
				line++
			}
			i += size
		}
		return nil, fmt.Errorf("%s:%d: byte %#02x is not UTF-8 (Latin-1? convert the file with iconv -f latin1 -t utf-8)", name, line, data[i])
	}
	r := &csvReader{name: name, cr: csv.NewReader(bytes.NewReader(data)), col: map[string]int{}}
	r.cr.FieldsPerRecord = -1 // read says how many, against the header
	header, err := r.cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file", name)
	}
	if err != nil {
		return nil, r.csvError(err)
	}
	for i, h := range header {
		if j := strings.IndexFunc(h, unicode.IsControl); j >= 0 {
			c, _ := utf8.DecodeRuneInString(h[j:])
			return nil, fmt.Errorf("%s:1: header: column %d: control character %U", name, i+1, c)
		}
		h = strings.TrimSpace(h)
		header[i] = h
		if _, dup := r.col[h]; dup {
			r.col[h] = -1 // naming it would be ambiguous
			continue
		}
		r.col[h] = i
	}
	r.header = header
	return r, nil
}

func (r *csvReader) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %v", r.name, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %v", r.name, err)
}

// index returns the position of a mapped column, or says why it has none.
func (r *csvReader) index(flag, column string) (int, error) {
	i, ok := r.col[column]
	switch {
	case !ok:
		return 0, r.errAt(1, "", "header has no column %q (named by %s; the header has %s)", column, flag, clip(strings.Join(r.header, ","), 300))
	case i < 0:
		return 0, r.errAt(1, "", "header has column %q more than once (named by %s)", column, flag)
	}
	return i, nil
}

// next reads a record and its line, or io.EOF.
func (r *csvReader) next() ([]string, int, error) {
	rec, err := r.cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, 0, err
		}
		return nil, 0, r.csvError(err)
	}
	line, _ := r.cr.FieldPos(0)
	if len(rec) != len(r.header) {
		return nil, 0, r.errAt(line, "", "%d fields, but the header has %d", len(rec), len(r.header))
	}
	for i, f := range rec {
		if j := strings.IndexFunc(f, unicode.IsControl); j >= 0 {
			c, _ := utf8.DecodeRuneInString(f[j:])
			return nil, 0, r.errAt(line, r.header[i], "control character %U", c)
		}
		rec[i] = strings.TrimSpace(f)
	}
	return rec, line, nil
}

// count reads a whole number of votes or voters: digits only (leading zeros
// allowed, as published data have them), at most MaxCount.
func (r *csvReader) count(line int, column, v string) (int, error) {
	switch {
	case v == "":
		return 0, r.errAt(line, column, "empty cell, want a number")
	case v[0] == '-' && len(v) > 1 && strings.Trim(v[1:], "0123456789") == "":
		return 0, r.errAt(line, column, "negative number %s", clip(v, 20))
	case strings.Trim(v, "0123456789") != "":
		return 0, r.errAt(line, column, "%q is not a whole number", clip(v, 40))
	}
	s := strings.TrimLeft(v, "0")
	if s == "" {
		return 0, nil
	}
	n, err := ParseCount(s)
	if err != nil {
		return 0, r.errAt(line, column, "number %s is over %d", clip(v, 20), MaxCount)
	}
	return n, nil
}

// isWhole reports whether v reads as a whole number, negative or not.
func isWhole(v string) bool {
	v = strings.TrimPrefix(v, "-")
	return v != "" && strings.Trim(v, "0123456789") == ""
}

// slug returns an id for a name: letters without their accents, digits, and
// "-" for every run of other characters, at most 64 bytes; "" if nothing of
// the name is left.
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_'):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	s := b.String()
	for len(s) > 0 && !ValidID(s[:1]) {
		s = s[1:]
	}
	if len(s) > 64 {
		s = strings.TrimRight(s[:64], "-")
	}
	return s
}

// codes gives every area its code: its position, from 1, among its
// siblings' names in byte order. Codes are stable as long as the set of
// names under a parent is; the names themselves stay in the definition.
func (a *obsArea) codes(path string, out *[]*Area) {
	names := make([]string, 0, len(a.children))
	for n := range a.children {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		a.children[n].code = strings.TrimPrefix(path+"/"+fmt.Sprint(i+1), "/")
	}
	// Declare in the order first seen, parents before children.
	for _, c := range a.order {
		*out = append(*out, &Area{Path: c.code, Name: c.name})
		c.codes(c.code, out)
	}
}

// area returns the area of the names under a, made if new.
func (a *obsArea) area(names []string) *obsArea {
	for _, n := range names {
		c := a.children[n]
		if c == nil {
			c = &obsArea{name: n, parent: a, children: map[string]*obsArea{}}
			a.children[n] = c
			a.order = append(a.order, c)
		}
		a = c
	}
	return a
}

// depth is the number of areas from the root down to a.
func (a *obsArea) depth() int {
	n := 0
	for ; a.parent != nil; a = a.parent {
		n++
	}
	return n
}

// common returns the deepest area holding both a and b, or the root.
func common(a, b *obsArea) *obsArea {
	for a.depth() > b.depth() {
		a = a.parent
	}
	for b.depth() > a.depth() {
		b = b.parent
	}
	for a != b {
		a, b = a.parent, b.parent
	}
	return a
}

// stationKey is what two station ids that a reader would take for one have
// in common: their parts without leading zeros, in lower case.
func stationKey(id string) string {
	parts := strings.Split(strings.ToLower(id), ".")
	for i, p := range parts {
		if t := strings.TrimLeft(p, "0"); t != "" {
			parts[i] = t
		} else if p != "" {
			parts[i] = "0"
		}
	}
	return strings.Join(parts, ".")
}

// addCandidate adds a candidate of that name to the contest, with an id
// derived from it, unless it has one already.
func (c *obsContest) addCandidate(name string, r *csvReader, line int, column string) error {
	if c.byName[name] {
		return nil
	}
	id := slug(name)
	if id == "" || id == "blank" || id == "null" {
		id = fmt.Sprintf("c%d", len(c.candidates)+1)
	}
	for _, x := range c.candidates {
		if x.ID == id {
			return r.errAt(line, column, "candidates %q and %q would both have the id %s", x.Name, name, id)
		}
	}
	c.byName[name] = true
	c.candidates = append(c.candidates, Candidate{ID: id, Name: name})
	return nil
}

// place records that the contest is on the station's ballot: its scope is
// the deepest area holding all its stations (the root: every station).
func (c *obsContest) place(st *obsStation) {
	if c.scope == nil {
		c.scope = st.area
	} else {
		c.scope = common(c.scope, st.area)
	}
}

// ColumnList splits a list of column names at commas, as a flag gives them.
func ColumnList(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ",") {
		out = append(out, strings.TrimSpace(c))
	}
	return out
}

// ParseLongColumns reads the columns of a long layout as a flag gives
// them: contest=COL,candidate=COL,votes=COL (contest optional).
func ParseLongColumns(s string) (*LongColumns, error) {
	l := &LongColumns{}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		var p *string
		switch k {
		case "contest":
			p = &l.Contest
		case "candidate":
			p = &l.Candidate
		case "votes":
			p = &l.Votes
		}
		if !ok || p == nil || v == "" {
			return nil, fmt.Errorf("malformed %q (want contest=COL,candidate=COL,votes=COL)", part)
		}
		*p = strings.TrimSpace(v)
	}
	if l.Candidate == "" || l.Votes == "" {
		return nil, fmt.Errorf("want candidate=COL and votes=COL")
	}
	return l, nil
}
