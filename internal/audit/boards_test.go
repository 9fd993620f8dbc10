package audit_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// boardsAudit starts a batch-comparison audit with its first round drawn
// and divided among two boards, and returns its directory.
func boardsAudit(t testing.TB) (string, *audit.Boards, *electiontest.Fixture) {
	t.Helper()
	fx := electiontest.New(electiontest.Options{Seed: "boards", Stations: 40, Registered: 500})
	figs := map[string]box{}
	for _, st := range fx.Def.Stations {
		figs[st.ID] = box{260, 90, 30, 5, 5}
	}
	dir := t.TempDir()
	au, err := audit.Start(dir, fx.Def, "a.json", announcedBoxes(fx.Def, figs, nil), audit.MACRO, seed, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	bs, err := audit.OpenBoards(au, fx.Auditor)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bs.Launch(2); err != nil {
		t.Fatal(err)
	}
	return dir, bs, fx
}

func honestCount(station string) map[string]string {
	return map[string]string{"ballots": "390", "president.ALBA": "260", "president.BRUNO": "90", "president.CORA": "30", "president.blank": "5", "president.null": "5"}
}

// The boards' work is rebuilt from the trail alone, and the trail with
// it verifies; a board's sign-off that the trail shows with its entries
// disagreeing is caught by audit verify.
func TestBoardsReplayed(t *testing.T) {
	dir, bs, fx := boardsAudit(t)
	b := bs.Round(1).Boards[0]
	it := b.Items[0]
	if _, err := bs.Enter(1, b.Name, 1, it, honestCount(it.Station)); err != nil {
		t.Fatal(err)
	}
	bad := honestCount(it.Station)
	bad["president.ALBA"], bad["president.BRUNO"] = "259", "91"
	a, err := bs.Enter(1, b.Name, 2, it, bad)
	if err != nil || a.Agree || strings.Join(a.Differ, ",") != "president.ALBA,president.BRUNO" {
		t.Fatalf("a disagreeing entry: %+v, %v", a, err)
	}
	au, err := audit.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	again, err := audit.OpenBoards(au, fx.Auditor)
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Round(1).Boards[0].Agreement(it); got.Agree || len(got.Differ) != 2 {
		t.Errorf("replayed: %+v", got)
	}
	if _, err := audit.VerifyTrail(dir); err != nil {
		t.Fatal(err)
	}
	read, err := audit.ReadBoards(au)
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	read.WriteText(&text)
	want := "audit boards, round 1 (counting):\n  board 1: 4 drawn, 0 agreed, 1 in disagreement, not signed off\n  board 2: 4 drawn, 0 agreed, 0 in disagreement, not signed off\n"
	if text.String() != want {
		t.Errorf("the boards' progress:\n%s\nwant\n%s", text.String(), want)
	}

	// A sign-off forged into the trail, chained as it should be: the
	// entries it signs disagree.
	path := filepath.Join(dir, audit.TrailFile)
	data, _ := os.ReadFile(path)
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	sum := sha256.Sum256(lines[len(lines)-1])
	forged, _ := json.Marshal(audit.TrailEntry{Seq: len(lines) + 1, Prev: hex.EncodeToString(sum[:]), Kind: "signoff", Board: &audit.BoardEvent{Round: 1, Board: b.Name}})
	os.WriteFile(path, append(data, append(forged, '\n')...), 0o644)
	if _, err := audit.VerifyTrail(dir); err == nil || !strings.Contains(err.Error(), "signed round 1 off with station "+it.Station+" not agreed") {
		t.Errorf("a forged sign-off: %v", err)
	}
}

// FuzzBoardEvents replays whatever board events follow a real audit's
// trail: OpenBoards refuses or rebuilds, never panics, and what it
// rebuilds has only entries of drawn items by members 1 and 2.
func FuzzBoardEvents(f *testing.F) {
	dir, bs, fx := boardsAudit(f)
	b := bs.Round(1).Boards[0]
	it := b.Items[0]
	for _, ev := range []audit.BoardEvent{
		{Round: 1, Board: b.Name, Member: 1, Station: it.Station, Values: honestCount(it.Station)},
		{Round: 1, Board: b.Name, Member: 3, Station: it.Station, Values: honestCount(it.Station)},
		{Round: 2, Board: b.Name, Member: 1, Station: "100.99"},
		{Round: 1, Assigned: map[string][]string{"1": {it.Station}}},
		{Round: 1, Board: b.Name},
	} {
		for _, kind := range []string{"entry", "signoff", "reopen", "recorded", "boards"} {
			data, _ := json.Marshal(ev)
			f.Add(kind, data)
		}
	}
	base, _ := os.ReadFile(filepath.Join(dir, audit.TrailFile))
	lines := bytes.Split(bytes.TrimSuffix(base, []byte("\n")), []byte("\n"))
	sum := sha256.Sum256(lines[len(lines)-1])
	f.Fuzz(func(t *testing.T, kind string, event []byte) {
		var ev audit.BoardEvent
		if json.Unmarshal(event, &ev) != nil {
			return
		}
		line, _ := json.Marshal(audit.TrailEntry{Seq: len(lines) + 1, Prev: hex.EncodeToString(sum[:]), Kind: kind, Board: &ev})
		d := t.TempDir()
		for _, name := range []string{"audit.json", "election.txt", "announced.json"} {
			data, _ := os.ReadFile(filepath.Join(dir, name))
			os.WriteFile(filepath.Join(d, name), data, 0o644)
		}
		os.WriteFile(filepath.Join(d, audit.TrailFile), append(append(bytes.Clone(base), line...), '\n'), 0o644)
		au, err := audit.Open(d)
		if err != nil {
			t.Fatal(err)
		}
		got, err := audit.OpenBoards(au, fx.Auditor)
		if err != nil {
			return
		}
		for _, gb := range got.Round(1).Boards {
			for m := range 2 {
				for x := range gb.Entries[m] {
					if !containsItem(gb.Items, x) {
						t.Errorf("board %s has an entry of %v, not drawn for it", gb.Name, x)
					}
				}
			}
		}
	})
}

func containsItem(items []audit.Item, x audit.Item) bool {
	for _, it := range items {
		if it == x {
			return true
		}
	}
	return false
}
