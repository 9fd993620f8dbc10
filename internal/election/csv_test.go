package election_test

import (
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

const header = "\uFEFFCOD_EDO,EDO,COD_MUN,MUN,COD_PAR,PAR,CENTRO,MESA,RE,VOTOS_VALIDOS,VOTOS_NULOS,EG,NM\n"

const template = `triplicate election v1
id ve2024
name Elección presidencial 2024
contest president * Presidente
candidate president EG Edmundo González Urrutia
candidate president NM Nicolás Maduro Moros
`

func TestReadStationsAndBuild(t *testing.T) {
	csv := header +
		"1,DTTO. CAPITAL,1,MP. BLVNO LIBERTADOR,13,PQ. EL RECREO,10113042,1,666,364,0,232,120\n" +
		"1,DTTO. CAPITAL,1,MP. BLVNO LIBERTADOR,13,PQ. EL RECREO,10113042,2,673,372,0,260,93\n" +
		"1,DTTO. CAPITAL,1,MP. BLVNO LIBERTADOR,14,PQ. SAN JUAN,10114001,1,500,1,0,1,0\n"
	rows, err := election.ReadStations(strings.NewReader(csv), "ve.csv", election.VE2024)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[1].ID != "10113042.2" || rows[1].Registered != 673 || rows[1].Line != 3 {
		t.Fatalf("rows = %+v", rows)
	}
	d, err := election.Build([]byte(template), "template.txt", election.VE2024, rows, func(st string) (string, error) {
		return electiontest.Key("csv", "ve2024/machine/"+st).Public, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Areas) != 6 || len(d.Stations) != 3 || d.Levels[3] != "centre" {
		t.Fatalf("built %d areas, %d stations, levels %v", len(d.Areas), len(d.Stations), d.Levels)
	}
	path := d.AreaPath(d.Station("10113042.1").Area)
	if len(path) != 4 || path[2].Name != "PQ. EL RECREO" || path[3].Path != "1/1/13/10113042" {
		t.Fatalf("area path %+v", path)
	}
}

func TestReadStationsErrors(t *testing.T) {
	row := "1,DTTO. CAPITAL,1,MP. BLVNO LIBERTADOR,13,PQ. EL RECREO,10113042,1,666,364,0,232,120\n"
	tests := []struct{ name, csv, want string }{
		{"missing column", "COD_EDO,EDO\n1,X\n", `ve.csv: header has no column "MESA"`},
		{"duplicate", header + row + row, "ve.csv:3: station 10113042.1 already on line 2"},
		{"not a number", header + strings.Replace(row, ",666,", ",66a,", 1), `ve.csv:2: station 10113042.1: column RE: malformed number "66a"`},
		{"bad id", header + strings.Replace(row, "10113042", "1011 3042", 1), `ve.csv:2: column CENTRO: malformed id "1011 3042"`},
		{"short row", header + "1,2,3\n", "ve.csv:2: wrong number of fields"},
		{"encoding", "COD_EDO,EDO\n1,\xff\n", "ve.csv: not UTF-8 text"},
		{"empty", header, "ve.csv: no stations"},
		{"newline in a name", header + strings.Replace(row, "DTTO. CAPITAL", "\"DTTO\nauditor x\"", 1), "ve.csv:2: column EDO: control character U+000A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := election.ReadStations(strings.NewReader(tt.csv), "ve.csv", election.VE2024)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ReadStations: %v, want %q", err, tt.want)
			}
		})
	}
}

func TestBuildErrors(t *testing.T) {
	csv := header + "1,DTTO. CAPITAL,1,MP. BLVNO LIBERTADOR,13,PQ. EL RECREO,10113042,1,666,364,0,232,120\n"
	rows, err := election.ReadStations(strings.NewReader(csv), "ve.csv", election.VE2024)
	if err != nil {
		t.Fatal(err)
	}
	key := func(st string) (string, error) { return electiontest.Key("csv", "ve2024/machine/"+st).Public, nil }
	// A Windows template with a byte-order mark builds; errors name the
	// template's own lines.
	crlf := "\uFEFF" + strings.ReplaceAll(template, "\n", "\r\n")
	if _, err := election.Build([]byte(crlf), "t.txt", election.VE2024, rows, key); err != nil {
		t.Errorf("CRLF template: %v", err)
	}
	bad := strings.Replace(template, "candidate president NM", "candidate senate NM", 1)
	_, err = election.Build([]byte(bad), "t.txt", election.VE2024, rows, key)
	if err == nil || !strings.Contains(err.Error(), `t.txt:6: candidate NM: unknown contest "senate"`) {
		t.Errorf("Build: %v", err)
	}
	_, err = election.Build([]byte(template+"area 9 Nine\n"), "t.txt", election.VE2024, rows, key)
	if err == nil || !strings.Contains(err.Error(), `t.txt:7: unexpected "area" line`) {
		t.Errorf("Build: %v", err)
	}
}

// TestBuildDistricts: district membership read from CSV columns, for
// contests held in districts that do not nest: a station votes in the
// national contest, its congressional district's and its county's.
func TestBuildDistricts(t *testing.T) {
	l := election.VE2024
	l.Districts = []string{"CONGRESO", "CONDADO"}
	csv := "COD_EDO,EDO,COD_MUN,MUN,COD_PAR,PAR,CENTRO,MESA,RE,CONGRESO,CONDADO\n" +
		"1,A,1,B,13,C,10113042,1,666,cd-1,county-n\n" +
		"1,A,1,B,13,C,10113042,2,673,cd-2,county-n\n" +
		"1,A,1,B,14,D,10114001,1,500,cd-1,\n"
	rows, err := election.ReadStations(strings.NewReader(csv), "ve.csv", l)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := template + "district cd-1 First congressional district\n" +
		"contest house-1 cd-1 House, district 1\ncandidate house-1 X Xavier\ncandidate house-1 Y Yolanda\n" +
		"contest county cd-2 House, district 2\ncandidate county X Xavier\n" +
		"contest north county-n County north\ncandidate north Z Zoe\n"
	d, err := election.Build([]byte(tmpl), "template.txt", l, rows, func(st string) (string, error) {
		return electiontest.Key("csv", "ve2024/machine/"+st).Public, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ballot := func(id string) string {
		var ids []string
		for _, c := range d.Ballot(d.Station(id)) {
			ids = append(ids, c.ID)
		}
		return strings.Join(ids, " ")
	}
	for id, want := range map[string]string{"10113042.1": "president house-1 north", "10113042.2": "president county north", "10114001.1": "president house-1"} {
		if got := ballot(id); got != want {
			t.Errorf("station %s votes in %q, want %q", id, got, want)
		}
	}
	if dt := d.District("cd-1"); dt == nil || dt.Name != "First congressional district" {
		t.Errorf("cd-1: %+v, want the template's name", dt)
	}
	if dt := d.District("county-n"); dt == nil || dt.Name != "county-n" {
		t.Errorf("county-n: %+v, declared with its id for a name", dt)
	}
	_, err = election.ReadStations(strings.NewReader(strings.Replace(csv, "cd-2", "cd 2", 1)), "ve.csv", l)
	if err == nil || !strings.Contains(err.Error(), `ve.csv:3: station 10113042.2: column CONGRESO: malformed district id "cd 2"`) {
		t.Errorf("a malformed district id: %v", err)
	}
	l.Districts = []string{"SENADO"}
	if _, err := election.ReadStations(strings.NewReader(csv), "ve.csv", l); err == nil || !strings.Contains(err.Error(), `header has no column "SENADO"`) {
		t.Errorf("a missing district column: %v", err)
	}
}
