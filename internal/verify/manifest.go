package verify

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// A manifest lists a verification's sources, each described on its own —
// a name, a kind, who published it, where it is, and for tables their
// layout and mapping — so that a verification is one re-runnable command:
// triplicate verify -sources FILE. doc/spec/verify.md gives the format.

// Manifest is a manifest read, its paths resolved against its directory.
type Manifest struct {
	Path       string // the file read
	Election   string // the definition's file it names; "" if none
	Precedence []string
	Sources    []ManifestSource
}

// ManifestSource is one [[source]] of a manifest.
type ManifestSource struct {
	Name        string             `toml:"name"`
	Kind        string             `toml:"kind"` // log, copies, announced, unsigned, audit
	By          string             `toml:"by"`
	File        string             `toml:"file"`
	Files       []string           `toml:"files"` // copies: several files or directories
	URL         string             `toml:"url"`
	Layout      string             `toml:"layout"`  // center (announced), wide, long, json, nist
	Mapping     string             `toml:"mapping"` // the -csv-map syntax
	Columns     map[string]any     `toml:"columns"` // or the mapping as a table: FIELD = "COLUMN" or ["COLUMN", ...]
	Encoding    string             `toml:"encoding"`
	Delimiter   string             `toml:"delimiter"` // a CSV's field delimiter: "," by default, ";" or "\t"
	Alone       bool               `toml:"alone"`     // it may be compared with nothing
	Partial     bool               `toml:"partial"`   // it gives only some candidates' figures
	Checkpoints []string           `toml:"checkpoints"`
	IDs         *manifestIDs       `toml:"ids"`
	Long        *manifestLong      `toml:"long"`
	NIST        *tally.NISTMapping `toml:"-"`
	RawNIST     *manifestNIST      `toml:"nist"`
}

type manifestIDs struct {
	TrimZeros bool   `toml:"trim_zeros"`
	Drop      string `toml:"drop"`
	Join      string `toml:"join"`
}

type manifestLong struct {
	Station  any               `toml:"station"` // "COLUMN" or ["COLUMN", ...]
	Contest  string            `toml:"contest"`
	Choice   string            `toml:"choice"`
	Votes    string            `toml:"votes"`
	Contests map[string]string `toml:"contests"`
	Choices  map[string]string `toml:"choices"`
}

type manifestNIST struct {
	Station   string            `toml:"station"`
	UnitType  string            `toml:"unit_type"`
	Contest   string            `toml:"contest"`
	Candidate string            `toml:"candidate"`
	Contests  map[string]string `toml:"contests"`
	Choices   map[string]string `toml:"choices"`
	CountType string            `toml:"count_type"`
	Language  string            `toml:"language"`
}

// manifestFile is the TOML document.
type manifestFile struct {
	Election   string           `toml:"election"`
	Precedence []string         `toml:"precedence"`
	Sources    []ManifestSource `toml:"source"`
}

// maxManifestBytes bounds a manifest: a list of sources, not data.
const maxManifestBytes = 1 << 20

// ReadManifest reads a manifest file.
func ReadManifest(path string) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseManifest(path, data)
}

// ParseManifest parses a manifest; name is its file, against whose
// directory relative paths are resolved. It is strict: an unknown key, a
// source without a name or kind, two sources of one name, a table given two
// mappings, a precedence naming no source: each is an error naming the
// manifest, the source and the key.
func ParseManifest(name string, data []byte) (*Manifest, error) {
	fail := func(format string, args ...any) (*Manifest, error) {
		return nil, fmt.Errorf("%s: "+format, append([]any{name}, args...)...)
	}
	if len(data) > maxManifestBytes {
		return fail("larger than %d bytes: a manifest lists sources, it does not hold them", maxManifestBytes)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	var f manifestFile
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return fail("line %d: %s", pe.Position.Line, pe.Message)
		}
		return fail("%v", err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		var keys []string
		for _, k := range un {
			keys = append(keys, k.String())
		}
		return fail("unknown key %s", strings.Join(keys, ", "))
	}
	dir := filepath.Dir(name)
	m := &Manifest{Path: name, Precedence: f.Precedence}
	if f.Election != "" {
		m.Election = resolve(dir, f.Election)
	}
	if len(f.Sources) == 0 {
		return fail("no [[source]]: nothing to verify")
	}
	names := map[string]int{}
	for i, s := range f.Sources {
		at := fmt.Sprintf("source %d", i+1)
		if s.Name != "" {
			at += " (" + s.Name + ")"
		}
		if err := s.check(); err != nil {
			return fail("%s: %v", at, err)
		}
		if j, dup := names[s.Name]; dup {
			return fail("%s: the name %q is also source %d's", at, s.Name, j+1)
		}
		names[s.Name] = i
		s.File = resolve(dir, s.File)
		for k := range s.Files {
			s.Files[k] = resolve(dir, s.Files[k])
		}
		for k := range s.Checkpoints {
			s.Checkpoints[k] = resolve(dir, s.Checkpoints[k])
		}
		if s.RawNIST != nil {
			n := tally.NISTMapping(*s.RawNIST)
			s.NIST = &n
		}
		m.Sources = append(m.Sources, s)
	}
	seen := map[string]bool{}
	for _, p := range f.Precedence {
		i, ok := names[p]
		if !ok && p != "signed" {
			return fail("precedence: %q is no source's name (nor \"signed\", the signed evidence)", p)
		}
		if ok && !f.Sources[i].table() && f.Sources[i].Kind != "announced" {
			return fail("precedence: %q is of kind %s, whose signed actas rank as \"signed\": name that instead", p, f.Sources[i].Kind)
		}
		if seen[p] {
			return fail("precedence: %q given twice", p)
		}
		seen[p] = true
	}
	return m, nil
}

// resolve makes a path relative to the manifest's directory; URLs and
// absolute paths are left as they are.
func resolve(dir, p string) string {
	if p == "" || filepath.IsAbs(p) || strings.Contains(p, "://") {
		return p
	}
	return filepath.Join(dir, p)
}

var (
	manifestKinds   = []string{"log", "copies", "announced", "unsigned", "audit"}
	manifestLayouts = []string{"center", "wide", "long", "json", "nist"}
)

// check holds one source to the format, before its mapping is resolved
// against a definition.
func (s *ManifestSource) check() error {
	switch {
	case s.Name == "":
		return errors.New("no name")
	case strings.IndexFunc(s.Name+s.By, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0 || !utf8.ValidString(s.Name+s.By):
		return errors.New("a name or by with a control or format character (a newline, a bidirectional override) or not UTF-8: it would print as something else")
	case s.Name == "signed":
		return errors.New(`the name "signed" stands for the signed evidence in precedence: choose another`)
	case !slices.Contains(manifestKinds, s.Kind):
		return fmt.Errorf("kind %q: want one of %s", s.Kind, strings.Join(manifestKinds, ", "))
	case s.Layout != "" && !slices.Contains(manifestLayouts, s.Layout):
		return fmt.Errorf("layout %q: want one of %s", s.Layout, strings.Join(manifestLayouts, ", "))
	}
	where := 0
	for _, set := range []bool{s.File != "", len(s.Files) > 0, s.URL != ""} {
		if set {
			where++
		}
	}
	switch {
	case where == 0:
		return errors.New("no file, files or url: where is it?")
	case where > 1:
		return errors.New("give one of file, files and url")
	case len(s.Files) > 0 && s.Kind != "copies":
		return errors.New("files is for copies: give file or url")
	case s.URL != "" && s.Kind != "log" && s.Kind != "announced" && s.Kind != "unsigned":
		return fmt.Errorf("a source of kind %s is read from a file, not a url", s.Kind)
	case len(s.Checkpoints) > 0 && s.Kind != "log":
		return errors.New("checkpoints are for the log")
	}
	table := s.table()
	if !table {
		for key, set := range map[string]bool{"layout": s.Layout != "" && s.Layout != "center", "mapping": s.Mapping != "", "columns": s.Columns != nil,
			"encoding": s.Encoding != "", "delimiter": s.Delimiter != "", "partial": s.Partial, "ids": s.IDs != nil, "long": s.Long != nil, "nist": s.RawNIST != nil} {
			if set {
				return fmt.Errorf("%s is for tables (kind unsigned, or announced with a layout other than center)", key)
			}
		}
		return nil
	}
	if s.Alone && s.Kind == "announced" {
		return errors.New("alone is for unsigned counts: the announcement is always held against the rest")
	}
	layout := tally.Layout(s.Layout)
	mappings := 0
	for _, set := range []bool{s.Mapping != "", s.Columns != nil, s.Long != nil, s.RawNIST != nil} {
		if set {
			mappings++
		}
	}
	switch {
	case mappings > 1:
		return errors.New("two mappings for one file: give one of mapping, columns, long and nist")
	case layout == tally.LayoutLong && s.Long == nil:
		return errors.New("layout long needs a [source.long] table (station, contest, choice, votes)")
	case layout != tally.LayoutLong && s.Long != nil:
		return errors.New("[source.long] is for layout long")
	case layout == tally.LayoutNIST && (s.Mapping != "" || s.Columns != nil):
		return errors.New("layout nist is mapped by a [source.nist] table, not by columns")
	case layout != tally.LayoutNIST && s.RawNIST != nil:
		return errors.New("[source.nist] is for layout nist")
	case (layout == "" || layout == tally.LayoutWide || layout == tally.LayoutJSON) && s.Mapping == "" && s.Columns == nil:
		return errors.New("no mapping: give mapping = \"station=COLUMN,...\" or a [source.columns] table")
	}
	return nil
}

// table says whether the source is a table of per-station figures.
func (s *ManifestSource) table() bool {
	return s.Kind == "unsigned" || (s.Kind == "announced" && s.Layout != "" && s.Layout != "center")
}

// Location is where the source is read from: its file or URL (copies: its
// files, joined).
func (s *ManifestSource) Location() string {
	switch {
	case s.URL != "":
		return s.URL
	case len(s.Files) > 0:
		return strings.Join(s.Files, ", ")
	}
	return s.File
}

// Table resolves a table source's layout and mapping against the
// definition.
func (s *ManifestSource) Table(def *election.Definition) (tally.Table, error) {
	t := tally.Table{Name: s.Location(), Layout: tally.Layout(s.Layout), Encoding: s.Encoding, Delimiter: s.Delimiter}
	if t.Layout == "" {
		t.Layout = tally.LayoutWide
	}
	if s.IDs != nil {
		t.IDs = tally.IDRule(*s.IDs)
	}
	var err error
	switch {
	case s.Mapping != "":
		t.Mapping, err = tally.ParseMapping(s.Mapping, def)
	case s.Columns != nil:
		t.Mapping, err = columnsMapping(s.Columns, def)
	case s.Long != nil:
		t.Long.Station, err = columnList("long.station", s.Long.Station)
		t.Long.Contest, t.Long.Choice, t.Long.Votes = s.Long.Contest, s.Long.Choice, s.Long.Votes
		t.Long.Contests, t.Long.Choices = s.Long.Contests, s.Long.Choices
	case s.NIST != nil:
		t.NIST = *s.NIST
	}
	return t, err
}

// columnsMapping makes a mapping of a [source.columns] table, in the
// order of its fields' names.
func columnsMapping(cols map[string]any, def *election.Definition) (tally.Mapping, error) {
	keys := make([]string, 0, len(cols))
	for k := range cols {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var fields []tally.MappingField
	for _, k := range keys {
		list, err := columnList("columns."+k, cols[k])
		if err != nil {
			return tally.Mapping{}, err
		}
		fields = append(fields, tally.MappingField{Field: k, Columns: list})
	}
	return tally.NewMapping(fields, def)
}

// columnList reads a column or a list of columns.
func columnList(key string, v any) ([]string, error) {
	switch v := v.(type) {
	case string:
		return []string{v}, nil
	case []any:
		var out []string
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, fmt.Errorf("%s: %v is not a column name", key, strconv.Quote(fmt.Sprint(x)))
			}
			out = append(out, s)
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("%s: no column", key)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s: want a column name or a list of them", key)
}
