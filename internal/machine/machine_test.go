package machine

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

// testElection returns a fixture, its definition and the private key text of
// the machine of station 100.1, as Setup takes it.
func testElection(t testing.TB, o electiontest.Options) (*electiontest.Fixture, *election.Definition, string) {
	t.Helper()
	f := electiontest.New(o)
	return f, f.Def, f.Machines["100.1"].Private
}

// testOptions are deterministic options: a fixed clock and a seeded Rand.
func testOptions(seed uint64) Options {
	var s [32]byte
	s[0] = byte(seed)
	now := time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC)
	return Options{
		Now:  func() time.Time { now = now.Add(1500 * time.Millisecond); return now },
		Rand: rand.NewChaCha8(s),
	}
}

// newStation sets up station 100.1 in a new directory and loads it.
func newStation(t testing.TB, eo electiontest.Options, o Options) (*Terminal, string, *election.Definition) {
	t.Helper()
	_, def, skey := testElection(t, eo)
	dir := filepath.Join(t.TempDir(), "100.1")
	if err := Setup(dir, def, "100.1", skey); err != nil {
		t.Fatal(err)
	}
	return load(t, dir, o), dir, def
}

func load(t testing.TB, dir string, o Options) *Terminal {
	t.Helper()
	term, err := Load(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { term.Close() })
	return term
}

func TestSetup(t *testing.T) {
	_, def, skey := testElection(t, electiontest.Options{})
	// A second area with a contest of its own, which station 100.1 must not get.
	text := append(bytes.Replace(def.Marshal(), []byte("station 100.1"), []byte("contest mayor 2 Mayor\ncandidate mayor XAVI Xavier\nstation 100.1"), 1),
		"area 2 South\narea 2/200 Centre 200\n"...)
	def, err := election.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()

	dir := filepath.Join(root, "100.1")
	if err := Setup(dir, def, "100.1", skey); err != nil {
		t.Fatal(err)
	}
	got, err := election.ReadFile(filepath.Join(dir, defFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Stations) != 1 || got.Stations[0].ID != "100.1" || got.Contest("mayor") != nil ||
		len(got.Contests) != 1 || got.Area("2") != nil || len(got.Parties) != 3 || len(got.Auditors) != 1 {
		t.Errorf("restricted definition:\n%s", got.Marshal())
	}
	if fi, err := os.Stat(filepath.Join(dir, keyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v, %v", fi.Mode(), err)
	}
	if err := Setup(dir, def, "100.1", skey); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("second Setup in one directory: %v", err)
	}

	other, _, _ := keys.Generate(nil, "test/machine/100.1")
	for name, err := range map[string]error{
		"unknown station": Setup(filepath.Join(root, "x"), def, "100.9", skey),
		"another key":     Setup(filepath.Join(root, "y"), def, "100.1", other),
		"another station": Setup(filepath.Join(root, "z"), def, "100.2", skey),
		"malformed key":   Setup(filepath.Join(root, "w"), def, "100.1", "PRIVATE+KEY+oops"),
	} {
		if err == nil {
			t.Errorf("%s: Setup succeeded", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

func TestOpenVoteClose(t *testing.T) {
	f, def, skey := testElection(t, electiontest.Options{Registered: 50, Contests: 2})
	dir := filepath.Join(t.TempDir(), "100.1")
	if err := Setup(dir, def, "100.1", skey); err != nil {
		t.Fatal(err)
	}
	term := load(t, dir, testOptions(1))

	zero, err := term.Open()
	if err != nil {
		t.Fatal(err)
	}
	z, err := acta.Open(zero, def)
	if err != nil {
		t.Fatal(err)
	}
	if z.Kind != acta.Zero || z.Ballots != 0 || z.Registered != 50 {
		t.Errorf("zero acta:\n%s", zero)
	}
	if onDisk, _ := os.ReadFile(filepath.Join(dir, zeroFile)); !bytes.Equal(onDisk, zero) {
		t.Errorf("zero.acta is not the acta Open returned")
	}

	// 30 votes; choices cycle through every candidate, blank, null and missing.
	choices := []string{"ALBA", "BRUNO", "CORA", "blank", "null", ""}
	want := map[string]map[string]int{"president": {}, "contest2": {}}
	var records []string
	for i := range 30 {
		m := map[string]string{}
		for j, c := range []string{"president", "contest2"} {
			ch := choices[(i+j*i)%len(choices)]
			if ch != "" {
				m[c] = ch
			} else {
				ch = "blank"
			}
			want[c][ch]++
		}
		v, err := term.Vote(m)
		if err != nil {
			t.Fatal(err)
		}
		records = append(records, v.Record())
	}
	if st := term.Status(); st.Ballots != 30 || st.Phase != PhaseOpen {
		t.Errorf("status %+v", st)
	}

	final, err := term.ClosePolls()
	if err != nil {
		t.Fatal(err)
	}
	// The witnesses can cosign it and it checks against the whole definition.
	for _, p := range f.Parties {
		if final, err = acta.Cosign(final, def, f.Witness[p]); err != nil {
			t.Fatal(err)
		}
	}
	sa, err := acta.Open(final, def)
	if err != nil {
		t.Fatal(err)
	}
	if sa.Kind != acta.Final || sa.Ballots != 30 || !sa.Opened.Equal(z.Opened) || !sa.Closed.After(sa.Opened) {
		t.Errorf("final acta:\n%s", final)
	}
	for _, tl := range sa.Contests {
		got := map[string]int{}
		for _, c := range tl.Candidates {
			if c.Votes > 0 {
				got[c.Candidate] = c.Votes
			}
		}
		if tl.Blank > 0 {
			got["blank"] = tl.Blank
		}
		if tl.Null > 0 {
			got["null"] = tl.Null
		}
		if !mapsEqual(got, want[tl.Contest]) {
			t.Errorf("contest %s: counted %v, cast %v", tl.Contest, got, want[tl.Contest])
		}
	}

	set, err := os.ReadFile(filepath.Join(dir, recordsFile))
	if err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(set) != sa.Records {
		t.Errorf("records.txt does not hash to the acta's records digest")
	}
	slices.Sort(records)
	if string(set) != strings.Join(records, "") {
		t.Errorf("records.txt:\n%s\nwant the sorted records of the vouchers:\n%s", set, strings.Join(records, ""))
	}
	t.Logf("%s\n%s...", final, strings.Join(strings.SplitAfterN(string(set), "\n", 4)[:3], ""))
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestRefusals(t *testing.T) {
	term, dir, _ := newStation(t, electiontest.Options{Registered: 3}, testOptions(2))
	refused := func(what string, err, want error) {
		t.Helper()
		if !errors.Is(err, want) || !strings.Contains(err.Error(), "station 100.1") {
			t.Errorf("%s: %v, want %v naming the station", what, err, want)
		}
	}
	_, err := term.Vote(nil)
	refused("vote before opening", err, ErrNotOpen)
	_, err = term.ClosePolls()
	refused("closing before opening", err, ErrNotOpen)

	if _, err := term.Open(); err != nil {
		t.Fatal(err)
	}
	_, err = term.Open()
	refused("second opening", err, ErrAlreadyOpen)
	for _, m := range []map[string]string{
		{"mayor": "ALBA"},
		{"president": "DORA"},
		{"president": ""},
		{"president": "ALBA", "mayor": "ALBA"},
	} {
		_, err = term.Vote(m)
		refused("vote for a choice not on the ballot", err, ErrChoice)
	}
	for range 3 {
		if _, err := term.Vote(map[string]string{"president": "ALBA"}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = term.Vote(nil)
	refused("vote beyond the registered voters", err, ErrFull)

	// The refusals hold across a reload.
	term.Close()
	term = load(t, dir, testOptions(3))
	_, err = term.Open()
	refused("second opening after reload", err, ErrAlreadyOpen)
	_, err = term.Vote(nil)
	refused("vote beyond the registered voters after reload", err, ErrFull)

	if _, err := term.ClosePolls(); err != nil {
		t.Fatal(err)
	}
	_, err = term.Vote(nil)
	refused("vote after closing", err, ErrClosed)
	_, err = term.Open()
	refused("opening after closing", err, ErrClosed)
	_, err = term.ClosePolls()
	refused("second closing", err, ErrClosed)

	term.Close()
	term = load(t, dir, testOptions(4))
	_, err = term.Vote(nil)
	refused("vote after closing and reload", err, ErrClosed)
	if st := term.Status(); st.Phase != PhaseClosed || st.Ballots != 3 || st.Closed.IsZero() {
		t.Errorf("status after reload: %+v", st)
	}
	term.Close()
	if _, err := term.Vote(nil); err == nil {
		t.Error("vote on a closed terminal succeeded")
	}
}

func TestLock(t *testing.T) {
	term, dir, _ := newStation(t, electiontest.Options{}, Options{})
	if _, err := Load(dir, Options{}); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Load: %v, want ErrLocked", err)
	}
	term.Close()
	load(t, dir, Options{})
}

func TestReload(t *testing.T) {
	term, dir, def := newStation(t, electiontest.Options{Registered: 20}, testOptions(5))
	if _, err := term.Open(); err != nil {
		t.Fatal(err)
	}
	var serials []string
	vote := func(term *Terminal) {
		v, err := term.Vote(map[string]string{"president": "CORA"})
		if err != nil {
			t.Fatal(err)
		}
		serials = append(serials, v.Serial)
	}
	for range 5 {
		vote(term)
	}
	opened := term.Status().Opened
	term.Close()

	term = load(t, dir, testOptions(6))
	if st := term.Status(); st.Phase != PhaseOpen || st.Ballots != 5 || !st.Opened.Equal(opened) {
		t.Fatalf("after reload: %+v", st)
	}
	for range 5 {
		vote(term)
	}
	final, err := term.ClosePolls()
	if err != nil {
		t.Fatal(err)
	}
	sa, err := acta.Open(final, def)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := sa.Contests[0].Votes("CORA"); n != 10 || sa.Ballots != 10 {
		t.Errorf("final acta counts %d ballots, %d for CORA; want 10", sa.Ballots, n)
	}
	set, _ := os.ReadFile(filepath.Join(dir, recordsFile))
	for _, s := range serials {
		if !bytes.Contains(set, []byte(s+" ")) {
			t.Errorf("serial %s missing from records.txt", s)
		}
	}
}

// TestRecover puts in the directory what a crash can leave — and what it
// cannot — and loads it.
func TestRecover(t *testing.T) {
	t.Run("slots without zero tape", func(t *testing.T) {
		term, dir, _ := newStation(t, electiontest.Options{}, Options{})
		if _, err := term.Open(); err != nil {
			t.Fatal(err)
		}
		term.Close()
		// A crash between writing the slots file and the zero tape.
		os.Remove(filepath.Join(dir, zeroFile))
		tmp := filepath.Join(dir, "."+zeroFile+".tmp-1") // as durable.WriteFile names it
		os.WriteFile(tmp, []byte("half"), 0o644)
		term = load(t, dir, Options{})
		if st := term.Status(); st.Phase != PhaseNew {
			t.Fatalf("phase %s, want new", st.Phase)
		}
		if _, err := os.Stat(tmp); err == nil {
			t.Error("Load left a temporary file")
		}
		if _, err := term.Open(); err != nil {
			t.Fatal(err)
		}
	})

	open := func(t *testing.T) (*Terminal, string) {
		term, dir, _ := newStation(t, electiontest.Options{Registered: 3}, testOptions(7))
		if _, err := term.Open(); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := term.Vote(map[string]string{"president": "BRUNO"}); err != nil {
				t.Fatal(err)
			}
		}
		return term, dir
	}
	// patch closes the terminal and overwrites the one free slot of its
	// three with what fn makes of the bytes of a taken one.
	patch := func(t *testing.T, term *Terminal, dir string, fn func(taken []byte) []byte) {
		free := int(term.free[0])
		term.Close()
		f, err := os.OpenFile(filepath.Join(dir, slotsFile), os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		taken := make([]byte, term.size)
		if _, err := f.ReadAt(taken, int64((free+1)%3+1)*int64(term.size)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt(fn(taken), int64(free+1)*int64(term.size)); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("torn slot", func(t *testing.T) {
		term, dir := open(t)
		patch(t, term, dir, func(b []byte) []byte { b[len(b)-1] ^= 1; return b })
		term = load(t, dir, testOptions(8))
		if n := term.Status().Ballots; n != 2 {
			t.Fatalf("%d ballots after a torn write, want 2", n)
		}
		if _, err := term.Vote(nil); err != nil {
			t.Fatalf("vote into the torn slot: %v", err)
		}
		if _, err := term.Vote(nil); !errors.Is(err, ErrFull) {
			t.Fatalf("fourth vote of three voters: %v", err)
		}
	})
	t.Run("torn slot cleared", func(t *testing.T) {
		term, dir := open(t)
		free := int(term.free[0])
		patch(t, term, dir, func(b []byte) []byte { b[len(b)-1] ^= 1; return b })
		term = load(t, dir, testOptions(8))
		term.Close()
		data, err := os.ReadFile(filepath.Join(dir, slotsFile))
		if err != nil {
			t.Fatal(err)
		}
		if slot := data[(free+1)*term.size : (free+2)*term.size]; !allZero(slot) {
			t.Fatal("Load left the torn slot as it was")
		}
	})
	t.Run("acknowledged vote damaged", func(t *testing.T) {
		// A torn slot besides the one a crash may leave: one of the two
		// held an acknowledged vote, and Load must not quietly drop it.
		term, dir := open(t)
		patch(t, term, dir, func(b []byte) []byte { b[len(b)-1] ^= 1; return b })
		f, err := os.OpenFile(filepath.Join(dir, slotsFile), os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		taken := (int(term.free[0])+1)%3 + 1
		b := make([]byte, 1)
		f.ReadAt(b, int64(taken*term.size+5))
		b[0] ^= 1
		f.WriteAt(b, int64(taken*term.size+5))
		f.Close()
		if _, err := Load(dir, Options{}); err == nil || !strings.Contains(err.Error(), "fail their checksum") {
			t.Fatalf("Load: %v", err)
		}
	})
	t.Run("checksummed garbage", func(t *testing.T) {
		term, dir := open(t)
		patch(t, term, dir, func(b []byte) []byte { return encodeSlot(len(b), "0123456789AB president=DORA\n") })
		if _, err := Load(dir, Options{}); err == nil || !strings.Contains(err.Error(), "DORA") {
			t.Fatalf("Load: %v", err)
		}
	})
	t.Run("repeated record", func(t *testing.T) {
		term, dir := open(t)
		patch(t, term, dir, func(b []byte) []byte { return b })
		if _, err := Load(dir, Options{}); err == nil || !strings.Contains(err.Error(), "repeated") {
			t.Fatalf("Load: %v", err)
		}
	})
	t.Run("record added after closing", func(t *testing.T) {
		term, dir := open(t)
		if _, err := term.ClosePolls(); err != nil {
			t.Fatal(err)
		}
		patch(t, term, dir, func(b []byte) []byte {
			return encodeSlot(len(b), "0123456789AB president=ALBA\n")
		})
		if _, err := Load(dir, Options{}); err == nil || !strings.Contains(err.Error(), "does not count") {
			t.Fatalf("Load: %v", err)
		}
	})
}

// TestSetupPublicWitnesses: a station's part keeps the public witnesses
// and the groups that count them, so that it parses and its machine checks
// receipts against the same log quorum.
func TestSetupPublicWitnesses(t *testing.T) {
	f, _, skey := testElection(t, electiontest.Options{LogWitnesses: 2, PublicWitnesses: 2})
	def, err := election.Parse(append(bytes.Clone(f.Text), "loggroup network 1 pw1 pw2\nloggroup slow 2 network pa\npublicquorum slow\n"...))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "100.1")
	if err := Setup(dir, def, "100.1", skey); err != nil {
		t.Fatalf("Setup with public witnesses in a group: %v", err)
	}
	got, err := election.ReadFile(filepath.Join(dir, defFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.PublicWitnesses) != 2 || got.PublicQuorumGroup != "slow" || got.LogQuorum != 2 {
		t.Errorf("restricted definition:\n%s", got.Marshal())
	}
}
