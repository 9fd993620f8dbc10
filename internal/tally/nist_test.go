package tally

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// nistDef is the election of testdata/nist/example.json: a mayor (with a
// write-in) and a ballot measure at precincts 101 and 102.
func nistDef(t testing.TB) *election.Definition {
	t.Helper()
	def, err := election.Parse([]byte(election.Version + "\nid ex2024\nname Example\nlevels county\n" +
		"contest mayor * Mayor\ncandidate mayor ALBA Ana Alba\ncandidate mayor BRUNO Bruno Brun\ncandidate mayor WRITEIN Write-ins\n" +
		"contest measa * Measure A\ncandidate measa YES Yes\ncandidate measa NO No\n" +
		"area 1 Example County\nstation 101 1 - -\nstation 102 1 - -\n"))
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// nistExampleMapping reads example.json as a user would: precincts by
// their local-level code, contests by name, candidates by ballot name.
var nistExampleMapping = NISTMapping{
	Station: "ExternalIdentifier:local-level", UnitType: "precinct", Contest: "Name", Candidate: "BallotName",
	Contests: map[string]string{"Mayor": "mayor", "Measure A": "measa"},
	Choices:  map[string]string{"Ana Alba": "ALBA", "Bruno Brun": "BRUNO", "sel-mayor-wi": "WRITEIN", "Yes": "YES", "No": "NO"},
}

func readExample(t testing.TB) string {
	data, err := os.ReadFile("testdata/nist/example.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestReadTableNISTExample(t *testing.T) {
	def, in := nistDef(t), readExample(t)
	tb := Table{Name: "example.json", Layout: LayoutNIST, NIST: nistExampleMapping, IDs: IDRule{TrimZeros: true}}
	county := `example.json: counts of 1 GpUnits that are no station of the election not read (gpu-county): totals of larger areas, or stations whose ids do not match (declare unit_type to make those an error)`
	t.Run("total", func(t *testing.T) {
		checkTable(t, in, tb, def, []tableRow{
			{"GpUnit gpu-p1", "101", []int32{812, 484, 241, 232, 3, 6, 2, 310, 150, csvU, csvU}},
			{"GpUnit gpu-p2", "102", []int32{640, 370, 181, 180, 2, 7, 0, 210, 140, csvU, csvU}},
		}, nil, []string{county})
	})
	t.Run("election day", func(t *testing.T) {
		tb := tb
		tb.NIST.CountType = "election-day"
		checkTable(t, in, tb, def, []tableRow{
			{"GpUnit gpu-p1", "101", []int32{812, csvU, 201, 180, 3, csvU, csvU, 250, 120, csvU, csvU}},
			{"GpUnit gpu-p2", "102", []int32{640, csvU, 150, 160, 1, csvU, csvU, 170, 130, csvU, csvU}},
		}, nil, nil)
	})
	t.Run("by party and other id", func(t *testing.T) {
		tb := tb
		tb.IDs = IDRule{Drop: "EX-", TrimZeros: true}
		tb.NIST.Station = "ExternalIdentifier:state-precinct-code"
		tb.NIST.Candidate = "PartyAbbreviation"
		tb.NIST.Choices = map[string]string{"GRN": "ALBA", "BLU": "BRUNO", "sel-mayor-wi": "WRITEIN", "Yes": "YES", "No": "NO"}
		rows, errs, _ := ReadTable(strings.NewReader(in), tb, def)
		if len(errs) > 0 || len(rows) != 2 || rows[0].Station != "101" || rows[0].Figures.Votes[0] != 241 {
			t.Errorf("rows %v, errors %q", rowsOf(rows), errStrings(errs))
		}
	})
	t.Run("unmapped", func(t *testing.T) {
		tb := tb
		tb.NIST.Choices = map[string]string{"Ana Alba": "ALBA", "Yes": "YES", "No": "NO", "Nobody": "BRUNO"}
		tb.NIST.Contests = map[string]string{"Mayor": "mayor", "Measure A": "measa", "Sheriff": "mayor"}
		checkTable(t, in, tb, def, []tableRow{
			{"GpUnit gpu-p1", "101", []int32{812, 484, 241, csvU, csvU, 6, 2, 310, 150, csvU, csvU}},
			{"GpUnit gpu-p2", "102", []int32{640, 370, 181, csvU, csvU, 7, 0, 210, 140, csvU, csvU}},
		}, []string{
			`example.json: /Election/0/Contest/0/ContestSelection/1: selection "Bruno Brun" is not in the mapping's choices`,
			`example.json: /Election/0/Contest/0/ContestSelection/2: selection "sel-mayor-wi" is not in the mapping's choices`,
		}, []string{
			county,
			`example.json: contest "Sheriff" (contest mayor) is in the mapping but not in the report`,
			`example.json: selection "Nobody" (BRUNO) is in the mapping but not in the report`,
		})
	})
	t.Run("any unit", func(t *testing.T) {
		// Without UnitType, a GpUnit without the identifier is no station.
		tb := tb
		tb.NIST.UnitType = ""
		rows, errs, warns := ReadTable(strings.NewReader(in), tb, def)
		if len(rows) != 2 || len(errs) > 0 || !slices.Equal(warns, []string{county}) {
			t.Errorf("rows %v, errors %q, warnings %q", rowsOf(rows), errStrings(errs), warns)
		}
	})
}

func TestReadTableNISTErrors(t *testing.T) {
	def, in := nistDef(t), readExample(t)
	tb := Table{Name: "x.json", Layout: LayoutNIST, NIST: nistExampleMapping, IDs: IDRule{TrimZeros: true}}
	edit := func(old, new string, n int) string {
		t.Helper()
		if strings.Count(in, old) < 1 {
			t.Fatalf("no %q in the example", old)
		}
		return strings.Replace(in, old, new, n)
	}
	for _, tc := range []struct {
		name, in string
		stations []string
		errs     []string
	}{
		{"not a count", edit(`"Count": 241`, `"Count": 241.5`, 1), []string{"101", "102"}, []string{
			`x.json: /Election/0/Contest/0/ContestSelection/0/VoteCounts/2: Count: "241.5" is not a count`}},
		{"negative", edit(`"Overvotes": 2`, `"Overvotes": -2`, 1), []string{"101", "102"}, []string{
			`x.json: /Election/0/Contest/0/OtherCounts/0: Overvotes: "-2" is not a count`}},
		{"numeric string", edit(`"Count": 241`, `"Count": "241"`, 1), []string{"101", "102"}, nil},
		{"count twice", edit(`"Type": "absentee"`, `"Type": "total"`, 1), []string{"102"}, []string{
			`x.json: /Election/0/Contest/0/ContestSelection/0/VoteCounts/2: station 101 (GpUnit gpu-p1): a figure given twice, at /Election/0/Contest/0/ContestSelection/0/VoteCounts/1 and /Election/0/Contest/0/ContestSelection/0/VoteCounts/2: its figures from this file are dropped`}},
		{"station twice", edit(`"Value": "0102"`, `"Value": "101"`, 1), nil, []string{
			`x.json: GpUnit gpu-p2: station 101 given twice, at GpUnit gpu-p1 and GpUnit gpu-p2: its figures from this file are dropped`}},
		{"unknown unit", edit(`"GpUnitId": "gpu-p2",`, `"GpUnitId": "gpu-p9",`, 1), []string{"101", "102"}, []string{
			`x.json: /Election/0/BallotCounts/1: GpUnitId "gpu-p9" is no GpUnit of the report`}},
		{"unknown station", edit(`"Value": "0102"`, `"Value": "0103"`, 1), []string{"101"}, []string{
			`x.json: GpUnit gpu-p2: station "0103" (read as "103") not in the election`}},
		{"duplicate key", edit(`"Count": 241`, `"Count": 241, "Count": 242`, 1), nil, []string{
			`x.json: not a NIST SP 1500-100 election report: line 238: /Election/0/Contest/0/ContestSelection/0/VoteCounts/2/Count: duplicate object member name`}},
		{"not a report", `{"@type": "ElectionResults.Election"}`, nil, []string{
			`x.json: not a NIST SP 1500-100 election report: @type "ElectionResults.Election", want ElectionResults.ElectionReport`}},
		{"not json", `station,votes`, nil, []string{
			`x.json: not a NIST SP 1500-100 election report: line 1: invalid character 's' at start of value`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, errs, _ := ReadTable(strings.NewReader(tc.in), tb, def)
			var got []string
			for _, r := range rows {
				got = append(got, r.Station)
			}
			if !slices.Equal(got, tc.stations) {
				t.Errorf("stations %q, want %q", got, tc.stations)
			}
			if g := errStrings(errs); !slices.Equal(g, tc.errs) {
				t.Errorf("errors\n%q, want\n%q", g, tc.errs)
			}
		})
	}
}

func TestNISTMappingNames(t *testing.T) {
	def, in := nistDef(t), readExample(t)
	for _, tc := range []struct {
		m    NISTMapping
		want string
	}{
		{NISTMapping{Station: "Number"}, `x.json: NIST mapping: station name "Number" (want @id, Name or ExternalIdentifier:TYPE)`},
		{NISTMapping{Station: "ExternalIdentifier:"}, `x.json: NIST mapping: station name "ExternalIdentifier:" (want @id, Name or ExternalIdentifier:TYPE)`},
		{NISTMapping{Contest: "BallotTitle"}, `x.json: NIST mapping: contest name "BallotTitle" (want @id, Name, Abbreviation or ExternalIdentifier:TYPE)`},
		{NISTMapping{Candidate: "Party"}, `x.json: NIST mapping: candidate name "Party" (want @id, BallotName, PartyAbbreviation, PartyName or ExternalIdentifier:TYPE)`},
	} {
		rows, errs, _ := ReadTable(strings.NewReader(in), Table{Name: "x.json", Layout: LayoutNIST, NIST: tc.m}, def)
		if g := errStrings(errs); len(rows) > 0 || !slices.Equal(g, []string{tc.want}) {
			t.Errorf("%+v: %d rows, errors %q, want %q", tc.m, len(rows), g, tc.want)
		}
	}
}

// TestNISTRoundTrip: what WriteNIST writes, ReadTable reads back with the
// zero mapping, Unknown figures included.
func TestNISTRoundTrip(t *testing.T) {
	for _, def := range []*election.Definition{csvMultiDef(), nistDef(t), csvVE2024().Def} {
		var rows []CSVRow
		for i, st := range def.Stations {
			f := NewFigures(def.Ballot(st))
			if i%2 == 0 {
				f.Registered = int32(500 + i)
			}
			f.Ballots = int32(300 + i)
			for j := range f.Votes {
				if (i+j)%5 != 3 {
					f.Votes[j] = int32(i*7 + j)
				}
			}
			rows = append(rows, CSVRow{Station: st.ID, Figures: f})
		}
		var buf bytes.Buffer
		if err := WriteNIST(&buf, def, rows); err != nil {
			t.Fatal(err)
		}
		got, errs, warns := ReadTable(&buf, Table{Name: "out.json", Layout: LayoutNIST}, def)
		if len(errs) > 0 || len(warns) > 0 {
			t.Fatalf("%s: errors %q, warnings %q", def.ID, errStrings(errs), warns)
		}
		if len(got) != len(rows) {
			t.Fatalf("%s: %d rows back, want %d", def.ID, len(got), len(rows))
		}
		for i, r := range got {
			w := rows[i]
			if r.Station != w.Station || r.Where != "GpUnit gpu-"+w.Station || r.Figures.Registered != w.Figures.Registered ||
				r.Figures.Ballots != w.Figures.Ballots || !slices.Equal(r.Figures.Votes, w.Figures.Votes) {
				t.Errorf("%s: read back %+v, want %+v", def.ID, r, w)
			}
		}
	}
	var buf bytes.Buffer
	def := csvMultiDef()
	if err := WriteNIST(&buf, def, []CSVRow{{Station: "100.1", Figures: NewFigures(def.Ballot(def.Station("100.1")))}, {Station: "100.1"}}); err == nil {
		t.Error("a station written twice")
	}
}
