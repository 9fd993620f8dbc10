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

// TestBolivia2019 screens the official count of Bolivia's 2019 first
// round, 34,555 actas, and pins what it shows: four actas without a valid
// vote excluded; voting is compulsory, so turnout sits near 88% in one
// band with the MAS-IPSP share spread over it (city against country), and
// the rural strongholds reach into the top corner (248 actas at 95% and
// more of both). No integer-percent peaks: the counts are not rounded
// figures. The second digits are far from Benford's law, as honest counts
// of small stations are; the outliers lean to high turnout with a high
// MAS-IPSP share (26 against 0), which is what the geography of the vote
// also gives: a screen that fires, not a finding.
func TestBolivia2019(t *testing.T) {
	def, rows := bolivia2019(t)
	s, err := forensics.Read(def, "", rows, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := forensics.Analyze(s, forensics.Options{Resamples: 200, Seed: 1})
	checkOutputs(t, r)
	var text strings.Builder
	r.WriteText(&text, 5)
	t.Logf("%s", text.String())
	all := r.Groups[forensics.All]
	if r.Leader != "MAS-IPSP" || all.Stations != 34551 || len(r.Excluded) != 1 || r.Excluded[0].Count != 4 ||
		r.Excluded[0].Reason != "no valid votes (no leader's share)" {
		t.Errorf("leader %s, %d stations, excluded %+v; want MAS-IPSP, 34,551, 4 without valid votes", r.Leader, all.Stations, r.Excluded)
	}
	if all.Leader != 2889359 || all.Valid != 6137671 {
		t.Errorf("MAS-IPSP %d of %d valid votes, want 2,889,359 of 6,137,671", all.Leader, all.Valid)
	}
	if all.Fingerprint.Corner != 248 || all.Fingerprint.Correlation < 0 || all.Fingerprint.Correlation > 0.1 {
		t.Errorf("corner %d, correlation %.3f; want 248, slightly positive", all.Fingerprint.Corner, all.Fingerprint.Correlation)
	}
	if u := r.Groups[forensics.Unsigned]; u.TurnoutPeaks != all.TurnoutPeaks || u.SharePeaks != all.SharePeaks || u.Outliers.High != all.Outliers.High {
		t.Errorf("nothing is signed, yet the unsigned stations' tests differ from all's:\n%+v\n%+v", u.TurnoutPeaks, all.TurnoutPeaks)
	}
	if all.TurnoutPeaks.P < 0.05 || all.SharePeaks.P < 0.05 {
		t.Errorf("integer-percent peaks: turnout p=%v, share p=%v; want none", all.TurnoutPeaks.P, all.SharePeaks.P)
	}
	if all.SecondDigit.P > 1e-6 || all.LastDigit.P < 0.05 {
		t.Errorf("second digit p=%v, last digit p=%v; want far from Benford, last digits uniform", all.SecondDigit.P, all.LastDigit.P)
	}
	if all.Outliers.High != 26 || all.Outliers.Low != 0 {
		t.Errorf("outliers %d high, %d low; want 26, 0", all.Outliers.High, all.Outliers.Low)
	}
}

// TestVenezuela2024Capital screens the observers' collection of the
// Distrito Capital (1,534 tables). The figures give González (EG) the
// most votes; the test follows Maduro (NM), whom the authority declared
// elected, as one would to screen his figures. Turnout and his share go
// together (+0.66): where more voted, he did better. No integer-percent
// peaks, last digits uniform. The outlier screen fires: 38 tables of high
// turnout and a high NM share against 9 low in both, tables whose
// photographed actas an observer would look at first; the second-digit
// test fires too (p 0.018), as it does on many honest simulations.
func TestVenezuela2024Capital(t *testing.T) {
	def, rows := venezuelaCapital(t)
	s, err := forensics.Read(def, "", rows, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Candidates[s.Leader]; got != "EG" {
		t.Errorf("leader %s, want EG", got)
	}
	if err := s.Follow("NM"); err != nil {
		t.Fatal(err)
	}
	if err := s.Follow("XX"); err == nil {
		t.Errorf("followed a candidate not in the contest")
	}
	r := forensics.Analyze(s, forensics.Options{Resamples: 200, Seed: 1})
	checkOutputs(t, r)
	all := r.Groups[forensics.All]
	var text strings.Builder
	r.WriteText(&text, 5)
	t.Logf("%s", text.String())
	if all.Stations != 1534 || len(r.Excluded) != 0 || all.Leader != 230649 {
		t.Errorf("%d stations, excluded %+v, NM %d votes; want 1,534, none, 230,649", all.Stations, r.Excluded, all.Leader)
	}
	if c := all.Fingerprint.Correlation; c < 0.6 || c > 0.75 {
		t.Errorf("correlation %.3f, want about +0.66", c)
	}
	for _, ind := range []string{"turnout_peaks", "share_peaks", "last_digit"} {
		if p := all.P(ind); p < 0.05 {
			t.Errorf("%s fires (p=%v)", ind, p)
		}
	}
	if o := all.Outliers; o.High != 38 || o.Low != 9 || o.P > 0.001 || o.List[0].Station != "10102024.1" {
		t.Errorf("outliers %d high, %d low, p=%v, first %+v; want 38, 9, under 0.001, 10102024.1", o.High, o.Low, o.P, o.List[0])
	}
}
