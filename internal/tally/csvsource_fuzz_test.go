package tally

import (
	"bytes"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// FuzzReadCSV reads arbitrary bytes with a mapping over the three contests
// of csvMultiDef, one of them on some ballots only. ReadCSV must not panic;
// every row it returns must be of a station of the definition, in file
// order, with its ballot's figures, known exactly where the mapping has
// columns; every error must name the file.
func FuzzReadCSV(f *testing.F) {
	def := csvMultiDef()
	const spec = "station=S+T,registered=R,ballots=B,president.ALBA=A,president.blank=K+L,contest2.null=N,mayor.XAVI=X"
	m, err := ParseMapping(spec, def)
	if err != nil {
		f.Fatal(err)
	}
	const head = "S,T,R,B,A,K,L,N,X,NAME\n"
	for _, seed := range []string{
		head + "100,1,500,300,100,1,2,3,,a\n200,1,300,200,50,0,0,1,40,b\n",
		"\uFEFF" + head + "100,2,500,300,100,1,2,3,,Jos\xe9\n100,2,1,2,3,4,5,6,7,\"x\ny\"\n",
		head + "100,1,500,300,100,1,2,3\n100,1,999999999,300,100,999999999,1,3,,\"a\"b\n",
		head + "200,1,300,200,50,0,0,1,,b\n999,1,1,1,1,1,1,1,1,1\n",
		"S;T;R\n100;1;500\n",
		"S,T,R,B,A,K,L,N\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, errs := ReadCSV(bytes.NewReader(data), "fuzz.csv", def, m)
		if len(errs) > maxCSVErrors+1 {
			t.Errorf("%d errors", len(errs))
		}
		for _, err := range errs {
			if !strings.HasPrefix(err.Error(), "fuzz.csv:") {
				t.Errorf("error does not name the file: %q", err)
			}
		}
		last := 1
		for _, r := range rows {
			st := def.Station(r.Station)
			if st == nil {
				t.Fatalf("line %d: station %q not in the definition", r.Line, r.Station)
			}
			if r.Line <= last {
				t.Errorf("row of line %d after line %d", r.Line, last)
			}
			last = r.Line
			ballot := def.Ballot(st)
			if len(r.Figures.Votes) != BallotFigures(ballot) {
				t.Fatalf("line %d: %d votes, ballot has %d figures", r.Line, len(r.Figures.Votes), BallotFigures(ballot))
			}
			want := []bool{true, true} // registered, ballots
			for _, c := range ballot {
				for j := range len(c.Candidates) + 2 {
					_, mapped := m.Figures[c.ID+"."+figureID(c, j)]
					want = append(want, mapped)
				}
			}
			for i, v := range append([]int32{r.Figures.Registered, r.Figures.Ballots}, r.Figures.Votes...) {
				if known := v != Unknown; known != want[i] || v < Unknown || v > election.MaxCount {
					t.Errorf("line %d: figure %d is %d, want it known: %v", r.Line, i, v, want[i])
				}
			}
		}
	})
}
