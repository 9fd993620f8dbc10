package verify_test

import (
	"context"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/announced"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

const announcedJSON = `{"election":"test","log_size":2,"checkpoint":"",
"stations":[{"station":"100.1","index":0,"registered":500,"ballots":300,"contests":[{"id":"president","name":"Contest 1","candidates":[{"id":"ALBA","name":"A","votes":100},{"id":"BRUNO","votes":150},{"id":"CORA","votes":40}],"blank":4,"null":6}]}],
"totals":[{"id":"president","candidates":[{"id":"ALBA","votes":100},{"id":"BRUNO","votes":150},{"id":"CORA","votes":40}],"blank":4,"null":6}]}`

const announcedCSV = "station,index,registered,ballots,contest,candidate,votes\n" +
	"100.1,0,500,300,president,ALBA,100\n100.1,0,500,300,president,BRUNO,150\n100.1,0,500,300,president,CORA,40\n" +
	"100.1,0,500,300,president,blank,4\n100.1,0,500,300,president,null,6\n"

// TestReadAnnounced reads both forms of the center's announcement and the
// mistakes each can hold: each is a problem naming the source and where.
func TestReadAnnounced(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "announced"})
	for _, tc := range []struct {
		name, data, problem string
	}{
		{"json", announcedJSON, ""},
		{"csv", announcedCSV, ""},
		{"syntax", `{"election": "test",` + "\n" + `"stations": [}`, "a.json: not the center's announced figures: line 2: /stations/0: invalid character '}'"},
		{"case-folded key", strings.Replace(announcedJSON, `"votes":150}`, `"votes":150,"Votes":15}`, 1), `unknown field "Votes"`},
		{"duplicate key", strings.Replace(announcedJSON, `"votes":150}`, `"votes":150,"votes":15}`, 1), `duplicate object member name`},
		{"totals unknown candidate", strings.Replace(announcedJSON, `"totals":[{"id":"president","candidates":[{"id":"ALBA","votes":100}`, `"totals":[{"id":"president","candidates":[{"id":"ZED","votes":9},{"id":"ALBA","votes":100}`, 1), `contest president has no candidate "ZED", and the announced totals give it 9 votes`},
		{"totals twice", strings.Replace(announcedJSON, `"totals":[{"id":"president","candidates":[{"id":"ALBA","votes":100}`, `"totals":[{"id":"president","candidates":[{"id":"ALBA","votes":1},{"id":"ALBA","votes":100}`, 1), `candidate ALBA given twice`},
		{"totals negative", strings.Replace(announcedJSON, `"candidates":[{"id":"ALBA","votes":100},{"id":"BRUNO","votes":150},{"id":"CORA","votes":40}],"blank":4,"null":6}]}`, `"candidates":[{"id":"ALBA","votes":100},{"id":"BRUNO","votes":150},{"id":"CORA","votes":-40}],"blank":4,"null":6}]}`, 1), `candidate CORA has -40 votes`},
		{"unknown field", `{"election":"test","extra":1}`, `unknown field "extra"`},
		{"other election", `{"election":"other"}`, `figures of election "other", not "test"`},
		{"unknown station", strings.Replace(announcedJSON, `"100.1"`, `"999.1"`, 1), `station 1 (999.1): no station "999.1" in election test`},
		{"unknown candidate", strings.Replace(announcedJSON, `"id":"CORA","votes":40}],"blank":4,"null":6}]}],`, `"id":"ZED","votes":40}],"blank":4,"null":6}]}],`, 1), `contest president has no candidate "ZED"`},
		{"negative", strings.Replace(announcedJSON, `"votes":150`, `"votes":-1`, 1), "-1 votes out of range"},
		{"twice", strings.Replace(announcedJSON, `{"id":"CORA","votes":40}],"blank":4`, `{"id":"ALBA","votes":40}],"blank":4`, 1), "candidate ALBA given twice"},
		{"csv header", "station,votes\n", `line 1: header "station,votes"`},
		{"csv count", strings.Replace(announcedCSV, "BRUNO,150", "BRUNO,15x", 1), `line 3: votes "15x" is not a count`},
		{"csv fields", announcedCSV + "100.1,0\n", "line 7: 2 fields, want 7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := verify.New(f.Def)
			v.ReadAnnounced("a.json", []byte(tc.data))
			r := v.Report(context.Background())
			if tc.problem == "" {
				// Read alone, the announcement is compared with nothing.
				if len(r.Problems) != 1 || !strings.Contains(r.Problems[0].What, "compared with nothing") || r.Sources[0].Counts != 1 || r.Agreeing != 1 {
					t.Fatalf("problems %v, %d counts, %d agreeing; want compared with nothing, 1, 1", r.Problems, r.Sources[0].Counts, r.Agreeing)
				}
				o := r.Outcomes[0]
				if o.AnnouncedWinner != "BRUNO" || o.AnnouncedMargin != 50 || o.CorrectedWinner != "BRUNO" {
					t.Errorf("outcome %+v", o)
				}
				return
			}
			if len(r.Problems) == 0 || !strings.Contains(r.Problems[0].String(), tc.problem) {
				t.Fatalf("problems %v, want one containing %q", r.Problems, tc.problem)
			}
		})
	}
}

// FuzzReadAnnounced: any bytes as an announcement never panic, and every
// problem names the source.
func FuzzReadAnnounced(f *testing.F) {
	fx := electiontest.New(electiontest.Options{Seed: "announced"})
	f.Add([]byte(announcedJSON))
	f.Add([]byte(announcedCSV))
	f.Add([]byte(`{"stations":[{"station":"100.2","contests":[{"id":"president"}]}]}`))
	// Signed announcements (doc/spec/announced.md): two of one station.
	for _, alba := range []int{6, 60} {
		a := &announced.Announcement{Election: "test", Definition: fx.Def.Digest(), Size: 3, Station: "100.1", Index: 1, Registered: 500, Ballots: alba + 4,
			Contests: []announced.Contest{{ID: "president", Candidates: []announced.Candidate{{ID: "ALBA", Votes: alba}, {ID: "BRUNO", Votes: 3}, {ID: "CORA"}}, Null: 1}}}
		msg, err := announced.Sign(a, fx.Center)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(msg)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v := verify.New(fx.Def)
		v.ReadAnnounced("fuzz.json", data)
		r := v.Report(context.Background())
		for _, p := range r.Problems {
			if p.Source != "fuzz.json" {
				t.Fatalf("problem without its source: %v", p)
			}
		}
		for _, f := range r.Findings {
			if f.Station != "" && fx.Def.Station(f.Station) == nil {
				t.Fatalf("finding at a station not in the election: %v", f.Station)
			}
		}
	})
}
