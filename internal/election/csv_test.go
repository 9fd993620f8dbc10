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
