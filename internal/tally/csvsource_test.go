package tally

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/simulate"
)

const csvU = Unknown // short, for tables of figures

// csvVE2024 is the election of the first 50 tables of the embedded data.
var csvVE2024 = sync.OnceValue(func() *simulate.Election {
	e, err := simulate.VE2024(50, rand.NewChaCha8([32]byte{'c', 's', 'v'}))
	if err != nil {
		panic(err)
	}
	return e
})

// csvMultiDef is a definition of three contests: president and contest2
// (candidates ALBA, BRUNO, CORA) at every station, and mayor (XAVI, YARA)
// only in area 1/200. Stations 100.1 and 100.2 are in 1/100, 200.1 in 1/200.
var csvMultiDef = sync.OnceValue(func() *election.Definition {
	return csvDef("area 1/200 Centre 200\n" +
		"contest mayor 1/200 Mayor\ncandidate mayor XAVI Xavi\ncandidate mayor YARA Yara\n" +
		"station 200.1 1/200 300 " + electiontest.Key("csv", "test/machine/200.1").Public + "\n")
})

// csvDef returns the definition of electiontest with two contests and the
// given lines added.
func csvDef(extra string) *election.Definition {
	f := electiontest.New(electiontest.Options{Seed: "csv", Contests: 2})
	def, err := election.Parse(append(slices.Clip(f.Text), extra...))
	if err != nil {
		panic(err)
	}
	return def
}

// csvHead returns the header and the first n rows of the embedded data.
func csvHead(n int) []byte {
	lines := bytes.SplitAfter(simulate.VE2024Capital, []byte("\n"))
	return bytes.Join(lines[:n+1], nil)
}

func mustMapping(t *testing.T, spec string, def *election.Definition) Mapping {
	t.Helper()
	m, err := ParseMapping(spec, def)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func errStrings(errs []error) []string {
	var s []string
	for _, e := range errs {
		s = append(s, e.Error())
	}
	return s
}

func TestReadCSVVE2024(t *testing.T) {
	e := csvVE2024()
	m := mustMapping(t, "ve2024", e.Def)
	rows, errs := ReadCSV(bytes.NewReader(csvHead(50)), "ve.csv", e.Def, m)
	if len(errs) > 0 {
		t.Fatalf("errors: %q", errStrings(errs))
	}
	if len(rows) != 50 {
		t.Fatalf("%d rows, want 50", len(rows))
	}
	// Rows straight from the file (line: CENTRO,MESA,RE,VOTOS_VALIDOS,VOTOS_NULOS,EG,...,BERA).
	named := []struct {
		line    int
		station string
		want    Figures
	}{
		// 10113042,1,666,364,0,232,120,5,0,0,3,1,1,0,2
		{2, "10113042.1", Figures{Registered: 666, Ballots: 364, Votes: []int32{232, 120, 5, 0, 0, 3, 1, 1, 0, 2, csvU, 0}}},
		// 10113042,2,673,372,0,260,93,5,0,1,1,2,0,2,8
		{3, "10113042.2", Figures{Registered: 673, Ballots: 372, Votes: []int32{260, 93, 5, 0, 1, 1, 2, 0, 2, 8, csvU, 0}}},
		// 10113011,6,908,408,1,310,87,2,1,1,3,2,0,0,2: one null vote
		{8, "10113011.6", Figures{Registered: 908, Ballots: 409, Votes: []int32{310, 87, 2, 1, 1, 3, 2, 0, 0, 2, csvU, 1}}},
	}
	for _, n := range named {
		r := rows[n.line-2]
		if r.Line != n.line || r.Station != n.station || !reflect.DeepEqual(r.Figures, n.want) {
			t.Errorf("row %d = %d %s %v, want %d %s %v", n.line-2, r.Line, r.Station, r.Figures, n.line, n.station, n.want)
		}
	}
	// Every row against the definition and simulate's own reading of the file.
	for i, r := range rows {
		st, tb := e.Def.Stations[i], e.Tables[i]
		if r.Line != i+2 || r.Station != st.ID || tb.Station != st.ID {
			t.Fatalf("row %d: line %d station %s, want line %d station %s", i, r.Line, r.Station, i+2, st.ID)
		}
		if r.Figures.Registered != int32(st.Registered) {
			t.Errorf("%s: registered %d, want %d", st.ID, r.Figures.Registered, st.Registered)
		}
		var want []int32
		for _, c := range e.Def.Contests[0].Candidates {
			want = append(want, int32(tb.Votes[c.ID]))
		}
		want = append(want, csvU, int32(tb.Null))
		if !slices.Equal(r.Figures.Votes, want) {
			t.Errorf("%s: votes %v, want %v", st.ID, r.Figures.Votes, want)
		}
	}
}

// TestReadCSVWholeVE2024 reads all 1,534 tables and checks the sums the
// data's README gives.
func TestReadCSVWholeVE2024(t *testing.T) {
	e, err := simulate.VE2024(0, rand.NewChaCha8([32]byte{}))
	if err != nil {
		t.Fatal(err)
	}
	rows, errs := ReadCSV(bytes.NewReader(simulate.VE2024Capital), "ve2024-dtto-capital.csv", e.Def, mustMapping(t, "ve2024", e.Def))
	if len(errs) > 0 || len(rows) != 1534 {
		t.Fatalf("%d rows, errors %q; want 1534 rows", len(rows), errStrings(errs))
	}
	var re, eg, nm int
	for _, r := range rows {
		re += int(r.Figures.Registered)
		eg += int(r.Figures.Votes[0])
		nm += int(r.Figures.Votes[1])
	}
	if re != 1_210_692 || eg != 462_138 || nm != 230_649 {
		t.Errorf("RE %d EG %d NM %d, want 1210692 462138 230649", re, eg, nm)
	}
}

func TestParseMapping(t *testing.T) {
	ve, multi := csvVE2024().Def, csvMultiDef()
	tests := []struct {
		spec string
		def  *election.Definition
		want Mapping
	}{
		{"ve2024", ve, Mapping{
			Station:    []string{"CENTRO", "MESA"},
			Registered: []string{"RE"},
			Ballots:    []string{"VOTOS_VALIDOS", "VOTOS_NULOS"},
			Figures: map[string][]string{
				"president.EG": {"EG"}, "president.NM": {"NM"}, "president.LM": {"LM"},
				"president.JABE": {"JABE"}, "president.JOBR": {"JOBR"}, "president.AE": {"AE"},
				"president.CF": {"CF"}, "president.DC": {"DC"}, "president.EM": {"EM"},
				"president.BERA": {"BERA"}, "president.null": {"VOTOS_NULOS"},
			},
		}},
		{" ve2024 ", ve, mustMapping(t, "ve2024", ve)},
		{" station = CENTRO + MESA , EG=EG,null=VOTOS_NULOS, blank = B1+B2 ", ve, Mapping{
			Station: []string{"CENTRO", "MESA"},
			Figures: map[string][]string{"president.EG": {"EG"}, "president.null": {"VOTOS_NULOS"}, "president.blank": {"B1", "B2"}},
		}},
		{"station=Mesa ID,registered=RE,ballots=A+B,president.NM=Votos NM", ve, Mapping{
			Station:    []string{"Mesa ID"},
			Registered: []string{"RE"},
			Ballots:    []string{"A", "B"},
			Figures:    map[string][]string{"president.NM": {"Votos NM"}},
		}},
		{"station=S", ve, Mapping{Station: []string{"S"}, Figures: map[string][]string{}}},
		{"station=S+T,president.ALBA=PA,contest2.blank=B,mayor.XAVI=X+Y,mayor.null=N", multi, Mapping{
			Station: []string{"S", "T"},
			Figures: map[string][]string{"president.ALBA": {"PA"}, "contest2.blank": {"B"}, "mayor.XAVI": {"X", "Y"}, "mayor.null": {"N"}},
		}},
	}
	for _, tt := range tests {
		got, err := ParseMapping(tt.spec, tt.def)
		if err != nil {
			t.Errorf("ParseMapping(%q): %v", tt.spec, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseMapping(%q) =\n%+v, want\n%+v", tt.spec, got, tt.want)
		}
	}
}

func TestParseMappingErrors(t *testing.T) {
	ve, multi := csvVE2024().Def, csvMultiDef()
	dotted := csvDef("contest a * A\ncandidate a b.c BC\ncontest a.b * AB\ncandidate a.b c C\n")
	tests := []struct {
		spec string
		def  *election.Definition
		want string
	}{
		{"", ve, "mapping: empty"},
		{" ", ve, "mapping: empty"},
		{"EG=EG", ve, "mapping: no station field (station=COLUMN or station=COLUMN+COLUMN)"},
		{"station=A,,EG=EG", ve, "mapping: empty entry (two commas in a row?)"},
		{"station=A,", ve, "mapping: empty entry (two commas in a row?)"},
		{"station=A,EG", ve, `mapping: "EG" is not FIELD=COLUMNS`},
		{"station=A,=EG", ve, `mapping: "=EG" has no field before =`},
		{"station=A,XX=1", ve, "mapping: field XX: unknown candidate XX of contest president"},
		{"station=A,president.XX=1", ve, "mapping: field president.XX: unknown candidate XX of contest president"},
		{"station=A,president.=1", ve, `mapping: field president.: unknown candidate "" of contest president`},
		{"station=A,senate.EG=1", ve, "mapping: field senate.EG: unknown contest senate"},
		{"station=A,Station=1", ve, "mapping: field Station: unknown candidate Station of contest president"},
		{"station=A,ALBA=1", multi, "mapping: field ALBA: the election has 3 contests: write CONTEST.ALBA"},
		{"station=A,null=1", multi, "mapping: field null: the election has 3 contests: write CONTEST.null"},
		{"station=A,ZED=1", multi, "mapping: field ZED: unknown candidate ZED (in no contest)"},
		{"station=A,mayor.ALBA=1", multi, "mapping: field mayor.ALBA: unknown candidate ALBA of contest mayor"},
		{"station=A,a.b.c=1", dotted, "mapping: field a.b.c: ambiguous: contest a's b.c or contest a.b's c"},
		{"station=A,EG=1,president.EG=2", ve, "mapping: field president.EG given twice (also as EG)"},
		{"station=A,blank=1,blank=2", ve, "mapping: field blank given twice"},
		{"station=A,station=B", ve, "mapping: field station given twice"},
		{"station=A,EG=", ve, "mapping: field EG: empty column name"},
		{"station=A,EG= + X", ve, "mapping: field EG: empty column name"},
		{"station=A+,EG=1", ve, "mapping: field station: empty column name"},
		{"ve2024", multi, "mapping ve2024: field president.EG: unknown candidate EG of contest president"},
		{"station=A", nil, "mapping: no election definition"},
	}
	for _, tt := range tests {
		m, err := ParseMapping(tt.spec, tt.def)
		if err == nil {
			t.Errorf("ParseMapping(%q) = %+v, want error %q", tt.spec, m, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("ParseMapping(%q):\n got %q\nwant %q", tt.spec, err, tt.want)
		}
	}
}

// csvFig returns figures of the ve2024 ballot with registered, EG, NM and
// null known, as the mapping of TestReadCSVErrors reads them.
func csvFig(registered, eg, nm, null int32) Figures {
	return Figures{Registered: registered, Ballots: csvU, Votes: []int32{eg, nm, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU, null}}
}

type csvWant struct {
	line    int
	station string
	fig     Figures
}

func TestReadCSVErrors(t *testing.T) {
	const spec = "station=CENTRO+MESA,registered=RE,EG=EG,NM=NM,null=NUL"
	const head = "CENTRO,MESA,RE,EG,NM,NUL,NAME\n"
	good1 := csvWant{2, "10113042.1", csvFig(666, 232, 120, 0)}
	tests := []struct {
		name string
		spec string // spec if empty
		in   string
		rows []csvWant
		errs []string
	}{
		{name: "good", in: head + "10113042,1,666,232,120,0,x\n10113042,2,673,260,93,1,y",
			rows: []csvWant{good1, {3, "10113042.2", csvFig(673, 260, 93, 1)}}},
		{name: "crlf and spaces", in: "CENTRO, MESA ,RE,EG,NM,NUL,NAME\r\n 10113042 , 1,666 , 232,\t120,0,x\r\n",
			rows: []csvWant{good1}},
		{name: "quoted", in: head + `"10113042","1","666","232","120","0","a, ""b"""` + "\n",
			rows: []csvWant{good1}},
		{name: "bom", in: "\uFEFF" + head + "10113042,1,666,232,120,0,x\n",
			rows: []csvWant{good1}},
		{name: "blank lines", in: head + "\n10113042,1,666,232,120,0,x\n\n\n10113042,2,673,260,93,1,y\n",
			rows: []csvWant{{3, "10113042.1", csvFig(666, 232, 120, 0)}, {6, "10113042.2", csvFig(673, 260, 93, 1)}}},
		{name: "header only", in: head},
		{name: "empty", in: "",
			errs: []string{"x.csv: empty file: no header"}},
		{name: "missing columns", in: "CENTRO,MESA,EG,NAME\n10113042,1,232,x\n",
			errs: []string{"x.csv:1: header has no columns RE, NM, NUL"}},
		{name: "missing column", in: "CENTRO,MESA,RE,EG,NM,NAME\n10113042,1,666,232,120,x\n",
			errs: []string{"x.csv:1: header has no column NUL"}},
		{name: "missing station column", in: "CENTRO,RE,EG,NM,NUL\n",
			errs: []string{"x.csv:1: header has no column MESA"}},
		{name: "semicolons", in: "CENTRO;MESA;RE;EG;NM;NUL\n10113042;1;666;232;120;0\n",
			errs: []string{`x.csv:1: header has no columns CENTRO, MESA, RE, EG, NM, NUL (the fields seem separated by ";": declare delimiter = ";")`}},
		{name: "column twice", in: "CENTRO,MESA,RE,EG,NM,NUL,EG\n10113042,1,666,232,120,0,1\n",
			errs: []string{"x.csv:1: header has column EG more than once"}},
		{name: "unmapped column twice", in: "CENTRO,MESA,RE,EG,NM,NUL,NAME,NAME\n10113042,1,666,232,120,0,x,y\n",
			rows: []csvWant{good1}},
		{name: "not a count", in: head + "10113042,1,666,12a,120,0,x\n10113042,2,673,260,93,1,y\n",
			rows: []csvWant{{3, "10113042.2", csvFig(673, 260, 93, 1)}},
			errs: []string{`x.csv:2: column EG: "12a" is not a count`}},
		{name: "bad counts", in: head +
			"10113042,1,666,232,,0,x\n" +
			"10113042,1,666,232,  ,0,x\n" +
			"10113042,1,007,232,120,0,x\n" +
			"10113042,1,666,-1,120,0,x\n" +
			"10113042,1,666,1000000000,120,0,x\n" +
			"10113042,1,666,1.5,120,0,x\n" +
			"10113042,1,666,1 000,120,0,x\n" +
			"10113042,1,666,232,120,+0,x\n" +
			"10113042,1,666,232,120,0,x\n",
			rows: []csvWant{{10, "10113042.1", csvFig(666, 232, 120, 0)}},
			errs: []string{
				"x.csv:2: column NM: empty cell",
				"x.csv:3: column NM: empty cell",
				`x.csv:4: column RE: "007" is not a count (leading zero)`,
				`x.csv:5: column EG: "-1" is not a count`,
				`x.csv:6: column EG: "1000000000" is not a count (over 999999999)`,
				`x.csv:7: column EG: "1.5" is not a count`,
				`x.csv:8: column EG: "1 000" is not a count`,
				`x.csv:9: column NUL: "+0" is not a count`,
			}},
		{name: "field count", in: head +
			"10113042,1,666,232,120,0\n" +
			"10113042,1,666,232,120,0,x,\n" +
			"10113042,2,673,260,93,1,y\n",
			rows: []csvWant{{4, "10113042.2", csvFig(673, 260, 93, 1)}},
			errs: []string{
				"x.csv:2: 6 fields, but the header has 7",
				"x.csv:3: 8 fields, but the header has 7",
			}},
		{name: "unknown station", in: head +
			"99999,1,666,232,120,0,x\n" +
			"10113042,,666,232,120,0,x\n" +
			"10113042, 1.0,666,232,120,0,x\n" +
			"10113042,1,666,232,120,0,x\n",
			rows: []csvWant{{5, "10113042.1", csvFig(666, 232, 120, 0)}},
			errs: []string{
				`x.csv:2: station "99999.1" not in the election`,
				`x.csv:3: column MESA: empty cell (the station id)`,
				`x.csv:4: station "10113042.1.0" not in the election`,
			}},
		{name: "latin-1", in: head +
			"10113042,1,666,232,120,0,x\n" +
			"10113042,2,673,260,93,1,Jos\xe9\n" +
			"10113042,2,673,260,93,1,y\n",
			rows: []csvWant{good1, {4, "10113042.2", csvFig(673, 260, 93, 1)}},
			errs: []string{"x.csv:3: column NAME: not UTF-8 (Latin-1? convert with iconv)"}},
		{name: "latin-1 in a field of two lines", in: head +
			"10113042,2,673,260,93,1,\"first\nJos\xe9\"\n" +
			"10113042,1,666,232,120,0,x\n",
			rows: []csvWant{{4, "10113042.1", csvFig(666, 232, 120, 0)}},
			errs: []string{"x.csv:3: column NAME: not UTF-8 (Latin-1? convert with iconv)"}},
		{name: "latin-1 header", in: "CENTRO,MESA,RE,EG,NM,NUL,A\xd1O\n10113042,1,666,232,120,0,2024\n",
			rows: []csvWant{good1},
			errs: []string{"x.csv:1: header: not UTF-8 (Latin-1? convert with iconv)"}},
		{name: "duplicate station", in: head +
			"10113042,1,666,232,120,0,x\n" +
			"10113042,1,666,200,152,0,x\n",
			rows: []csvWant{good1, {3, "10113042.1", csvFig(666, 200, 152, 0)}}},
		{name: "sum too large", spec: "station=CENTRO+MESA,registered=RE+NUL,EG=EG",
			in: head +
				"10113042,1,999999999,232,120,1,x\n" +
				"10113042,1,999999998,232,120,1,x\n",
			rows: []csvWant{{3, "10113042.1", Figures{Registered: 999999999, Ballots: csvU, Votes: []int32{232, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU}}}},
			errs: []string{"x.csv:2: columns RE+NUL: sum 1000000000 over 999999999"}},
		{name: "csv syntax", in: head +
			"10113042,1,666,232,120,0,say \"hi\"\n" +
			"10113042,1,666,232,120,0,\"x\"y\n" +
			"10113042,2,673,260,93,1,y\n" +
			"10113042,1,666,232,120,0,\"never closed\n10113042,2,673,260,93,1,y\n",
			rows: []csvWant{{4, "10113042.2", csvFig(673, 260, 93, 1)}},
			errs: []string{
				`x.csv:2: bare " in non-quoted-field`,
				`x.csv:3: extraneous or missing " in quoted-field`,
				`x.csv:6: extraneous or missing " in quoted-field (in the record from line 5)`,
			}},
		{name: "column names with spaces", spec: `station=Centro de votación+Mesa,EG=Votos EG`,
			in:   "Centro de votación,Mesa,Votos EG\n10113042,1,x\n10113042,2,5\n",
			rows: []csvWant{{3, "10113042.2", Figures{Registered: csvU, Ballots: csvU, Votes: []int32{5, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU}}}},
			errs: []string{`x.csv:2: column "Votos EG": "x" is not a count`}},
		{name: "missing columns with spaces", spec: `station=Centro de votación+Mesa,EG=Votos EG`,
			in:   "Mesa,EG\n",
			errs: []string{`x.csv:1: header has no columns "Centro de votación", "Votos EG"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def := csvVE2024().Def
			s := spec
			if tt.spec != "" {
				s = tt.spec
			}
			rows, errs := ReadCSV(strings.NewReader(tt.in), "x.csv", def, mustMapping(t, s, def))
			checkCSV(t, rows, errs, tt.rows, tt.errs)
		})
	}
}

func checkCSV(t *testing.T, rows []CSVRow, errs []error, want []csvWant, wantErrs []string) {
	t.Helper()
	if got := errStrings(errs); !slices.Equal(got, wantErrs) {
		t.Errorf("errors:\n got %q\nwant %q", got, wantErrs)
	}
	var got []csvWant
	for _, r := range rows {
		got = append(got, csvWant{r.Line, r.Station, r.Figures})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows:\n got %v\nwant %v", got, want)
	}
}

// TestReadCSVScope reads columns of a contest only for the stations that
// have it on their ballot.
func TestReadCSVScope(t *testing.T) {
	def := csvMultiDef()
	m := mustMapping(t, "station=S,registered=R,president.ALBA=PA,contest2.CORA=CC,mayor.XAVI=MX,mayor.null=MN", def)
	in := "S,R,PA,CC,MX,MN\n" +
		"100.1,500,10,20,,junk\n" +
		"200.1,300,11,21,31,2\n" +
		"200.1,300,11,21,,2\n" +
		"100.2,500,12,22,99,9\n"
	rows, errs := ReadCSV(strings.NewReader(in), "scope.csv", def, m)
	checkCSV(t, rows, errs, []csvWant{
		{2, "100.1", Figures{Registered: 500, Ballots: csvU, Votes: []int32{10, csvU, csvU, csvU, csvU, csvU, csvU, 20, csvU, csvU}}},
		{3, "200.1", Figures{Registered: 300, Ballots: csvU, Votes: []int32{11, csvU, csvU, csvU, csvU, csvU, csvU, 21, csvU, csvU, 31, csvU, csvU, 2}}},
		{5, "100.2", Figures{Registered: 500, Ballots: csvU, Votes: []int32{12, csvU, csvU, csvU, csvU, csvU, csvU, 22, csvU, csvU}}},
	}, []string{"scope.csv:4: column MX: empty cell"})
}

func TestReadCSVMapping(t *testing.T) {
	def := csvMultiDef()
	dotted := csvDef("contest a * A\ncandidate a b.c BC\ncontest a.b * AB\ncandidate a.b c C\n")
	const in = "S,A,B\n100.1,1,2\n"
	tests := []struct {
		def  *election.Definition
		m    Mapping
		want string
	}{
		{def, Mapping{}, "m.csv: mapping has no station column"},
		{def, Mapping{Station: []string{}}, "m.csv: mapping has no station column"},
		{nil, Mapping{Station: []string{"S"}}, "m.csv: no election definition"},
		{def, Mapping{Station: []string{"S"}, Figures: map[string][]string{"ALBA": {"A"}}},
			"m.csv: mapping: unknown figure ALBA (want CONTEST.CANDIDATE, CONTEST.blank or CONTEST.null)"},
		{def, Mapping{Station: []string{"S"}, Figures: map[string][]string{"president.ALBA": {"A"}, "nope.X": {"B"}}},
			"m.csv: mapping: unknown figure nope.X (want CONTEST.CANDIDATE, CONTEST.blank or CONTEST.null)"},
		{dotted, Mapping{Station: []string{"S"}, Figures: map[string][]string{"a.b.c": {"A"}}},
			"m.csv: mapping: figure a.b.c: ambiguous: contest a's b.c or contest a.b's c"},
		{def, Mapping{Station: []string{"S"}, Registered: []string{""}}, `m.csv:1: header has no column ""`},
	}
	for _, tt := range tests {
		rows, errs := ReadCSV(strings.NewReader(in), "m.csv", tt.def, tt.m)
		if got := errStrings(errs); len(rows) != 0 || !slices.Equal(got, []string{tt.want}) {
			t.Errorf("ReadCSV with %+v: %d rows, errors %q; want none and %q", tt.m, len(rows), got, tt.want)
		}
	}
	// A hand-made mapping with an empty column list reads as unknown.
	m := Mapping{Station: []string{"S"}, Registered: []string{}, Figures: map[string][]string{"president.ALBA": {"A"}, "president.BRUNO": nil}}
	rows, errs := ReadCSV(strings.NewReader(in), "m.csv", def, m)
	checkCSV(t, rows, errs, []csvWant{{2, "100.1", Figures{Registered: csvU, Ballots: csvU, Votes: []int32{1, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU}}}}, nil)
}

func TestReadCSVErrorCap(t *testing.T) {
	def := csvVE2024().Def
	var b strings.Builder
	b.WriteString("CENTRO,MESA,EG\n")
	for range 1005 {
		b.WriteString("10113042,1,x\n")
	}
	b.WriteString("10113042,2,7\n")
	rows, errs := ReadCSV(strings.NewReader(b.String()), "cap.csv", def, mustMapping(t, "station=CENTRO+MESA,EG=EG", def))
	if len(rows) != 1 || rows[0].Line != 1007 || rows[0].Figures.Votes[0] != 7 {
		t.Errorf("rows %v, want one of line 1007 with EG 7", rows)
	}
	if len(errs) != 1001 {
		t.Fatalf("%d errors, want 1001", len(errs))
	}
	if got, want := errs[999].Error(), `cap.csv:1001: column EG: "x" is not a count`; got != want {
		t.Errorf("error 1000 = %q, want %q", got, want)
	}
	if got, want := errs[1000].Error(), "cap.csv: ... and 5 more errors"; got != want {
		t.Errorf("last error = %q, want %q", got, want)
	}
}

func TestReadCSVReadError(t *testing.T) {
	def := csvVE2024().Def
	m := mustMapping(t, "station=CENTRO+MESA,EG=EG", def)
	in := io.MultiReader(strings.NewReader("CENTRO,MESA,EG\n10113042,1,7\n"), iotest.ErrReader(errors.New("disk on fire")))
	rows, errs := ReadCSV(in, "r.csv", def, m)
	checkCSV(t, rows, errs, []csvWant{{2, "10113042.1", Figures{Registered: csvU, Ballots: csvU, Votes: []int32{7, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU}}}},
		[]string{"r.csv: reading: disk on fire"})

	rows, errs = ReadCSV(iotest.ErrReader(errors.New("no such disk")), "r.csv", def, m)
	checkCSV(t, rows, errs, nil, []string{"r.csv: reading: no such disk"})

	// One byte at a time, the BOM split across reads.
	in = iotest.OneByteReader(strings.NewReader("\uFEFFCENTRO,MESA,EG\n10113042,1,7\n"))
	rows, errs = ReadCSV(in, "r.csv", def, m)
	checkCSV(t, rows, errs, []csvWant{{2, "10113042.1", Figures{Registered: csvU, Ballots: csvU, Votes: []int32{7, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU}}}}, nil)
}

// TestReadCSVRowsIndependent checks that rows do not share their votes.
func TestReadCSVRowsIndependent(t *testing.T) {
	def := csvVE2024().Def
	var b strings.Builder
	b.WriteString("CENTRO,MESA,EG\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "10113042,1,%d\n", i)
	}
	rows, errs := ReadCSV(strings.NewReader(b.String()), "i.csv", def, mustMapping(t, "station=CENTRO+MESA,EG=EG", def))
	if len(errs) > 0 || len(rows) != 3000 {
		t.Fatalf("%d rows, errors %q", len(rows), errStrings(errs))
	}
	for i := range rows {
		rows[i].Figures.Votes = append(rows[i].Figures.Votes, 0) // must not write into the next row
	}
	for i, r := range rows {
		if r.Figures.Votes[0] != int32(i) || len(r.Figures.Votes) != 13 {
			t.Fatalf("row %d: votes %v", i, r.Figures.Votes)
		}
	}
}
