package verify_test

// Real elections, each counted twice per station (testdata/bolivia2019,
// testdata/wi2016, testdata/btw2025): the stations whose figures differ
// between the two counts, computed here by plain means and nothing of this
// module, so that the verifier's findings can be held against them.

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// realManifest is the part of a sources.toml that realDiffs reads; TOML
// itself is BurntSushi/toml's, the format's keys and their sense are read
// here, apart from the verifier's manifest code.
type realManifest struct {
	Election string       `toml:"election"`
	Sources  []realSource `toml:"source"`
}

type realSource struct {
	Name     string `toml:"name"`
	File     string `toml:"file"`
	Layout   string `toml:"layout"`
	Mapping  string `toml:"mapping"`
	Encoding string `toml:"encoding"`
	IDs      struct {
		TrimZeros bool   `toml:"trim_zeros"`
		Drop      string `toml:"drop"`
	} `toml:"ids"`
	Long realLong `toml:"long"`
}

// realLong is a long table's [source.long]: the columns of the station,
// the contest (none: the definition's one contest), the choice and the
// votes, and the choices' published values by candidate id, blank or null.
type realLong struct {
	Station []string          `toml:"station"`
	Contest string            `toml:"contest"`
	Choice  string            `toml:"choice"`
	Votes   string            `toml:"votes"`
	Choices map[string]string `toml:"choices"`
}

// readRealManifest reads a manifest's sources, a wide one's layout left
// out or "wide".
func readRealManifest(name string, data []byte) (realManifest, error) {
	var m realManifest
	if _, err := toml.Decode(string(data), &m); err != nil {
		return realManifest{}, fmt.Errorf("%s: %v", name, err)
	}
	for i, s := range m.Sources {
		if s.Layout == "" {
			m.Sources[i].Layout = "wide"
		}
		switch {
		case s.Name == "" || s.File == "":
			return realManifest{}, fmt.Errorf("%s: source %d needs a name and a file", name, i+1)
		case m.Sources[i].Layout == "wide" && s.Mapping == "":
			return realManifest{}, fmt.Errorf("%s: source %s: a wide table needs a mapping", name, s.Name)
		case s.Layout == "long" && (len(s.Long.Station) == 0 || s.Long.Choice == "" || s.Long.Votes == ""):
			return realManifest{}, fmt.Errorf("%s: source %s: a long table needs [source.long] station, choice and votes", name, s.Name)
		}
	}
	return m, nil
}

// realMapping is a -csv-map spec as realDiffs reads it: the station's
// columns, joined with "." into its id, and each figure's columns, summed.
type realMapping struct {
	station []string
	figures map[string][]string // field as written (president.CC, registered) → columns
}

func parseRealMapping(spec string) (realMapping, error) {
	m := realMapping{figures: map[string][]string{}}
	for _, entry := range strings.Split(spec, ",") {
		field, cols, ok := strings.Cut(entry, "=")
		field = strings.TrimSpace(field)
		if !ok || field == "" {
			return realMapping{}, fmt.Errorf("mapping entry %q is not FIELD=COLUMNS", entry)
		}
		var list []string
		for _, c := range strings.Split(cols, "+") {
			if c = strings.TrimSpace(c); c == "" {
				return realMapping{}, fmt.Errorf("mapping field %s: empty column", field)
			}
			list = append(list, c)
		}
		if _, dup := m.figures[field]; dup || field == "station" && m.station != nil {
			return realMapping{}, fmt.Errorf("mapping field %s given twice", field)
		}
		if field == "station" {
			m.station = list
		} else {
			m.figures[field] = list
		}
	}
	if m.station == nil {
		return realMapping{}, errors.New("mapping names no station column")
	}
	return m, nil
}

// realTable is one source read: each station's figures by field.
type realTable map[string]map[string]int64

// realCSV is a CSV file being read: its name, reader and header's columns.
type realCSV struct {
	name   string
	r      *csv.Reader
	header []string
	col    map[string]int
	twice  map[string]bool
	src    realSource
}

// openRealCSV decodes data as the source's encoding says (UTF-8 or
// Latin-1), drops a byte order mark and reads the header.
func openRealCSV(name string, data []byte, src realSource) (*realCSV, error) {
	switch strings.ToLower(src.Encoding) {
	case "utf-8", "utf8", "":
	case "latin-1", "latin1", "iso-8859-1":
		runes := make([]rune, len(data))
		for i, c := range data {
			runes[i] = rune(c)
		}
		data = []byte(string(runes))
	default:
		return nil, fmt.Errorf("%s: encoding %q", name, src.Encoding)
	}
	c := &realCSV{name: name, src: src, col: map[string]int{}, twice: map[string]bool{}}
	c.r = csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	var err error
	if c.header, err = c.r.Read(); err != nil {
		return nil, fmt.Errorf("%s: header: %v", name, err)
	}
	for i, h := range c.header {
		h = strings.TrimSpace(h)
		if _, dup := c.col[h]; dup {
			c.twice[h] = true
		}
		c.col[h] = i
	}
	return c, nil
}

// index gives the positions of the named columns, each once in the header.
func (c *realCSV) index(cols ...string) ([]int, error) {
	var is []int
	for _, name := range cols {
		i, ok := c.col[name]
		if !ok {
			return nil, fmt.Errorf("%s: no column %q", c.name, name)
		}
		if c.twice[name] {
			return nil, fmt.Errorf("%s: column %q twice in the header", c.name, name)
		}
		is = append(is, i)
	}
	return is, nil
}

// next reads a record; nil at the end.
func (c *realCSV) next() ([]string, int, error) {
	rec, err := c.r.Read()
	if err == io.EOF {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %v", c.name, err)
	}
	line, _ := c.r.FieldPos(0)
	return rec, line, nil
}

// station is the record's station id: its columns joined with ".", the
// source's characters dropped and, if it says so, leading zeros trimmed.
func (c *realCSV) station(rec []string, line int, cols []int) (string, error) {
	var parts []string
	for _, i := range cols {
		parts = append(parts, strings.TrimSpace(rec[i]))
	}
	id := strings.Map(func(r rune) rune {
		if strings.ContainsRune(c.src.IDs.Drop, r) {
			return -1
		}
		return r
	}, strings.Join(parts, "."))
	if c.src.IDs.TrimZeros {
		if t := strings.TrimLeft(id, "0"); t != "" {
			id = t
		}
	}
	if id == "" {
		return "", fmt.Errorf("%s line %d: empty station id", c.name, line)
	}
	return id, nil
}

// count reads a whole number of votes, 0 to 999,999,999.
func (c *realCSV) count(rec []string, line, i int) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(rec[i]), 10, 64)
	if err != nil || n < 0 || n > 999999999 {
		return 0, fmt.Errorf("%s line %d column %q: %q is not a whole number", c.name, line, c.header[i], rec[i])
	}
	return n, nil
}

// readRealTable reads a wide CSV, one row a station, under a mapping: each
// station's figures by field as the mapping writes it. A missing column or
// one named twice in the header, a duplicate station, a cell that is not a
// whole number up to 999,999,999: an error naming the file, and the line
// and the column where there is one.
func readRealTable(name string, data []byte, m realMapping, src realSource) (realTable, error) {
	c, err := openRealCSV(name, data, src)
	if err != nil {
		return nil, err
	}
	stationCols, err := c.index(m.station...)
	if err != nil {
		return nil, err
	}
	figureCols := map[string][]int{}
	for f, cols := range m.figures {
		if figureCols[f], err = c.index(cols...); err != nil {
			return nil, err
		}
	}
	table := realTable{}
	lineOf := map[string]int{}
	for {
		rec, line, err := c.next()
		if rec == nil {
			return table, err
		}
		id, err := c.station(rec, line, stationCols)
		if err != nil {
			return nil, err
		}
		if first, dup := lineOf[id]; dup {
			return nil, fmt.Errorf("%s line %d: station %s again (first on line %d)", name, line, id, first)
		}
		lineOf[id] = line
		figures := map[string]int64{}
		for f, is := range figureCols {
			for _, i := range is {
				n, err := c.count(rec, line, i)
				if err != nil {
					return nil, err
				}
				figures[f] += n
			}
		}
		table[id] = figures
	}
}

// readRealLong reads a long CSV, one row a station and choice (and contest):
// each station's figures by field, CONTEST.CHOICE or, without a contest
// column, CHOICE, the choice as [source.long.choices] names it. A choice
// value that table does not list, and a figure given twice for one station:
// errors naming the file and the line.
func readRealLong(name string, data []byte, src realSource) (realTable, error) {
	c, err := openRealCSV(name, data, src)
	if err != nil {
		return nil, err
	}
	l := src.Long
	stationCols, err := c.index(l.Station...)
	if err != nil {
		return nil, err
	}
	cols, err := c.index(l.Choice, l.Votes)
	if err != nil {
		return nil, err
	}
	contestCol := -1
	if l.Contest != "" {
		is, err := c.index(l.Contest)
		if err != nil {
			return nil, err
		}
		contestCol = is[0]
	}
	table := realTable{}
	lineOf := map[string]int{}
	for {
		rec, line, err := c.next()
		if rec == nil {
			return table, err
		}
		id, err := c.station(rec, line, stationCols)
		if err != nil {
			return nil, err
		}
		value := strings.TrimSpace(rec[cols[0]])
		field, ok := l.Choices[value]
		if !ok {
			return nil, fmt.Errorf("%s line %d column %q: %q is not among [source.long.choices]", name, line, l.Choice, value)
		}
		if contestCol >= 0 {
			field = strings.TrimSpace(rec[contestCol]) + "." + field
		}
		key := id + "\x00" + field
		if first, dup := lineOf[key]; dup {
			return nil, fmt.Errorf("%s line %d: station %s, %s again (first on line %d)", name, line, id, field, first)
		}
		lineOf[key] = line
		n, err := c.count(rec, line, cols[1])
		if err != nil {
			return nil, err
		}
		if table[id] == nil {
			table[id] = map[string]int64{}
		}
		table[id][field] = n
	}
}

// realDiffs reads dir/sources.toml, which must list exactly two sources,
// wide or long, and compares them station by station on the fields both
// give: differ holds the stations in both whose figures differ, onlyA and
// onlyB those in only the first or only the second source; each sorted.
// A field a station lacks in one source but has in the other (a party that
// stood there in one count only) counts as a difference.
func realDiffs(t *testing.T, dir string) (differ []string, onlyA, onlyB []string) {
	t.Helper()
	name := filepath.Join(dir, "sources.toml")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	m, err := readRealManifest(name, data)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Sources) != 2 {
		t.Fatalf("%s: %d sources, want two", name, len(m.Sources))
	}
	var tables [2]realTable
	var fields [2]map[string]bool
	for i, src := range m.Sources {
		file := filepath.Join(dir, src.File)
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(file, ".gz") {
			z, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if raw, err = io.ReadAll(z); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
		}
		switch src.Layout {
		case "wide":
			mapping, err := parseRealMapping(src.Mapping)
			if err != nil {
				t.Fatalf("%s: source %s: %v", name, src.Name, err)
			}
			tables[i], err = readRealTable(file, raw, mapping, src)
		case "long":
			tables[i], err = readRealLong(file, raw, src)
		default:
			t.Fatalf("%s: source %s is %s; realDiffs reads wide and long tables", name, src.Name, src.Layout)
		}
		if err != nil {
			t.Fatal(err)
		}
		fields[i] = map[string]bool{}
		for _, figures := range tables[i] {
			for f := range figures {
				fields[i][f] = true
			}
		}
	}
	var common []string
	for f := range fields[0] {
		if fields[1][f] {
			common = append(common, f)
		}
	}
	if len(common) == 0 {
		t.Fatalf("%s: the two sources give no figure in common", name)
	}
	for i, fs := range fields {
		for f := range fs {
			if !fields[1-i][f] {
				t.Logf("%s: %s gives %s, the other source does not: not compared", name, m.Sources[i].Name, f)
			}
		}
	}
	for id, a := range tables[0] {
		b, ok := tables[1][id]
		if !ok {
			onlyA = append(onlyA, id)
			continue
		}
		for _, f := range common {
			x, inA := a[f]
			y, inB := b[f]
			if x != y || inA != inB {
				differ = append(differ, id)
				break
			}
		}
	}
	for id := range tables[1] {
		if _, ok := tables[0][id]; !ok {
			onlyB = append(onlyB, id)
		}
	}
	slices.Sort(differ)
	slices.Sort(onlyA)
	slices.Sort(onlyB)
	return differ, onlyA, onlyB
}

// TestRealPairs counts the stations where two published counts of one
// election differ, and checks the count against the figure the data set's
// README states and a few stations read by hand in the files.
func TestRealPairs(t *testing.T) {
	for _, c := range []struct {
		dir                  string
		big                  bool
		differ, onlyA, onlyB int
		readme               string   // the README's sentence with the figures
		differs, agrees      []string // stations checked by hand
		onlyInB              []string
	}{{
		dir: "testdata/bolivia2019", big: true, differ: 706, onlyA: 0, onlyB: 1749,
		readme: "706 actas differ",
		// 1143: TREP 21F 13, Cómputo 0 (PDC's 13 in the TREP twice);
		// 1209: MAS-IPSP 107 against 106; 2120: CC 108 against 116 and
		// MAS-IPSP 5 against 10, among others. 1001 and 1455 agree.
		differs: []string{"1143", "1209", "2120"},
		agrees:  []string{"1001", "1455"},
		onlyInB: []string{"1248", "1250"},
	}, {
		dir: "testdata/wi2016", differ: 665, onlyA: 0, onlyB: 0,
		readme: "665 of the 911 reporting units differ",
		// Madison ward 1: scattering 26 then 11; Milwaukee ward 1: Clinton
		// 932 then 935, McMullin 0 then 2, scattering 17 then 15; Waukesha
		// ward 1: Trump 551 then 552, McMullin 3 then 7, scattering 18 then
		// 11. The Town of York's ward 1 agrees.
		differs: []string{"DANE.C-MADISON-Ward-1", "MILWAUKEE.C-MILWAUKEE-Ward-1", "WAUKESHA.C-WAUKESHA-Ward-1"},
		agrees:  []string{"DANE.T-YORK-Ward-1"},
	}, {
		dir: "testdata/btw2025", differ: 295, onlyA: 0, onlyB: 0,
		readme: "295 of the 299 Wahlkreise differ",
		// Wahlkreis 1, Flensburg – Schleswig: invalid 1,027 then 988, BSW
		// 6,045 then 6,050, and eleven other parties; 83, Berlin-Treptow-
		// Köpenick: only the invalid, 1,030 then 1,019; 193, Gera – Greiz –
		// Altenburger Land: BSW 16,963 then 17,065. 11 Lübeck, 93 Köln II,
		// 114 Duisburg I and 122 Gelsenkirchen agree (ids without their
		// leading zeros, as the manifest says).
		differs: []string{"1", "83", "193"},
		agrees:  []string{"11", "93", "114", "122"},
	}} {
		t.Run(filepath.Base(c.dir), func(t *testing.T) {
			if testing.Short() && c.big {
				t.Skip("tens of thousands of stations")
			}
			differ, onlyA, onlyB := realDiffs(t, c.dir)
			t.Logf("%d differ, %d only in the first source, %d only in the second", len(differ), len(onlyA), len(onlyB))
			if len(differ) != c.differ || len(onlyA) != c.onlyA || len(onlyB) != c.onlyB {
				t.Errorf("%d differ, %d only in A, %d only in B; want %d, %d, %d", len(differ), len(onlyA), len(onlyB), c.differ, c.onlyA, c.onlyB)
			}
			readme, err := os.ReadFile(filepath.Join(c.dir, "README.md"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(readme), c.readme) {
				t.Errorf("README.md does not say %q", c.readme)
			}
			for _, id := range c.differs {
				if _, found := slices.BinarySearch(differ, id); !found {
					t.Errorf("station %s: not among those that differ", id)
				}
			}
			for _, id := range c.agrees {
				if _, found := slices.BinarySearch(differ, id); found {
					t.Errorf("station %s: among those that differ, but its two counts agree", id)
				}
			}
			for _, id := range c.onlyInB {
				if _, found := slices.BinarySearch(onlyB, id); !found {
					t.Errorf("station %s: not among those only in the second source", id)
				}
			}
		})
	}
}

// TestRealTableRefuses checks that the plain reader refuses what would make
// its count wrong rather than counting it.
func TestRealTableRefuses(t *testing.T) {
	m, err := parseRealMapping("station=a+b,x=c")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ csv, want string }{
		{"a,b,c\n1,2,3\n1,2,4\n", "line 3: station 1.2 again (first on line 2)"},
		{"a,b,c\n1,2,-3\n", `line 2 column "c": "-3" is not a whole number`},
		{"a,b,c\n1,2,x\n", `line 2 column "c": "x" is not a whole number`},
		{"a,b\n1,2\n", `no column "c"`},
		{"a,b,c,c\n1,2,3,4\n", `column "c" twice in the header`},
		{"a,b,c\n1,2,1000000000\n", `"1000000000" is not a whole number`},
		{"a,b,c\n1,2\n", "wrong number of fields"},
	} {
		_, err := readRealTable("t.csv", []byte(c.csv), m, realSource{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one with %q", c.csv, err, c.want)
		}
	}
	// Leading zeros and dropped separators make one station of two spellings.
	_, err = readRealTable("t.csv", []byte("a,b,c\n01,2,3\n1-,2,4\n"), m, realIDs(true, "-"))
	if err == nil || !strings.Contains(err.Error(), "station 1.2 again") {
		t.Errorf("normalised ids: %v, want the duplicate refused", err)
	}
	// Latin-1: the ú of "Número" is one byte, 0xFA.
	latin, err := parseRealMapping("station=Número,x=c")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := readRealTable("t.csv", []byte("N\xfamero,c\n7,5\n"), latin, realSource{Encoding: "latin-1"})
	if err != nil || tab["7"]["x"] != 5 {
		t.Errorf("latin-1: %v, %v", tab, err)
	}
	for _, spec := range []string{"", "x=c", "station=a,station=b", "station=a,x=", "station=a,x=c,x=d", "station"} {
		if _, err := parseRealMapping(spec); err == nil {
			t.Errorf("mapping %q accepted", spec)
		}
	}
}

// realIDs is a source whose ids are normalised so.
func realIDs(trimZeros bool, drop string) realSource {
	var s realSource
	s.IDs.TrimZeros, s.IDs.Drop = trimZeros, drop
	return s
}

func TestRealManifestRefuses(t *testing.T) {
	for _, c := range []struct{ toml, want string }{
		{"[[source]]\nname = \"a\"\nfile = \"f\"\n", "source a: a wide table needs a mapping"},
		{"[[source]]\nfile = \"f\"\nmapping = \"station=x\"\n", "source 1 needs a name and a file"},
		{"[[source]]\nname = \"a\"\nfile = \"f\"\nlayout = \"long\"\n[source.long]\nchoice = \"c\"\n", "source a: a long table needs [source.long] station, choice and votes"},
		{"[[source]]\nname = \"a\n", "s.toml: "},
	} {
		_, err := readRealManifest("s.toml", []byte(c.toml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one with %q", c.toml, err, c.want)
		}
	}
	m, err := readRealManifest("s.toml", []byte("election = \"e\"\nprecedence = [\"a\"]\n[[source]]\nname = \"a\"\nkind = \"unsigned\"\nfile = \"f.csv\"\nlayout = \"long\"\n[source.ids]\ntrim_zeros = true\ndrop = \"-/ \"\n[source.long]\nstation = [\"A\", \"B\"]\nchoice = \"C\"\nvotes = \"V\"\n[source.long.choices]\n\"MAS - IPSP\" = \"MAS-IPSP\"\n\"BLANCOS\" = \"blank\"\n"))
	if err != nil || m.Election != "e" || len(m.Sources) != 1 || !m.Sources[0].IDs.TrimZeros || m.Sources[0].IDs.Drop != "-/ " ||
		!slices.Equal(m.Sources[0].Long.Station, []string{"A", "B"}) || m.Sources[0].Long.Votes != "V" || len(m.Sources[0].Long.Choices) != 2 || m.Sources[0].Long.Choices["BLANCOS"] != "blank" {
		t.Errorf("%+v, %v", m, err)
	}
}

func TestRealLongRefuses(t *testing.T) {
	src := realIDs(true, "")
	src.Long = realLong{Station: []string{"wk"}, Choice: "party", Votes: "n", Choices: map[string]string{"A": "a", "Ungültige": "null"}}
	for _, c := range []struct{ csv, want string }{
		{"wk,party,n\n001,A,5\n1,A,6\n", "line 3: station 1, a again (first on line 2)"},
		{"wk,party,n\n001,B,5\n", `line 2 column "party": "B" is not among [source.long.choices]`},
		{"wk,party,n\n001,A,\n", `line 2 column "n": "" is not a whole number`},
		{"wk,party\n001,A\n", `no column "n"`},
	} {
		_, err := readRealLong("t.csv", []byte(c.csv), src)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one with %q", c.csv, err, c.want)
		}
	}
	tab, err := readRealLong("t.csv", []byte("\ufeffwk,party,n\r\n001,A,5\r\n001,Ungültige,2\r\n002,A,0\r\n"), src)
	if err != nil || len(tab) != 2 || tab["1"]["a"] != 5 || tab["1"]["null"] != 2 || tab["2"]["a"] != 0 {
		t.Errorf("%v, %v", tab, err)
	}
	src.Long.Contest = "c"
	tab, err = readRealLong("t.csv", []byte("wk,c,party,n\n1,x,A,5\n1,y,A,6\n"), src)
	if err != nil || tab["1"]["x.a"] != 5 || tab["1"]["y.a"] != 6 {
		t.Errorf("contest column: %v, %v", tab, err)
	}
}

func FuzzRealTable(f *testing.F) {
	f.Add("station=Número Mesa,president.CC=CC,president.blank=Blancos", []byte("\ufeffNúmero Mesa,CC,Blancos\n1455,2,1\n1456,6,1\n"))
	f.Add("station=id,president.Trump=Donald J. Trump / Michael R. Pence", []byte("id,Donald J. Trump / Michael R. Pence\nADAMS.T-ADAMS-Wards-1-3,377\n"))
	f.Add("station=a+b,x=c+d", []byte("a,b,c,d\r\n1,2,3,4\r\n"))
	f.Add("station=Gebietsnummer", []byte("Gebietsnummer,Gebietsname,party,n\n001,Flensburg – Schleswig,A,1027\n001,Flensburg – Schleswig,B,30544\n"))
	f.Fuzz(func(t *testing.T, spec string, data []byte) {
		m, err := parseRealMapping(spec)
		if err != nil {
			return
		}
		long := realIDs(true, "")
		long.Long = realLong{Station: m.station, Choice: "party", Votes: "n", Choices: map[string]string{"A": "a", "B": "b"}}
		if tab, err := readRealLong("t.csv", data, long); err == nil {
			for id, figures := range tab {
				for f := range figures {
					if id == "" || f != "a" && f != "b" {
						t.Errorf("long: station %q field %q", id, f)
					}
				}
			}
		} else if !strings.HasPrefix(err.Error(), "t.csv") {
			t.Errorf("long: error %q does not name the file", err)
		}
		tab, err := readRealTable("t.csv", data, m, realSource{})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "t.csv") {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		for id, figures := range tab {
			if id == "" {
				t.Error("empty station id accepted")
			}
			for f, n := range figures {
				if n < 0 {
					t.Errorf("station %s field %s: %d", id, f, n)
				}
			}
		}
	})
}
