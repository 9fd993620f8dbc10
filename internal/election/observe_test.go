package election_test

import (
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
)

const wideCSV = "\uFEFFMesa,Departamento,Municipio,Recinto,Inscritos,lat,CC,MAS - IPSP,Blancos,Nulos\r\n" +
	"1001,Chuquisaca,Sucre,Escuela Ávila,200,-19.04,50,60,2,3\r\n" +
	"1002,Chuquisaca,Sucre,Escuela Ávila,,-19.04,40,70,0,1\r\n" +
	"1003,La Paz,El Alto,Colegio 1,300,-16.5,10,200,5,5\r\n" +
	"1004,Chuquisaca,Azurduy,Escuela Ávila,100,-20.1,30,30,0,0\r\n"

var wideColumns = election.Columns{
	Station:    []string{"Mesa"},
	Levels:     []string{"Departamento", "Municipio", "Recinto"},
	Registered: "Inscritos",
	Blank:      "Blancos",
	Null:       "Nulos",
}

const longCSV = "Mesa,Departamento,Municipio,Recinto,Eleccion,Partido,Votos\n" +
	"1001,Chuquisaca,Sucre,Escuela,Presidente,CC,50\n" +
	"1001,Chuquisaca,Sucre,Escuela,Presidente,MAS,60\n" +
	"1001,Chuquisaca,Sucre,Escuela,Presidente,Blancos,2\n" +
	"1001,Chuquisaca,Sucre,Escuela,Alcalde Sucre,Juan Pérez,70\n" +
	"1002,Chuquisaca,Sucre,Colegio,Presidente,CC,40\n" +
	"1002,Chuquisaca,Sucre,Colegio,Presidente,MAS,70\n" +
	"1002,Chuquisaca,Sucre,Colegio,Alcalde Sucre,Ana Ruiz,80\n" +
	"1003,La Paz,El Alto,Colegio,Presidente,MAS,200\n"

var longColumns = election.Columns{
	Station: []string{"Mesa"},
	Levels:  []string{"Departamento", "Municipio", "Recinto"},
	Long:    &election.LongColumns{Contest: "Eleccion", Candidate: "Partido", Votes: "Votos"},
	Blank:   "Blancos",
}

func TestObserveWide(t *testing.T) {
	d, err := election.Observe([]byte(wideCSV), "bo.csv", wideColumns, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	got := string(d.Marshal())
	for _, want := range []string{
		"id bo\n", "name Published results of bo.csv\n",
		"contest contest * contest\ncandidate contest CC CC\ncandidate contest MAS-IPSP MAS - IPSP\n",
		"levels Departamento Municipio Recinto\n",
		// Codes: a name's position among its siblings' in byte order.
		"area 1 Chuquisaca\narea 1/2 Sucre\narea 1/2/1 Escuela Ávila\n",
		"area 1/1 Azurduy\narea 1/1/1 Escuela Ávila\narea 2 La Paz\narea 2/1 El Alto\narea 2/1/1 Colegio 1\n",
		"station 1001 1/2/1 200 -\nstation 1002 1/2/1 - -\nstation 1003 2/1/1 300 -\nstation 1004 1/1/1 100 -\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("definition lacks %q:\n%s", want, got)
		}
	}
}

func TestObserveWideTemplate(t *testing.T) {
	tmpl := "triplicate election v1\nid bo2019\nname Elecciones Generales 2019\n" +
		"contest president * Presidente\ncandidate president MAS-IPSP Movimiento al Socialismo\nparty cc Comunidad Ciudadana\n"
	c := wideColumns
	c.Candidates = []string{"CC", "MAS - IPSP"}
	d, err := election.Observe([]byte(wideCSV), "bo.csv", c, []byte(tmpl), "t.txt")
	if err != nil {
		t.Fatal(err)
	}
	got := string(d.Marshal())
	for _, want := range []string{
		"id bo2019\nname Elecciones Generales 2019\n",
		"contest president * Presidente\ncandidate president CC CC\ncandidate president MAS-IPSP Movimiento al Socialismo\nparty cc Comunidad Ciudadana\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("definition lacks %q:\n%s", want, got)
		}
	}
}

func TestObserveLong(t *testing.T) {
	d, err := election.Observe([]byte(longCSV), "long.csv", longColumns, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	got := string(d.Marshal())
	for _, want := range []string{
		"contest Presidente * Presidente\ncandidate Presidente CC CC\ncandidate Presidente MAS MAS\n",
		// A contest of the stations of one municipality is scoped to it.
		"contest Alcalde-Sucre 1/1 Alcalde Sucre\ncandidate Alcalde-Sucre Juan-Perez Juan Pérez\ncandidate Alcalde-Sucre Ana-Ruiz Ana Ruiz\n",
		"station 1001 1/1/2 - -\nstation 1002 1/1/1 - -\nstation 1003 2/1/1 - -\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("definition lacks %q:\n%s", want, got)
		}
	}
	if n := len(d.Ballot(d.Station("1003"))); n != 1 {
		t.Errorf("station 1003 has %d contests, want 1", n)
	}
}

func TestObserveErrors(t *testing.T) {
	wideRow := func(row string) string {
		return "Mesa,Departamento,Municipio,Recinto,Inscritos,CC,MAS\n1001,A,B,C,10,1,2\n" + row + "\n"
	}
	cols := election.Columns{Station: []string{"Mesa"}, Levels: []string{"Departamento", "Municipio", "Recinto"}, Registered: "Inscritos"}
	withCols := func(f func(*election.Columns)) election.Columns {
		c := cols
		f(&c)
		return c
	}
	for _, tc := range []struct {
		name, csv string
		cols      election.Columns
		template  string
		want      string
	}{
		{"missing column", wideRow("1002,A,B,C,10,1,2"), withCols(func(c *election.Columns) { c.Registered = "RE" }), "",
			`x.csv:1: header has no column "RE" (named by -registered`},
		{"column twice", wideRow("1002,A,B,C,10,1,2"), withCols(func(c *election.Columns) { c.Blank = "Inscritos" }), "",
			`x.csv:1: column "Inscritos" named by both -registered and -blank`},
		{"duplicate station", wideRow("1001,A,B,C,10,1,2"), cols, "",
			"x.csv:3: station 1001 already on line 2"},
		{"normalised station", wideRow("01001,A,B,C,10,1,2"), cols, "",
			"x.csv:3: column Mesa: station id 01001 is 1001 of line 2 but for case or leading zeros"},
		{"malformed station", wideRow("10 02,A,B,C,10,1,2"), cols, "",
			`x.csv:3: column Mesa: malformed station id "10 02"`},
		{"empty station", wideRow(",A,B,C,10,1,2"), cols, "",
			"x.csv:3: column Mesa: empty cell (the station id)"},
		{"empty level", wideRow("1002,A,,C,10,1,2"), cols, "",
			"x.csv:3: column Municipio: empty cell"},
		{"not a number", wideRow("1002,A,B,C,10,1,2x"), withCols(func(c *election.Columns) { c.Candidates = []string{"CC", "MAS"} }), "",
			`x.csv:3: column MAS: "2x" is not a whole number`},
		{"negative", wideRow("1002,A,B,C,10,-1,2"), cols, "",
			"x.csv:3: column CC: negative number -1"},
		{"negative registered", wideRow("1002,A,B,C,-10,1,2"), cols, "",
			"x.csv:3: column Inscritos: negative number -10"},
		{"too large", wideRow("1002,A,B,C,1000000000,1,2"), cols, "",
			"x.csv:3: column Inscritos: number 1000000000 is over 999999999"},
		{"fields", wideRow("1002,A,B,C,10,1"), cols, "",
			"x.csv:3: 6 fields, but the header has 7"},
		{"latin-1", wideRow("1002,A,B,Caf\xe9,10,1,2"), cols, "",
			"x.csv:3: byte 0xe9 is not UTF-8 (Latin-1? convert the file with iconv"},
		{"quote", wideRow("1002,A,B,\"C,10,1,2"), cols, "",
			"x.csv:3: extraneous or missing \" in quoted-field"},
		{"no rows", "Mesa,Departamento,Municipio,Recinto,Inscritos,CC,MAS\n", cols, "",
			"x.csv: no rows after the header"},
		{"empty", "", cols, "", "x.csv: empty file"},
		{"no candidates", "Mesa,Departamento,Municipio,Recinto,Inscritos\n1,A,B,C,1\n", cols, "",
			"x.csv:1: no candidate columns"},
		{"candidate ids", "Mesa,Departamento,Municipio,Recinto,Inscritos,MAS IPSP,MAS-IPSP\n1,A,B,C,1,1,1\n", cols, "",
			`x.csv:1: column MAS-IPSP: candidates "MAS IPSP" and "MAS-IPSP" would both have the id MAS-IPSP`},
		{"long duplicate", longCSV + "1003,La Paz,El Alto,Colegio,Presidente,MAS,1\n", longColumns, "",
			`x.csv:10: station 1003, contest Presidente, candidate "MAS" already on line 9`},
		{"long moved station", longCSV + "1003,La Paz,Achocalla,Colegio,Presidente,CC,1\n", longColumns, "",
			"x.csv:10: station 1003 is in La Paz / Achocalla / Colegio, but on line 9 in La Paz / El Alto / Colegio"},
		{"long votes", longCSV + "1003,La Paz,El Alto,Colegio,Presidente,CC,x\n", longColumns, "",
			`x.csv:10: column Votos: "x" is not a whole number`},
		{"long missing column", longCSV, func() election.Columns {
			c := longColumns
			c.Long = &election.LongColumns{Contest: "Eleccion", Candidate: "Candidato", Votes: "Votos"}
			return c
		}(), "", `x.csv:1: header has no column "Candidato" (named by -long candidate`},
		{"template contest", wideRow("1002,A,B,C,10,1,2"), cols, "triplicate election v1\nid x\nname X\ncontest senate * Senate\ncontest mayor * Mayor\n",
			"t.txt:4: contest senate is not in x.csv (its contests: contest)"},
		{"template candidate", wideRow("1002,A,B,C,10,1,2"), cols, "triplicate election v1\nid x\nname X\ncontest p * P\ncandidate p PAN Pan\n",
			"t.txt:5: contest p has no candidate PAN in x.csv (its candidates: CC MAS)"},
		{"template station", wideRow("1002,A,B,C,10,1,2"), cols, "triplicate election v1\nstation 1 1 1 -\n",
			`t.txt:2: unexpected "station" line`},
		{"template bad line", wideRow("1002,A,B,C,10,1,2"), cols, "triplicate election v1\nid x\nname X\nparty p+ P\n",
			`t.txt:4: malformed party id "p+"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tmpl []byte
			if tc.template != "" {
				tmpl = []byte(tc.template)
			}
			_, err := election.Observe([]byte(tc.csv), "x.csv", tc.cols, tmpl, "t.txt")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Observe: %v\nwant %q", err, tc.want)
			}
		})
	}
}

// TestParseLongColumns reads the -long flag's columns and refuses the rest.
func TestParseLongColumns(t *testing.T) {
	l, err := election.ParseLongColumns("contest=Cargo, candidate=Partido,votes=Votos")
	if err != nil || *l != (election.LongColumns{Contest: "Cargo", Candidate: "Partido", Votes: "Votos"}) {
		t.Errorf("got %+v, %v", l, err)
	}
	for _, bad := range []string{"candidate=P", "votes=V", "candidate=P,votes=V,extra=X", "candidate=,votes=V", "nonsense"} {
		if _, err := election.ParseLongColumns(bad); err == nil {
			t.Errorf("ParseLongColumns(%q) accepted", bad)
		}
	}
	if got := election.ColumnList("A, B ,C"); len(got) != 3 || got[1] != "B" {
		t.Errorf("ColumnList: %q", got)
	}
}
