package audit_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// TestSeedCommitment: an audit announced with the SHA-256 of its seed
// draws nothing until the seed is revealed, and refuses a seed that is
// not the one committed.
func TestSeedCommitment(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "commit", Stations: 4, Registered: 500})
	ann := announcedBoxes(f.Def, map[string]box{"100.1": {200, 150, 30, 5, 5}, "100.2": {200, 150, 30, 5, 5}, "100.3": {200, 150, 30, 5, 5}, "100.4": {200, 150, 30, 5, 5}}, nil)
	dir := t.TempDir()
	if _, err := audit.Commit(dir, f.Def, "a.json", ann, audit.ALPHA, "abc", 0.05); err == nil || !strings.Contains(err.Error(), `seed commitment "abc": want the 64 lower-case hex digits`) {
		t.Errorf("bad commitment: %v", err)
	}
	au, err := audit.Commit(dir, f.Def, "a.json", ann, audit.ALPHA, audit.SHA256([]byte(seed)), 0.05)
	if err != nil {
		t.Fatal(err)
	}
	// Saved at once: the commitment is public before the roll.
	au, err = audit.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := au.Sample(); err == nil || !strings.Contains(err.Error(), "has no seed yet: the seed whose SHA-256 is") {
		t.Errorf("a draw before the seed: %v", err)
	}
	other := "99999999999999999999"
	if err := au.Reveal(other); err == nil || !strings.Contains(err.Error(), "not the commitment "+audit.SHA256([]byte(seed))+" recorded before the draw: refused") {
		t.Errorf("another seed: %v", err)
	}
	if err := au.Reveal(seed); err != nil {
		t.Fatal(err)
	}
	if err := au.Reveal(seed); err == nil || !strings.Contains(err.Error(), "has its seed already") {
		t.Errorf("revealed twice: %v", err)
	}
	if _, _, err := au.Sample(); err != nil {
		t.Fatal(err)
	}
	// An audit started with its seed has nothing to reveal.
	au2, err := audit.Start(t.TempDir(), f.Def, "a.json", ann, audit.ALPHA, seed, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	if err := au2.Reveal(seed); err == nil || !strings.Contains(err.Error(), "has its seed from the start") {
		t.Errorf("reveal without a commitment: %v", err)
	}
}

// TestRoundLaunchedTwice: a round launched again while its paper is not
// recorded is refused; a round file left by a launch whose state was not
// saved is taken if the seed gives the same draws, refused if not.
func TestRoundLaunchedTwice(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "twice", Stations: 4, Registered: 500})
	ann := announcedBoxes(f.Def, map[string]box{"100.1": {200, 150, 30, 5, 5}, "100.2": {200, 150, 30, 5, 5}, "100.3": {200, 150, 30, 5, 5}, "100.4": {200, 150, 30, 5, 5}}, nil)
	dir := t.TempDir()
	au, err := audit.Start(dir, f.Def, "a.json", ann, audit.ALPHA, seed, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	round, path, err := au.Sample()
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := au.Sample(); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("round 1 is not complete: %d draws wait for their paper to be recorded", len(round.Draws))) {
		t.Errorf("launched twice: %v", err)
	}
	// The state as before the launch, the round file left behind.
	reset := func() *audit.Audit {
		t.Helper()
		au.State.Rounds = nil
		if err := au.State.Save(dir); err != nil {
			t.Fatal(err)
		}
		au, err := audit.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		return au
	}
	if _, _, err := reset().Sample(); err != nil {
		t.Errorf("the same round again: %v", err)
	}
	data, _ := os.ReadFile(path)
	if err := os.WriteFile(path, append(data, "0.1,100.1,1\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := reset().Sample(); err == nil || !strings.Contains(err.Error(), "round-1.csv exists with other draws: round 1 was launched already") {
		t.Errorf("a different round file: %v", err)
	}
}

// TestPollsRefused: a voucher not drawn, one read twice in a file and one
// that a second board read otherwise are refused with the reason; the
// rest of the file is recorded.
func TestPollsRefused(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "polls", Stations: 4, Registered: 500})
	ann := announcedBoxes(f.Def, map[string]box{"100.1": {200, 150, 30, 5, 5}, "100.2": {200, 150, 30, 5, 5}, "100.3": {200, 150, 30, 5, 5}, "100.4": {200, 150, 30, 5, 5}}, nil)
	dir := t.TempDir()
	au, err := audit.Start(dir, f.Def, "a.json", ann, audit.ALPHA, seed, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	round, _, err := au.Sample()
	if err != nil {
		t.Fatal(err)
	}
	d0, d1 := round.Draws[0], round.Draws[1]
	first := fmt.Sprintf("station,ballot,president\n%s,%d,ALBA\n", d0.Station, d0.Ballot)
	polls, errs := audit.ReadPolls(strings.NewReader(first), "board1.csv", f.Def)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if _, errs := au.Poll(f.Auditor, polls); len(errs) > 0 {
		t.Fatal(errs)
	}
	second := fmt.Sprintf("station,ballot,president\n%s,%d,BRUNO\n100.1,9999,ALBA\n%s,%d,CORA\n%s,%d,ALBA\n", d0.Station, d0.Ballot, d1.Station, d1.Ballot, d1.Station, d1.Ballot)
	polls, errs = audit.ReadPolls(strings.NewReader(second), "board2.csv", f.Def)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	path, errs := au.Poll(f.Auditor, polls)
	want := []string{
		fmt.Sprintf("board2.csv:2: voucher %d of station %s conflicts with the poll already recorded in", d0.Ballot, d0.Station),
		"board2.csv:3: voucher 9999 of station 100.1 was not drawn: not recorded",
		fmt.Sprintf("board2.csv:5: voucher %d of station %s polled again (first at board2.csv:4): only the first is recorded", d1.Ballot, d1.Station),
	}
	if len(errs) != len(want) {
		t.Fatalf("errors %v", errs)
	}
	for i, w := range want {
		if !strings.Contains(errs[i].Error(), w) {
			t.Errorf("error %d: %v, want %q", i, errs[i], w)
		}
	}
	if path == "" {
		t.Fatal("nothing recorded: the voucher read once should be")
	}
	body, _ := os.ReadFile(path)
	if !strings.Contains(string(body), fmt.Sprintf("%s %d president=CORA\n", d1.Station, d1.Ballot)) {
		t.Errorf("the record lacks the good row:\n%s", body)
	}
	// The report names the assertions and their risks; waiting for the rest.
	r, rpath, err := au.Status()
	if err != nil {
		t.Fatal(err)
	}
	if r.Decision != "waiting" {
		t.Errorf("decision %q", r.Decision)
	}
	var back map[string]any
	data, _ := os.ReadFile(rpath)
	if err := json.Unmarshal(data, &back); err != nil || filepath.Base(rpath) != "report.json" {
		t.Errorf("report %s: %v", rpath, err)
	}
}
