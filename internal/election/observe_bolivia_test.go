package election_test

import (
	"archive/zip"
	"io"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// boliviaCSV returns final_computo.csv, read from its zip in testdata.
func boliviaCSV(t testing.TB) []byte {
	z, err := zip.OpenReader("testdata/bolivia2019/final_computo.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	f, err := z.Open("final_computo.csv")
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// boliviaColumns is the mapping of the official count of Bolivia's 2019
// presidential first round: a station's id is its acta number, the tree
// comes from the names of its places, and the party columns are found.
var boliviaColumns = election.Columns{
	Station:    []string{"Número Mesa"},
	Levels:     []string{"Departamento", "Provincia", "Municipio", "Localidad", "Recinto"},
	Registered: "Inscritos",
	Blank:      "Blancos",
	Null:       "Nulos",
	Contest:    "president",
}

func TestObserveBolivia2019(t *testing.T) {
	data := boliviaCSV(t)
	d, err := election.Observe(data, "final_computo.csv", boliviaColumns, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Stations) != 34555 {
		t.Errorf("%d stations, want 34555", len(d.Stations))
	}
	reg := 0
	for _, st := range d.Stations {
		if !st.Observer() {
			t.Fatalf("station %s enrols a machine", st.ID)
		}
		reg += st.Registered
	}
	if reg != 7315364 {
		t.Errorf("%d registered voters, want 7,315,364", reg)
	}
	if got, want := strings.Join(d.Levels, " "), "Departamento Provincia Municipio Localidad Recinto"; got != want {
		t.Errorf("levels %s, want %s", got, want)
	}
	var cands []string
	for _, x := range d.Contests[0].Candidates {
		cands = append(cands, x.ID+"="+x.Name)
	}
	if got, want := strings.Join(cands, ","), "CC=CC,FPV=FPV,MTS=MTS,UCS=UCS,MAS-IPSP=MAS - IPSP,21F=21F,PDC=PDC,MNR=MNR,PAN-BOL=PAN-BOL"; len(d.Contests) != 1 || got != want {
		t.Errorf("%d contests, candidates %s, want one with %s", len(d.Contests), got, want)
	}
	// The first acta, abroad: the names of its places are kept.
	st := d.Station("1001")
	var names []string
	for _, a := range d.AreaPath(st.Area) {
		names = append(names, a.Name)
	}
	if got, want := strings.Join(names, " / "), "Berlín / Berlín / Berlín / Berlín / Embajada"; got != want || st.Registered != 237 {
		t.Errorf("station 1001: %s, %d registered; want %s, 237", got, st.Registered, want)
	}
	// What election check does.
	again, err := election.Parse(d.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Stations) != 34555 || len(again.Areas) != len(d.Areas) {
		t.Errorf("read back: %d stations, %d areas", len(again.Stations), len(again.Areas))
	}
}
