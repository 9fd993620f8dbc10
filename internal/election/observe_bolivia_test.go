package election_test

import (
	"archive/zip"
	"io"
	"testing"
	"time"

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

// BoliviaColumns is the mapping of the official count of Bolivia's 2019
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
	start := time.Now()
	d, err := election.Observe(data, "final_computo.csv", boliviaColumns, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("built in %v", time.Since(start))
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
	t.Log(d.Levels, len(d.Areas), d.Contests[0].Candidates)
	again, err := election.Parse(d.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	_ = again
}
