package audit_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// FuzzParseSeed: any string is a seed of digits only, at least
// MinSeedDigits long, or an error.
func FuzzParseSeed(f *testing.F) {
	f.Add("12345678901234567890")
	f.Add("1234 5678 9012 3456 7890")
	f.Add("x")
	f.Fuzz(func(t *testing.T, s string) {
		seed, err := audit.ParseSeed(s)
		if err != nil {
			return
		}
		if len(seed) < audit.MinSeedDigits || strings.Trim(seed, "0123456789") != "" {
			t.Fatalf("ParseSeed(%q) = %q", s, seed)
		}
	})
}

// FuzzReadPolls: any bytes as the auditors' CSV of polled vouchers never
// panic; every poll read is of a station of the election, a voucher from 1,
// and a choice for each contest of its ballot; every error names the file.
func FuzzReadPolls(f *testing.F) {
	fx := electiontest.New(electiontest.Options{Seed: "polls", Stations: 3})
	f.Add([]byte("station,ballot,president\n100.1,3,ALBA\n100.2,1,null\n"))
	f.Add([]byte("station,ballot\n100.1,3\n"))
	f.Add([]byte("station,ballot,president\n100.1,2,ALBA+BRUNO\n100.1,4,ALBA+ALBA\n100.3,5,+\n"))
	f.Add([]byte("station,ballot,president\n100.9,0,ZED\n\"100.1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		polls, errs := audit.ReadPolls(strings.NewReader(string(data)), "polls.csv", fx.Def)
		for _, p := range polls {
			if fx.Def.Station(p.Station) == nil || p.Ballot < 1 || len(p.Choices) != 1 {
				t.Fatalf("poll %+v", p)
			}
		}
		for _, err := range errs {
			if !strings.HasPrefix(err.Error(), "polls.csv") {
				t.Fatalf("error without the file: %v", err)
			}
		}
	})
}

// FuzzReadTrail: any bytes are a chained trail, each entry numbered in
// order, or an error naming the file; never a panic.
func FuzzReadTrail(f *testing.F) {
	first := `{"seq":1,"prev":"","kind":"state","state":{"election":"test","method":"alpha","risk_limit":0.05,"announced_sha256":"ab","seed_commitment":"cd","rounds":[]}}`
	f.Add([]byte(first + "\n"))
	f.Add([]byte(first + "\n" + `{"seq":2,"prev":"00","kind":"polls","file":"polls-1.note","sha256":"ef"}` + "\n"))
	f.Add([]byte(`{"seq":1,"prev":"","kind":"report","report":{"decision":"confirmed","risks":{"president":0.01}}}` + "\n"))
	f.Add([]byte("{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), audit.TrailFile)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		entries, err := audit.ReadTrail(path)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		for i, e := range entries {
			if e.Seq != i+1 || (i == 0) != (e.Prev == "") {
				t.Errorf("entry %d: seq %d prev %q", i+1, e.Seq, e.Prev)
			}
		}
	})
}
