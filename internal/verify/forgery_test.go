package verify_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/tally"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// forgeryFixture is a one-station election whose party pc enrolled three
// witness keys, and the station's real final acta (ALBA 60, BRUNO 30) beside
// a forgery (ALBA 10, BRUNO 80) made with the machine's stolen key.
type forgeryFixture struct {
	def          *election.Definition
	fx           *electiontest.Fixture
	pcKeys       []*keys.Key
	real, forged []byte // signed by the machine alone
}

func newForgeryFixture(t *testing.T) *forgeryFixture {
	t.Helper()
	fx := electiontest.New(electiontest.Options{Seed: "forgery", Stations: 2})
	f := &forgeryFixture{fx: fx, pcKeys: []*keys.Key{fx.Witness["pc"]}}
	text := string(fx.Text)
	line := "witness pc " + fx.Witness["pc"].Public + "\n"
	extra := line
	for i := 2; i <= 3; i++ {
		k := electiontest.Key("forgery", fmt.Sprintf("test/witness/pc-%d", i))
		f.pcKeys = append(f.pcKeys, k)
		extra += "witness pc " + k.Public + "\n"
	}
	if !strings.Contains(text, line) {
		t.Fatalf("fixture has no line %q", line)
	}
	def, err := election.Parse([]byte(strings.Replace(text, line, extra, 1)))
	if err != nil {
		t.Fatal(err)
	}
	f.def = def
	f.real = f.final(t, "100.1", 60, 30)
	f.forged = f.final(t, "100.1", 10, 80)
	return f
}

func (f *forgeryFixture) final(t *testing.T, station string, alba, bruno int) []byte {
	t.Helper()
	st := f.def.Station(station)
	a := &acta.Acta{Election: f.def.ID, Station: st.ID, Kind: acta.Final, Machine: st.Machine,
		Opened: time.Date(2026, 10, 4, 7, 0, 0, 0, time.UTC), Closed: time.Date(2026, 10, 4, 17, 0, 0, 0, time.UTC),
		Registered: st.Registered, Ballots: alba + bruno + 10, Records: sha256.Sum256([]byte(st.ID + "/records")),
		Contests: []acta.Tally{{Contest: "president", Candidates: []acta.Count{{Candidate: "ALBA", Votes: alba}, {Candidate: "BRUNO", Votes: bruno}, {Candidate: "CORA", Votes: 0}}, Blank: 4, Null: 6}}}
	msg, err := acta.Sign(a, f.fx.Machines[st.ID])
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

func (f *forgeryFixture) cosign(t *testing.T, msg []byte, signers ...*keys.Key) []byte {
	t.Helper()
	for _, k := range signers {
		var err error
		if msg, err = acta.Cosign(msg, f.def, k); err != nil {
			t.Fatal(err)
		}
	}
	return msg
}

// write puts each acta in a file of its own and returns the paths.
func write(t *testing.T, msgs ...[]byte) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for i, m := range msgs {
		p := filepath.Join(dir, fmt.Sprintf("copy%d.acta", i))
		if err := os.WriteFile(p, m, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// announce is the center's announcement of station 100.1 with the given
// figures, and of 100.2 as its acta has it.
func announce(alba, bruno int) string {
	st := func(id string, index, a, b int) string {
		return fmt.Sprintf(`{"station":%q,"index":%d,"registered":500,"ballots":%d,"contests":[{"id":"president","candidates":[{"id":"ALBA","votes":%d},{"id":"BRUNO","votes":%d},{"id":"CORA","votes":0}],"blank":4,"null":6}]}`, id, index, a+b+10, a, b)
	}
	return `{"election":"test","log_size":2,"checkpoint":"","stations":[` + st("100.1", 0, alba, bruno) + "," + st("100.2", 1, 50, 45) + `]}`
}

// TestForgeryByOneParty is the attack of a dishonest party holding the
// station machine's stolen key: it forges a final acta and cosigns it with
// every key it enrolled. Two machine-signed versions prove that the key was
// misused, not by whom: the verifier must charge nobody with substitution
// or alteration, must not let three keys of one party outvote other
// parties (or stand in for parties that hold no copy), and must not take
// either version as the station's count.
func TestForgeryByOneParty(t *testing.T) {
	f := newForgeryFixture(t)
	other := f.cosign(t, f.final(t, "100.2", 50, 45), f.fx.Witness["pa"])
	for _, tc := range []struct {
		name      string
		copies    [][]byte
		announced [2]int // what the honest center announces for 100.1
	}{
		{"three keys of one party against two parties", [][]byte{
			f.cosign(t, f.real, f.fx.Witness["pa"]), f.cosign(t, f.real, f.fx.Witness["pb"]),
			f.cosign(t, f.forged, f.pcKeys...)}, [2]int{60, 30}},
		{"one key, no other party holds a copy", [][]byte{
			f.cosign(t, f.forged, f.pcKeys[0])}, [2]int{60, 30}},
		{"the stolen key transmitted first", [][]byte{
			f.cosign(t, f.real, f.fx.Witness["pa"], f.fx.Witness["pb"]), f.forged}, [2]int{10, 80}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := verify.New(f.def)
			copies := tc.copies
			if tc.name == "one key, no other party holds a copy" {
				// the center's copy of the real acta reached the verifier
				// as a copy too: the machine's signature alone
				copies = append(copies, f.real)
			}
			v.AddCopies("copies", write(t, append(copies, other)...))
			v.ReadAnnounced("announced.json", []byte(announce(tc.announced[0], tc.announced[1])))
			r := v.Report(context.Background())
			if len(r.Problems) != 0 {
				t.Fatalf("problems: %v", r.Problems)
			}
			var checks []string
			for _, fd := range r.Findings {
				checks = append(checks, string(fd.Check)+"@"+fd.Station)
			}
			if got := strings.Join(checks, " "); got != "equivocation@100.1" {
				t.Fatalf("findings %q, want only equivocation@100.1", got)
			}
			if w := r.Findings[0]; !w.Proven || strings.Contains(w.Summary, "center logged") {
				t.Errorf("equivocation finding %+v", w)
			}
			o := r.Outcomes[0]
			if o.Undecided != 1 || o.Flips {
				t.Errorf("outcome %+v: want station 100.1 undecided and no flip", o)
			}
			for _, c := range o.Candidates {
				want := map[string]int64{"ALBA": 50, "BRUNO": 45}[c.Candidate]
				if (c.Candidate == "ALBA" || c.Candidate == "BRUNO") && c.Corrected != want {
					t.Errorf("corrected %s %d, want %d (100.2 alone)", c.Candidate, c.Corrected, want)
				}
			}
			if r.Clean() {
				t.Error("clean")
			}
		})
	}
}

// TestAnnouncedNeitherVersion: figures that no machine-signed version has
// are an alteration, even beside an equivocation.
func TestAnnouncedNeitherVersion(t *testing.T) {
	f := newForgeryFixture(t)
	v := verify.New(f.def)
	v.AddCopies("copies", write(t, f.cosign(t, f.real, f.fx.Witness["pa"]), f.cosign(t, f.forged, f.fx.Witness["pc"]),
		f.cosign(t, f.final(t, "100.2", 50, 45), f.fx.Witness["pa"])))
	v.ReadAnnounced("announced.json", []byte(announce(70, 20)))
	r := v.Report(context.Background())
	if r.ByCheck[verify.CheckEquivocation] != 1 || r.ByCheck[verify.CheckAltered] != 1 {
		t.Fatalf("findings by check %v, want one equivocation and one altered-at-center", r.ByCheck)
	}
}

// TestContradictingHandCounts: two signed hand counts that disagree decide
// nothing, whatever order they come in; the station falls back to its
// machine's acta, and the finding says so.
func TestContradictingHandCounts(t *testing.T) {
	f := newForgeryFixture(t)
	hand := func(alba, bruno int) []byte {
		sa, err := acta.Open(f.real, f.def)
		if err != nil {
			t.Fatal(err)
		}
		a := *sa.Acta
		a.Kind, a.Auditor, a.Counted, a.Opened, a.Closed, a.Records = acta.Hand, f.fx.Auditor.Public, time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC), time.Time{}, time.Time{}, [32]byte{}
		a.Ballots = alba + bruno + 10
		a.Contests = []acta.Tally{{Contest: "president", Candidates: []acta.Count{{Candidate: "ALBA", Votes: alba}, {Candidate: "BRUNO", Votes: bruno}, {Candidate: "CORA", Votes: 0}}, Blank: 4, Null: 6}}
		msg, err := acta.Sign(&a, f.fx.Auditor)
		if err != nil {
			t.Fatal(err)
		}
		return msg
	}
	h1, h2 := hand(60, 30), hand(20, 70)
	other := f.final(t, "100.2", 50, 45)
	var winners []string
	for _, order := range [][][]byte{{h1, h2}, {h2, h1}} {
		v := verify.New(f.def)
		v.AddCopies("copies", write(t, append([][]byte{f.real, other}, order...)...))
		r := v.Report(context.Background())
		if len(r.Problems) != 0 {
			t.Fatalf("problems: %v", r.Problems)
		}
		if r.ByCheck[verify.CheckHandCount] != 1 {
			t.Fatalf("findings %v, want one hand-count", r.ByCheck)
		}
		if !strings.Contains(r.Findings[0].Summary, "neither is taken") {
			t.Errorf("summary %q does not say the hand counts decide nothing", r.Findings[0].Summary)
		}
		o := r.Outcomes[0]
		if o.Evidence["machine"] != 2 || o.Evidence["hand"] != 0 {
			t.Errorf("evidence %v, want both stations from their machines", o.Evidence)
		}
		winners = append(winners, fmt.Sprint(o.Candidates[0].Corrected, o.Candidates[1].Corrected))
	}
	if winners[0] != winners[1] || winners[0] != "110 75" {
		t.Errorf("corrected ALBA BRUNO by order: %v, want 110 75 both times", winners)
	}
}

// TestReopened: a machine re-opened after its witnessed opening signs a
// second zero tape, and its final acta names the second opening.
func TestReopened(t *testing.T) {
	f := newForgeryFixture(t)
	st := f.def.Station("100.1")
	zero := func(at time.Time) []byte {
		a := &acta.Acta{Election: f.def.ID, Station: st.ID, Kind: acta.Zero, Machine: st.Machine, Opened: at,
			Registered: st.Registered, Records: acta.Digest(nil),
			Contests: []acta.Tally{{Contest: "president", Candidates: []acta.Count{{Candidate: "ALBA"}, {Candidate: "BRUNO"}, {Candidate: "CORA"}}}}}
		msg, err := acta.Sign(a, f.fx.Machines[st.ID])
		if err != nil {
			t.Fatal(err)
		}
		return f.cosign(t, msg, f.fx.Witness["pa"])
	}
	witnessed := zero(time.Date(2026, 10, 4, 7, 0, 0, 0, time.UTC)) // the final's opening time
	again := zero(time.Date(2026, 10, 4, 7, 30, 0, 0, time.UTC))
	reopened := func() []byte {
		sa, err := acta.Open(f.real, f.def)
		if err != nil {
			t.Fatal(err)
		}
		a := *sa.Acta
		a.Opened = time.Date(2026, 10, 4, 7, 30, 0, 0, time.UTC)
		msg, err := acta.Sign(&a, f.fx.Machines[st.ID])
		if err != nil {
			t.Fatal(err)
		}
		return msg
	}()
	other := f.final(t, "100.2", 50, 45)
	for _, tc := range []struct {
		name   string
		copies [][]byte
		want   map[verify.Check]int
	}{
		{"opened once", [][]byte{witnessed, f.real}, map[verify.Check]int{}},
		{"two zero tapes", [][]byte{witnessed, again, f.real}, map[verify.Check]int{verify.CheckEquivocation: 1}},
		{"final of another opening", [][]byte{witnessed, reopened}, map[verify.Check]int{verify.CheckReopened: 1}},
		{"both", [][]byte{witnessed, again, reopened}, map[verify.Check]int{verify.CheckEquivocation: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := verify.New(f.def)
			v.AddCopies("copies", write(t, append(tc.copies, other)...))
			r := v.Report(context.Background())
			if len(r.Problems) != 0 {
				t.Fatalf("problems: %v", r.Problems)
			}
			got := map[verify.Check]int{}
			for c, n := range r.ByCheck {
				got[c] = n
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("findings %v, want %v", got, tc.want)
			}
		})
	}
}

// TestTruncatedAnnouncement is a center that announces its log cut short:
// log_size below the log, the last station left out, and totals recomputed
// without it, so that they are the sum of what the announcement covers. That
// is what an honest announcement that lags its log looks like too, so it
// proves nothing against the center; but the report is not clean: it says
// which station it could not hold against the announcement. (Had the cut
// changed the winner, outcome-differs would say so, proven.) A station left
// out from within the entries the announcement claims is omitted, proven.
func TestTruncatedAnnouncement(t *testing.T) {
	d := day(t, 12, "honest")
	data, err := os.ReadFile(d.Evidence.Announced)
	if err != nil {
		t.Fatal(err)
	}
	var a map[string]any
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	stations := a["stations"].([]any)
	last, lastAt := -1.0, 0
	for i, s := range stations {
		if idx := s.(map[string]any)["index"].(float64); idx > last {
			last, lastAt = idx, i
		}
	}
	dropped := stations[lastAt].(map[string]any)
	a["stations"] = append(stations[:lastAt:lastAt], stations[lastAt+1:]...)
	a["log_size"] = last
	// The totals without the dropped station.
	votes := map[string]float64{}
	for _, c := range dropped["contests"].([]any) {
		for _, x := range c.(map[string]any)["candidates"].([]any) {
			votes[x.(map[string]any)["id"].(string)] = x.(map[string]any)["votes"].(float64)
		}
		votes["blank"], votes["null"] = c.(map[string]any)["blank"].(float64), c.(map[string]any)["null"].(float64)
	}
	for _, c := range a["totals"].([]any) {
		tc := c.(map[string]any)
		for _, x := range tc["candidates"].([]any) {
			x.(map[string]any)["votes"] = x.(map[string]any)["votes"].(float64) - votes[x.(map[string]any)["id"].(string)]
		}
		tc["blank"], tc["null"] = tc["blank"].(float64)-votes["blank"], tc["null"].(float64)-votes["null"]
	}
	out, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	v := verify.New(d.Election.Def)
	v.AddLog(context.Background(), verify.LogSource{Location: d.Evidence.Log})
	v.AddCopies("copies", d.Evidence.Copies)
	v.ReadAnnounced("truncated.json", out)
	r := v.Report(context.Background())
	if r.Clean() || len(r.Findings) != 0 || len(r.Problems) != 1 {
		t.Fatalf("findings %v, problems %v; want no finding and one problem", r.ByCheck, r.Problems)
	}
	if p := r.Problems[0].What; !strings.Contains(p, dropped["station"].(string)) || !strings.Contains(p, "cut short") {
		t.Errorf("problem %q does not name the station %s and say the announcement may be cut short", p, dropped["station"])
	}

	// The same station left out, with the log_size that covers it: omitted.
	a["log_size"] = last + 1
	if out, err = json.Marshal(a); err != nil {
		t.Fatal(err)
	}
	v = verify.New(d.Election.Def)
	v.AddLog(context.Background(), verify.LogSource{Location: d.Evidence.Log})
	v.AddCopies("copies", d.Evidence.Copies)
	v.ReadAnnounced("cut.json", out)
	r = v.Report(context.Background())
	// (and the totals, recomputed without it, are not the log's sums)
	i := slices.IndexFunc(r.Findings, func(f verify.Finding) bool { return f.Check == verify.CheckOmitted })
	if r.ByCheck[verify.CheckOmitted] != 1 || r.Findings[i].Station != dropped["station"] || !r.Findings[i].Proven || r.ByCheck[verify.CheckTotals] != 1 {
		t.Errorf("findings %v, want the dropped station %s omitted, proven, and the totals altered", r.ByCheck, dropped["station"])
	}
}

// TestUnsignedComparedWithNothing: an observer holding published, unsigned
// counts. One count read alone was compared with nothing: never clean. Two
// counts of the same stations are held against each other: the station
// where the second (a recount) differs is a finding naming both, and the
// stations where they agree are checked.
func TestUnsignedComparedWithNothing(t *testing.T) {
	d := day(t, 12, "honest")
	m, err := tally.ParseMapping("ve2024", d.Election.Def)
	if err != nil {
		t.Fatal(err)
	}
	first, err := os.ReadFile(d.Evidence.CSV)
	if err != nil {
		t.Fatal(err)
	}
	v := verify.New(d.Election.Def)
	v.AddCSV("first.csv", bytes.NewReader(first), m)
	r := v.Report(context.Background())
	if r.Clean() || len(r.Problems) != 1 || !strings.Contains(r.Problems[0].What, "compared with nothing") {
		t.Fatalf("one unsigned count alone: clean %v, problems %v; want not clean, compared with nothing", r.Clean(), r.Problems)
	}

	// The recount: one station's first candidate gets one vote more.
	lines := strings.Split(string(first), "\n")
	cells := strings.Split(lines[3], ",")
	i := slices.Index(strings.Split(strings.TrimPrefix(lines[0], "\ufeff"), ","), "EG")
	n, _ := strconv.Atoi(cells[i])
	cells[i] = strconv.Itoa(n + 1)
	lines[3] = strings.Join(cells, ",")
	v = verify.New(d.Election.Def)
	v.AddCSV("first.csv", bytes.NewReader(first), m)
	v.AddCSV("recount.csv", strings.NewReader(strings.Join(lines, "\n")), m)
	r = v.Report(context.Background())
	if len(r.Problems) != 0 || len(r.Findings) != 1 || r.Findings[0].Check != verify.CheckUnsigned || r.Findings[0].Counts[1].Where != "line 4" ||
		!strings.Contains(r.Findings[0].Summary, "first.csv and recount.csv") || !strings.Contains(r.Findings[0].Summary, "EG") {
		t.Fatalf("problems %v, findings %+v; want one unsigned-differs at the station of line 4, naming both files", r.Problems, r.Findings)
	}
	if r.Agreeing != 11 {
		t.Errorf("%d stations agree, want the other 11", r.Agreeing)
	}
}
