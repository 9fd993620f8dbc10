package election_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// FuzzParse checks that Parse never panics and that what it accepts
// survives a round trip through Marshal.
func FuzzParse(f *testing.F) {
	f.Add(electiontest.New(electiontest.Options{Contests: 2}).Text)
	f.Add([]byte(template + "levels a\narea 1 One\n"))
	f.Add([]byte(template + "levels a\narea 1 One\nstation 1 1 - -\nstation 2 1 5 -\n"))
	f.Add([]byte(template + "levels a\ntimezone America/Caracas\narea 1 One\nstation 1 1 - -\n"))
	f.Add([]byte(template + "levels a\ndeadline 2024-07-29T06:00:00-04:00\narea 1 One\nstation 1 1 - -\n"))
	for _, v := range []string{"ok-rule", "ok-district", "ok-publicwitness", "ok-publicquorum-group", "ok-boundaries"} {
		ar, err := txtar.ParseFile("../../doc/spec/vectors/election/" + v + ".txt")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(ar.Files[0].Data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := election.Parse(data)
		if err != nil {
			return
		}
		form := d.Marshal()
		if d.Signed() != nil {
			form = d.Signed() // with an authority, only the signed form is read
		}
		again, err := election.Parse(form)
		if err != nil {
			t.Fatalf("Parse rejects what Marshal wrote: %v", err)
		}
		if !bytes.Equal(again.Marshal(), d.Marshal()) {
			t.Fatal("Marshal is not stable")
		}
	})
}

// FuzzReadStations checks that the CSV reader never panics.
func FuzzReadStations(f *testing.F) {
	f.Add(header + "1,DTTO. CAPITAL,1,MP. BLVNO LIBERTADOR,13,PQ. EL RECREO,10113042,1,666,364,0,232,120\n")
	f.Add("COD_EDO,EDO\n1,2\n")
	f.Fuzz(func(t *testing.T, csv string) {
		rows, err := election.ReadStations(strings.NewReader(csv), "f.csv", election.VE2024)
		if err == nil && len(rows) == 0 {
			t.Fatal("no error and no rows")
		}
	})
}

// FuzzObserve checks that the reader of published results never panics,
// and that what it builds is a definition Parse reads back.
func FuzzObserve(f *testing.F) {
	f.Add(wideCSV, false)
	f.Add(longCSV, true)
	f.Add("Mesa,Departamento,Municipio,Recinto,Inscritos,CC\n1,A,B,C,,1\n01,A,B,C,1,1\n", false)
	f.Add("Mesa,Departamento,Municipio,Recinto,Eleccion,Partido,Votos\n1,A,B,C,P,Blancos,1\n", true)
	f.Fuzz(func(t *testing.T, csv string, long bool) {
		c := wideColumns
		if long {
			c = longColumns
		}
		d, err := election.Observe([]byte(csv), "f.csv", c, nil, "")
		if err != nil {
			return
		}
		if _, err := election.Parse(d.Marshal()); err != nil {
			t.Fatalf("Parse rejects what Observe built: %v", err)
		}
	})
}
