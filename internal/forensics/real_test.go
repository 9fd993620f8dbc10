package forensics_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/forensics"
	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// boliviaParties are the parties of Bolivia's 2019 ballot, as the
// columns of the official count.
var boliviaParties = []string{"MAS-IPSP", "CC", "FPV", "MTS", "UCS", "21F", "PDC", "MNR", "PAN-BOL"}

// observerDef returns an observer's definition of one contest in one area:
// every station of the CSV (its id in column idCol, or columns joined with
// "."), registered voters from regCol, no machine.
func observerDef(t testing.TB, id, contest string, candidates []string, csv []byte, idCols []int, regCol int) *election.Definition {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "triplicate election v1\nid %s\nname %s\nlevels country\ncontest %s * %s\n", id, id, contest, contest)
	for _, c := range candidates {
		fmt.Fprintf(&b, "candidate %s %s %s\n", contest, c, c)
	}
	b.WriteString("area x X\n")
	lines := strings.Split(strings.TrimSuffix(string(csv), "\n"), "\n")
	for _, line := range lines[1:] {
		f := strings.Split(line, ",")
		var ids []string
		for _, i := range idCols {
			ids = append(ids, f[i])
		}
		fmt.Fprintf(&b, "station %s x %s -\n", strings.Join(ids, "."), f[regCol])
	}
	def, err := election.Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// bolivia2019 reads the official count of Bolivia's 2019 presidential
// first round, per acta (internal/verify/testdata/bolivia2019).
func bolivia2019(t testing.TB) (*election.Definition, []tally.CSVRow) {
	t.Helper()
	f, err := os.Open("../verify/testdata/bolivia2019/computo.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	def := observerDef(t, "bo2019", "president", boliviaParties, data, []int{0}, 1)
	m, err := tally.ParseMapping("station=mesa,registered=inscritos,blank=blancos,null=nulos,"+
		"MAS-IPSP=MAS-IPSP,CC=CC,FPV=FPV,MTS=MTS,UCS=UCS,21F=21F,PDC=PDC,MNR=MNR,PAN-BOL=PAN-BOL", def)
	if err != nil {
		t.Fatal(err)
	}
	rows, errs := tally.ReadCSV(bytes.NewReader(data), "computo.csv", def, m)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return def, rows
}

// venezuelaCapital reads the observers' collection of Venezuela's 2024
// presidential election, the 1,534 tables of the Distrito Capital.
func venezuelaCapital(t testing.TB) (*election.Definition, []tally.CSVRow) {
	t.Helper()
	data := simulate.VE2024Capital
	def := observerDef(t, "ve2024", "president", []string{"EG", "NM", "LM", "JABE", "JOBR", "AE", "CF", "DC", "EM", "BERA"}, data, []int{6, 7}, 8)
	m, err := tally.ParseMapping("ve2024", def)
	if err != nil {
		t.Fatal(err)
	}
	rows, errs := tally.ReadCSV(bytes.NewReader(data), "ve2024-dtto-capital.csv", def, m)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return def, rows
}

func TestRealExplore(t *testing.T) {
	for _, load := range []func(testing.TB) (*election.Definition, []tally.CSVRow){bolivia2019, venezuelaCapital} {
		def, rows := load(t)
		s, err := forensics.Read(def, "", rows, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := forensics.Analyze(s, forensics.Options{Resamples: 200})
		var b strings.Builder
		r.WriteText(&b, 10)
		t.Log(b.String())
	}
}
