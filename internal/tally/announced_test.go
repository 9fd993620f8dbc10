package tally

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

const announcedJSON = `{"election":"test","log_size":2,"checkpoint":"",
"stations":[{"station":"100.1","index":0,"registered":500,"ballots":300,"contests":[{"id":"president","name":"Contest 1","candidates":[{"id":"ALBA","name":"A","votes":100},{"id":"BRUNO","votes":150},{"id":"CORA","votes":40}],"blank":4,"null":6}]}],
"totals":[{"id":"president","candidates":[{"id":"ALBA","votes":100},{"id":"BRUNO","votes":150},{"id":"CORA","votes":40}],"blank":4,"null":6}]}`

const announcedCSV = "station,index,registered,ballots,contest,candidate,votes\n" +
	"100.1,0,500,300,president,ALBA,100\n100.1,0,500,300,president,BRUNO,150\n100.1,0,500,300,president,CORA,40\n" +
	"100.1,0,500,300,president,blank,4\n100.1,0,500,300,president,null,6\n"

// TestParseAnnounced reads both forms of the center's announcement into the
// same figures, and names the source and the station of what it cannot read.
func TestParseAnnounced(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "announced"})
	want := Figures{Registered: 500, Ballots: 300, Votes: []int32{100, 150, 40, 4, 6}}
	for _, data := range []string{announcedJSON, announcedCSV} {
		a, errs := ParseAnnounced(f.Def, "a", []byte(data))
		if a == nil || len(errs) != 0 || len(a.Stations) != 1 {
			t.Fatalf("%v, %v", a, errs)
		}
		s := a.Stations[0]
		if s.Station != "100.1" || s.Where != "station 1 (100.1)" || !reflect.DeepEqual(s.Figures, want) {
			t.Errorf("station %+v, want 100.1 with %v", s, want)
		}
	}
	a, _ := ParseAnnounced(f.Def, "a", []byte(announcedJSON))
	wantTotals := []ContestTotal{{"president", map[string]int64{"ALBA": 100, "BRUNO": 150, "CORA": 40, "blank": 4, "null": 6}}}
	if *a.LogSize != 2 || !reflect.DeepEqual(a.Totals, wantTotals) {
		t.Errorf("log size %d, totals %v; want 2, %v", *a.LogSize, a.Totals, wantTotals)
	}

	bad := strings.Replace(announcedJSON, `"100.1"`, `"999.1"`, 1)
	a, errs := ParseAnnounced(f.Def, "a.json", []byte(bad))
	var se *SourceError
	if a == nil || len(a.Stations) != 0 || len(errs) != 1 || !errors.As(errs[0], &se) ||
		se.Where != "station 1 (999.1)" || errs[0].Error() != `a.json: station 1 (999.1): no station "999.1" in election test` {
		t.Errorf("unknown station: %v, %v", a, errs)
	}
	a, errs = ParseAnnounced(f.Def, "a.csv", []byte("station,votes\n"))
	if a != nil || len(errs) != 1 || !errors.As(errs[0], &se) || se.Where != "" || !strings.HasPrefix(errs[0].Error(), `a.csv: line 1: header "station,votes"`) {
		t.Errorf("bad header: %v, %v", a, errs)
	}
}

// FuzzParseAnnounced: any bytes never panic, every error is a *SourceError
// naming the source, and every station read is of the election.
func FuzzParseAnnounced(f *testing.F) {
	fx := electiontest.New(electiontest.Options{Seed: "announced"})
	f.Add([]byte(announcedJSON))
	f.Add([]byte(announcedCSV))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, errs := ParseAnnounced(fx.Def, "fuzz", data)
		for _, err := range errs {
			var se *SourceError
			if !errors.As(err, &se) || se.Source != "fuzz" {
				t.Fatalf("error without its source: %v", err)
			}
		}
		if a == nil {
			return
		}
		for _, s := range a.Stations {
			st := fx.Def.Station(s.Station)
			if st == nil || len(s.Figures.Votes) != BallotFigures(fx.Def.Ballot(st)) {
				t.Fatalf("station %q read with %d figures", s.Station, len(s.Figures.Votes))
			}
		}
	})
}
