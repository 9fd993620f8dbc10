package tally

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// checkFuzzRows holds what every ReadTable answer must: errors and
// warnings naming the file, rows of stations of the definition each once,
// with a place, their ballot's number of figures, each Unknown or a count.
func checkFuzzRows(t *testing.T, def *election.Definition, name string, rows []CSVRow, errs []error, warns []string) {
	t.Helper()
	if len(errs) > maxCSVErrors+1 {
		t.Errorf("%d errors", len(errs))
	}
	for _, err := range errs {
		if !strings.HasPrefix(err.Error(), name+":") {
			t.Errorf("error does not name the file: %q", err)
		}
	}
	for _, w := range warns {
		if !strings.HasPrefix(w, name+":") {
			t.Errorf("warning does not name the file: %q", w)
		}
	}
	seen := map[string]bool{}
	for _, r := range rows {
		st := def.Station(r.Station)
		if st == nil {
			t.Fatalf("%s: station %q not in the definition", r.Where, r.Station)
		}
		if seen[r.Station] {
			t.Errorf("station %s twice", r.Station)
		}
		seen[r.Station] = true
		if r.Where == "" {
			t.Errorf("station %s has no place", r.Station)
		}
		if n := BallotFigures(def.Ballot(st)); len(r.Figures.Votes) != n {
			t.Fatalf("%s: %d figures, ballot has %d", r.Where, len(r.Figures.Votes), n)
		}
		for _, v := range append([]int32{r.Figures.Registered, r.Figures.Ballots}, r.Figures.Votes...) {
			if v < Unknown || v > election.MaxCount {
				t.Errorf("%s: figure %d", r.Where, v)
			}
		}
	}
}

func FuzzReadTableLong(f *testing.F) {
	def := csvMultiDef()
	m := LongMapping{
		Station: []string{"mesa", "n"}, Contest: "cargo", Choice: "opcion", Votes: "votos",
		Contests: map[string]string{"Presidente": "president", "Alcalde": "mayor", "Senado": "contest2"},
		Choices:  map[string]string{"Alba": "president.ALBA", "Bruno": "BRUNO", "Xavi": "mayor.XAVI", "EN BLANCO": "blank", "NULOS": "null", "INSCRITOS": "registered", "VOTANTES": "ballots"},
	}
	const head = "mesa,n,cargo,opcion,votos\n"
	for _, seed := range []string{
		head + "100,1,Presidente,Alba,10\n100,1,Presidente,Bruno,20\n200,1,Alcalde,Xavi,5\n100,1,Senado,EN BLANCO,1\n200,01,Alcalde,NULOS,2\n100,1,x,INSCRITOS,500\n",
		"\uFEFF" + head + "100,1,Presidente,Alba,10\r\n100,1,Presidente,Alba,10\r\n100,2,Alcalde,Alba,3\r\n",
		head + "100,1,Gobernador,Alba,1\n100,1,Presidente,Zoe,1\n100,1,Presidente,Alba,-1\n100,1,Presidente,Alba\n\"100\",\"1\",\"Presidente\",\"Alba N\xfa\xf1ez\",1\n",
		"mesa;n;cargo\n",
	} {
		f.Add([]byte(seed), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, trim bool) {
		tb := Table{Name: "fuzz.csv", Layout: LayoutLong, Long: m}
		if trim {
			tb.IDs = IDRule{TrimZeros: true, Drop: "-"}
		}
		rows, errs, warns := ReadTable(bytes.NewReader(data), tb, def)
		checkFuzzRows(t, def, "fuzz.csv", rows, errs, warns)
	})
}

func FuzzReadTableJSON(f *testing.F) {
	def := csvMultiDef()
	m, err := ParseMapping("station=centre+table,registered=reg,president.ALBA=alba,president.blank=blank+blank2,mayor.XAVI=x", def)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		`[{"centre":"100","table":1,"reg":500,"alba":"12","blank":0,"blank2":1,"x":3,"name":{"a":[1]}},` + "\n" + `{"centre":200,"table":"1","reg":" 400 ","alba":3,"blank":1,"blank2":0,"x":"4"}]`,
		`{"centre":"100","table":"1","reg":500,"alba":12,"blank":0,"blank2":0,"x":1}` + "\r\n" + `{"centre":"0100","table":"01","reg":500,"alba":12,"blank":0,"blank2":0,"x":1}`,
		`[{"centre":"100","table":"1","reg":null,"alba":12.5,"alba":1,"blank":-1}]`,
		"\uFEFF[{\"centre\":\"100\",\"table\":\"\xe9\"}]",
	} {
		f.Add([]byte(seed), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, latin1 bool) {
		tb := Table{Name: "fuzz.json", Layout: LayoutJSON, Mapping: m, IDs: IDRule{TrimZeros: true}}
		if latin1 {
			tb.Encoding = "latin-1"
		}
		rows, errs, warns := ReadTable(bytes.NewReader(data), tb, def)
		checkFuzzRows(t, def, "fuzz.json", rows, errs, warns)
	})
}

// FuzzReadTableNIST reads reports with the example's mapping and with the
// zero one; what it reads, WriteNIST writes and ReadTable reads back the
// same.
func FuzzReadTableNIST(f *testing.F) {
	def := nistDef(f)
	example := readExample(f)
	f.Add([]byte(example), false)
	rows, _, _ := ReadTable(strings.NewReader(example), Table{Layout: LayoutNIST, NIST: nistExampleMapping, IDs: IDRule{TrimZeros: true}}, def)
	var buf bytes.Buffer
	if err := WriteNIST(&buf, def, rows); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes(), true)
	f.Add([]byte(`{"@type":"ElectionResults.ElectionReport","GpUnit":[{"@id":"a","ExternalIdentifier":[{"Type":"other","OtherType":"triplicate","Value":"101"}],"VotersRegistered":"7"}]}`), true)
	f.Fuzz(func(t *testing.T, data []byte, zero bool) {
		tb := Table{Name: "fuzz.json", Layout: LayoutNIST, NIST: nistExampleMapping, IDs: IDRule{TrimZeros: true}}
		if zero {
			tb.NIST, tb.IDs = NISTMapping{}, IDRule{}
		}
		rows, errs, warns := ReadTable(bytes.NewReader(data), tb, def)
		checkFuzzRows(t, def, "fuzz.json", rows, errs, warns)
		var out bytes.Buffer
		if err := WriteNIST(&out, def, rows); err != nil {
			t.Fatal(err)
		}
		back, errs, _ := ReadTable(&out, Table{Name: "back.json", Layout: LayoutNIST}, def)
		if len(errs) > 0 || len(back) != len(rows) {
			t.Fatalf("read back %d rows of %d, errors %q", len(back), len(rows), errStrings(errs))
		}
		for i, r := range back {
			w := rows[i]
			if r.Station != w.Station || r.Figures.Registered != w.Figures.Registered || r.Figures.Ballots != w.Figures.Ballots || !slices.Equal(r.Figures.Votes, w.Figures.Votes) {
				t.Fatalf("read back %+v, want %+v", r, w)
			}
		}
	})
}
