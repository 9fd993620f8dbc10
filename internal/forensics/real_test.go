package forensics_test

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
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

// observerDef returns an observer's definition of one contest: every
// station of the CSV (its id in column idCol, or columns joined with "."),
// registered voters from regCol, no machine, in the areas areaOf names for
// it, outermost first, one a level (levels; none: one area).
func observerDef(t testing.TB, id, contest string, candidates []string, csv []byte, idCols []int, regCol int, levels string, areaOf func(station string, f []string) []string) *election.Definition {
	t.Helper()
	var b, st strings.Builder
	if levels == "" {
		levels = "country"
		areaOf = func(string, []string) []string { return []string{"X"} }
	}
	fmt.Fprintf(&b, "triplicate election v1\nid %s\nname %s\nlevels %s\ncontest %s * %s\n", id, id, levels, contest, contest)
	for _, c := range candidates {
		fmt.Fprintf(&b, "candidate %s %s %s\n", contest, c, c)
	}
	paths := map[string]string{} // names joined by "\x00" → path of ids
	lines := strings.Split(strings.TrimSuffix(string(csv), "\n"), "\n")
	for _, line := range lines[1:] {
		f := strings.Split(line, ",")
		var ids []string
		for _, i := range idCols {
			ids = append(ids, f[i])
		}
		station := strings.Join(ids, ".")
		path, key := "", ""
		for k, name := range areaOf(station, f) {
			key += "\x00" + name
			p, ok := paths[key]
			if !ok {
				p = strconv.Itoa(len(paths) + 1)
				if k > 0 {
					p = path + "/" + p
				}
				paths[key] = p
				fmt.Fprintf(&b, "area %s A%s\n", p, strconv.Itoa(len(paths)))
			}
			path = p
		}
		fmt.Fprintf(&st, "station %s %s %s -\n", station, path, f[regCol])
	}
	b.WriteString(st.String())
	def, err := election.Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// boliviaPlaces returns the country, department, province and
// municipality of each acta of Bolivia's 2019 first round, from the OEP's
// cómputo (internal/election/testdata/bolivia2019).
func boliviaPlaces(t testing.TB) map[string][]string {
	t.Helper()
	z, err := zip.OpenReader("../election/testdata/bolivia2019/final_computo.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	f, err := z.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	places := map[string][]string{}
	for _, r := range recs[1:] {
		places[r[0]] = r[1:5]
	}
	return places
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
	places := boliviaPlaces(t)
	def := observerDef(t, "bo2019", "president", boliviaParties, data, []int{0}, 1, "country department province municipality",
		func(station string, _ []string) []string { return places[station] })
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
	def := observerDef(t, "ve2024", "president", []string{"EG", "NM", "LM", "JABE", "JOBR", "AE", "CF", "DC", "EM", "BERA"}, data, []int{6, 7}, 8,
		"municipality parish", func(_ string, f []string) []string { return []string{f[2], f[4]} })
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
// figures; last digits as binomial counts give them. Each acta is measured
// against its municipality (or the nearest area above with 30 actas; the
// places from the OEP's cómputo): the outliers lean to high turnout with a
// high MAS-IPSP share (1,600 against 1,040), and the second digits are not
// those of shares spread normally within the area — a screen that fires,
// not a finding (shares within a municipality of town and country are not
// normal).
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
		t.Errorf("second digit p=%v, last digit p=%v; want the second firing, the last not", all.SecondDigit.P, all.LastDigit.P)
	}
	if o := all.Outliers; o.High != 1600 || o.Low != 1040 || o.Areas != 264 || o.P > 1e-6 {
		t.Errorf("outliers %d high, %d low in %d areas, p=%v; want 1,600, 1,040 in 264, tiny", o.High, o.Low, o.Areas, o.P)
	}
}

// TestVenezuela2024Capital screens the observers' collection of the
// Distrito Capital (1,534 tables). The figures give González (EG) the
// most votes; the test follows Maduro (NM), whom the authority declared
// elected, as one would to screen his figures. Turnout and his share go
// together (+0.66): where more voted, he did better. No integer-percent
// peaks, no departure in the last or second digits. Within each parish,
// the outlier screen fires: 187 tables of high turnout and a high NM share
// against 52 low in both, tables whose photographed actas an observer
// would look at first.
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
	if o := all.Outliers; o.High != 187 || o.Low != 52 || o.Areas != 20 || o.P > 1e-6 || o.List[0].Station != "10102024.1" {
		t.Errorf("outliers %d high, %d low in %d areas, p=%v, first %+v; want 187, 52 in 20, tiny, 10102024.1", o.High, o.Low, o.Areas, o.P, o.List[0])
	}
}
