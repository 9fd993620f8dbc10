package tally

import (
	"slices"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// tableRow is a row as the tests want it: where, station, and the figures
// (registered, ballots, votes…).
type tableRow struct {
	where   string
	station string
	figs    []int32
}

func rowsOf(rows []CSVRow) []tableRow {
	var out []tableRow
	for _, r := range rows {
		out = append(out, tableRow{r.Where, r.Station, append([]int32{r.Figures.Registered, r.Figures.Ballots}, r.Figures.Votes...)})
	}
	return out
}

// checkTable reads in through t against def and wants exactly these rows,
// errors and warnings.
func checkTable(t *testing.T, in string, tb Table, def *election.Definition, rows []tableRow, errs, warnings []string) {
	t.Helper()
	got, gotErrs, gotWarnings := ReadTable(strings.NewReader(in), tb, def)
	if g := rowsOf(got); !slices.EqualFunc(g, rows, func(a, b tableRow) bool {
		return a.where == b.where && a.station == b.station && slices.Equal(a.figs, b.figs)
	}) {
		t.Errorf("rows\n%v, want\n%v", g, rows)
	}
	if g := errStrings(gotErrs); !slices.Equal(g, errs) {
		t.Errorf("errors\n%q, want\n%q", g, errs)
	}
	if !slices.Equal(gotWarnings, warnings) {
		t.Errorf("warnings\n%q, want\n%q", gotWarnings, warnings)
	}
	for _, r := range got {
		if r.Line < 0 || r.Where == "" {
			t.Errorf("row %+v has no place", r)
		}
	}
}

// president's figures of a station of 1/100, then contest2's: ALBA, BRUNO,
// CORA, blank, null each; registered and ballots first.
func fig100(reg, bal int32, v ...int32) []int32 {
	f := append([]int32{reg, bal}, v...)
	for len(f) < 12 {
		f = append(f, csvU)
	}
	return f
}

func TestReadTableWide(t *testing.T) {
	def := csvMultiDef()
	m := mustMapping(t, "station=S,registered=R,president.ALBA=A,president.BRUNO=B", def)
	tb := Table{Name: "w.csv", Mapping: m}
	head := "S,R,A,B\n"
	t.Run("good", func(t *testing.T) {
		checkTable(t, head+"100.1,500,1,2\r\n100.2,400,3,4\r\n", tb, def, []tableRow{
			{"line 2", "100.1", fig100(500, csvU, 1, 2)},
			{"line 3", "100.2", fig100(400, csvU, 3, 4)},
		}, nil, nil)
	})
	t.Run("twice", func(t *testing.T) {
		// Both rows of 100.1 are dropped, whichever is right; the third too,
		// said as it is read (a table holds no more than two rows of a
		// station, however often a hostile file repeats it).
		checkTable(t, head+"100.1,500,1,2\n100.2,400,3,4\n100.1,500,1,2\n100.1,500,9,9\n", tb, def, []tableRow{
			{"line 3", "100.2", fig100(400, csvU, 3, 4)},
		}, []string{
			"w.csv:5: station 100.1 given twice, at line 2 and line 5: its rows from this file are dropped",
			"w.csv:4: station 100.1 given twice, at line 2 and line 4: its rows from this file are dropped",
		}, nil)
	})
	t.Run("bom crlf", func(t *testing.T) {
		checkTable(t, "\uFEFF"+head+"100.1,500,1,2\r\n", tb, def, []tableRow{{"line 2", "100.1", fig100(500, csvU, 1, 2)}}, nil, nil)
	})
	t.Run("missing column", func(t *testing.T) {
		checkTable(t, "S,R,A\n100.1,500,1\n", tb, def, nil, []string{"w.csv:1: header has no column B"}, nil)
	})
	t.Run("not counts", func(t *testing.T) {
		checkTable(t, head+"100.1,500,1,-2\n100.2,4x0,3,4\n", tb, def, nil, []string{
			`w.csv:2: column B: "-2" is not a count`,
			`w.csv:3: column R: "4x0" is not a count`,
		}, nil)
	})
	t.Run("unknown layout", func(t *testing.T) {
		checkTable(t, head, Table{Name: "w.csv", Layout: "xml"}, def, nil, []string{`w.csv: unknown layout "xml" (want wide, long, json or nist)`}, nil)
	})
}

func TestReadTableEncoding(t *testing.T) {
	def := csvMultiDef()
	m := mustMapping(t, "station=S,president.ALBA=Alba Núñez", def)
	in := "S,Alba N\xfa\xf1ez\n100.1,7\n" // Latin-1
	t.Run("undeclared", func(t *testing.T) {
		checkTable(t, in, Table{Name: "l1.csv", Mapping: m}, def, nil, []string{
			`l1.csv:1: header: not UTF-8 (Latin-1? declare encoding = "latin-1")`,
			`l1.csv:1: header has no column "Alba Núñez"`,
		}, nil)
	})
	t.Run("declared", func(t *testing.T) {
		checkTable(t, in, Table{Name: "l1.csv", Mapping: m, Encoding: "latin-1"}, def,
			[]tableRow{{"line 2", "100.1", fig100(csvU, csvU, 7)}}, nil, nil)
	})
	t.Run("row", func(t *testing.T) {
		checkTable(t, "S,A\n100.1,7\n100.2,\xe9\n", Table{Name: "l1.csv", Mapping: mustMapping(t, "station=S,president.ALBA=A", def)}, def,
			[]tableRow{{"line 2", "100.1", fig100(csvU, csvU, 7)}},
			[]string{`l1.csv:3: column A: not UTF-8 (Latin-1? declare encoding = "latin-1")`}, nil)
	})
	t.Run("unknown", func(t *testing.T) {
		checkTable(t, in, Table{Name: "l1.csv", Mapping: m, Encoding: "ebcdic"}, def, nil,
			[]string{`l1.csv: unknown encoding "ebcdic" (want utf-8 or latin-1)`}, nil)
	})
}

func TestReadTableIDs(t *testing.T) {
	def := csvMultiDef()
	m := mustMapping(t, "station=C+M,president.ALBA=A", def)
	rule := IDRule{TrimZeros: true, Drop: " -"}
	t.Run("normalised", func(t *testing.T) {
		checkTable(t, "C,M,A\n0100,01,1\n1-00, 2 ,2\n200,0001,3\n", Table{Name: "i.csv", Mapping: m, IDs: rule}, def, []tableRow{
			{"line 2", "100.1", fig100(csvU, csvU, 1)},
			{"line 3", "100.2", fig100(csvU, csvU, 2)},
			{"line 4", "200.1", append(fig100(csvU, csvU, 3), csvU, csvU, csvU, csvU)},
		}, nil, nil)
	})
	t.Run("exact", func(t *testing.T) {
		checkTable(t, "C,M,A\n0100,01,1\n100,1,2\n", Table{Name: "i.csv", Mapping: m}, def,
			[]tableRow{{"line 3", "100.1", fig100(csvU, csvU, 2)}},
			[]string{`i.csv:2: station "0100.01" not in the election`}, nil)
	})
	t.Run("read as", func(t *testing.T) {
		checkTable(t, "C,M,A\n0300,01,1\n", Table{Name: "i.csv", Mapping: m, IDs: rule}, def, nil,
			[]string{`i.csv:2: station "0300.01" (read as "300.1") not in the election`}, nil)
	})
	t.Run("two rows one station", func(t *testing.T) {
		checkTable(t, "C,M,A\n100,1,1\n0100,001,1\n", Table{Name: "i.csv", Mapping: m, IDs: rule}, def, nil,
			[]string{"i.csv:3: station 100.1 given twice, at line 2 and line 3: its rows from this file are dropped"}, nil)
	})
	t.Run("join", func(t *testing.T) {
		checkTable(t, "C,M,A\n100,1,1\n", Table{Name: "i.csv", Mapping: m, IDs: IDRule{Join: "/"}}, def, nil,
			[]string{`i.csv:2: station "100/1" not in the election`}, nil)
	})
	t.Run("definition clash", func(t *testing.T) {
		clash := csvDef("station 100.01 1/100 300 " + electiontest.Key("csv", "test/machine/100.01").Public + "\n")
		checkTable(t, "C,M,A\n100,1,1\n100,2,2\n", Table{Name: "i.csv", Mapping: m, IDs: rule}, clash,
			[]tableRow{{"line 3", "100.2", fig100(csvU, csvU, 2)}},
			[]string{
				`i.csv: stations 100.1 and 100.01 of the definition are both "100.1" under the id rule`,
				`i.csv:2: station "100.1" matches two stations: stations 100.1 and 100.01 of the definition are both "100.1" under the id rule`,
			}, nil)
	})
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

// TestReadTableDelimiter: European exports separate fields with ";", some
// with a tab; the table says which, and a delimiter that cannot be one is
// refused.
func TestReadTableDelimiter(t *testing.T) {
	def := csvMultiDef()
	m := Mapping{Station: []string{"S"}, Registered: []string{"R"}, Figures: map[string][]string{"president.ALBA": {"A"}, "president.BRUNO": {"B"}}}
	want := []tableRow{{"line 2", "100.1", fig100(500, csvU, 1, 2)}}
	checkTable(t, "S;R;A;B\n100.1;500;1;2\n", Table{Name: "s.csv", Mapping: m, Delimiter: ";"}, def, want, nil, nil)
	checkTable(t, "S\tR\tA\tB\n100.1\t500\t1\t2\n", Table{Name: "t.tsv", Mapping: m, Delimiter: "\t"}, def, want, nil, nil)
	checkTable(t, "S;R;A;B\n100.1;500;1;2\n", Table{Name: "s.csv", Mapping: m}, def, nil,
		[]string{`s.csv:1: header has no columns S, R, A, B (the fields seem separated by ";": declare delimiter = ";")`}, nil)
	checkTable(t, "S,R,A,B\n", Table{Name: "q.csv", Mapping: m, Delimiter: `"`}, def, nil,
		[]string{`q.csv: delimiter "\"": want one character, not a quote or a line end`}, nil)
	checkTable(t, "S,R,A,B\n", Table{Name: "q.csv", Mapping: m, Delimiter: ";;"}, def, nil,
		[]string{`q.csv: delimiter ";;": want one character, not a quote or a line end`}, nil)
	long := LongMapping{Station: []string{"S"}, Choice: "C", Votes: "V", Choices: map[string]string{"a": "president.ALBA", "b": "president.BRUNO", "r": "registered"}}
	checkTable(t, "S;C;V\n100.1;r;500\n100.1;a;1\n100.1;b;2\n", Table{Name: "l.csv", Layout: LayoutLong, Long: long, Delimiter: ";"}, def, want, nil, nil)
}

// TestReadTableDropJoin: a drop rule that would remove the join between
// an id's parts is refused, not left to read "1.2" as station 12.
func TestReadTableDropJoin(t *testing.T) {
	def := csvMultiDef()
	m := Mapping{Station: []string{"S"}, Figures: map[string][]string{"president.ALBA": {"A"}}}
	checkTable(t, "S,A\n100.1,1\n", Table{Name: "d.csv", Mapping: m, IDs: IDRule{Drop: ".-"}}, def, nil,
		[]string{`d.csv: station ids: drop ".-" holds the join ".": drop the separator inside a part, not the one between parts`}, nil)
}
