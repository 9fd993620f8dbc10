package contest

import (
	"compress/gzip"
	"encoding/csv"
	"os"
	"strconv"
	"testing"
)

// TestDecisiveBolivia2019 holds the decisive set to the exact oracle and
// the reference on real figures nobody here wrote: Bolivia's presidential
// first round of 20 October 2019, the official Cómputo, 34,555 actas
// (../verify/testdata/bolivia2019, whose README names the source), under
// the constitution's rule (art. 166: more than 50% of the valid votes, or
// at least 40% and a lead of more than 10 points). MAS-IPSP is elected
// with a lead of 10.57 points: the set is the few actas that, false,
// would have sent the election to a runoff.
func TestDecisiveBolivia2019(t *testing.T) {
	f, err := os.Open("../verify/testdata/bolivia2019/computo.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(z).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// mesa, inscritos, nine parties, blancos, nulos.
	var st []Totals
	for i, row := range rows[1:] {
		n := make([]int64, len(row)-1)
		for j, s := range row[1:] {
			if n[j], err = strconv.ParseInt(s, 10, 64); err != nil {
				t.Fatalf("row %d: %v", i+2, err)
			}
		}
		s := Totals{Votes: n[1:10], Blank: n[10], Null: n[11], Registered: n[0]}
		s.Ballots = s.Blank + s.Null
		for _, v := range s.Votes {
			s.Ballots += v
		}
		st = append(st, s)
	}
	if len(st) != 34555 {
		t.Fatalf("%d actas, the README says 34,555", len(st))
	}
	r, err := Parse("threshold win=50 or=40 lead=10 base=valid")
	if err != nil {
		t.Fatal(err)
	}
	o := Decide(r, Sum(9, st))
	if o.Kind != Elected || len(o.Elected) != 1 || o.Elected[0] != 0 {
		t.Fatalf("the outcome: %s %v, want MAS-IPSP (c0) elected", o.Kind, o.Elected)
	}
	checkOracle(t, "Bolivia 2019", &o, st)
	set, floor := o.Decisive(st)
	if len(set) == 0 || len(set) > 1000 {
		t.Errorf("%d actas, floor %d: want a few hundred at most for a 0.57-point margin", len(set), floor)
	}
	t.Logf("Bolivia 2019: %d actas could, false, have forced a runoff (floor %d)", len(set), floor)
}
