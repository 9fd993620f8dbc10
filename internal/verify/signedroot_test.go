package verify_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/announced"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// TestSignedAnnouncedRootHeldToLog: an announcement the center signed names
// the log's size and root it is of. Held against the log: the honest one
// is clean; one whose root at the log's own size, or at a smaller size, is
// not the log's is the center's split view (two histories, one shown to the
// phones); one of a size beyond the log read is a problem, never clean.
func TestSignedAnnouncedRootHeldToLog(t *testing.T) {
	d := day(t, 10, "honest")
	resp, err := http.Get(d.CenterURL + "/v1/announced?format=signed")
	if err != nil {
		t.Fatal(err)
	}
	bundle, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	notes, err := announced.Split(bundle)
	if err != nil || len(notes) == 0 {
		t.Fatalf("signed announcements: %v, %d notes", err, len(notes))
	}
	sa, err := announced.Open(notes[0], d.Election.Def)
	if err != nil {
		t.Fatal(err)
	}
	resign := func(edit func(a *announced.Announcement)) []byte {
		a := *sa.Announcement
		edit(&a)
		msg, err := announced.Sign(&a, d.Election.Center)
		if err != nil {
			t.Fatal(err)
		}
		return msg
	}
	for _, tc := range []struct {
		name  string
		note  []byte
		split bool // a split-view finding
		clean bool
	}{
		{"honest", notes[0], false, true},
		{"another root at the log's size", resign(func(a *announced.Announcement) { a.Root[0] ^= 0xff }), true, false},
		{"another root at a smaller size", resign(func(a *announced.Announcement) { a.Size--; a.Root[0] ^= 0xff }), true, false},
		{"a size beyond the log read", resign(func(a *announced.Announcement) { a.Size += 1000 }), false, false},
	} {
		v := verify.New(d.Election.Def)
		v.ReadAnnounced("phone.note", tc.note)
		v.AddLog(context.Background(), verify.LogSource{Location: d.CenterURL + "/log/"})
		v.AddCopies("copies", d.Evidence.Copies)
		r := v.Report(context.Background())
		split := false
		for _, f := range r.Findings {
			split = split || f.Check == verify.CheckSplitView && f.Proven
		}
		if split != tc.split || r.Clean() != tc.clean {
			t.Errorf("%s: split view %v, clean %v; want %v, %v\nfindings %v\nproblems %v", tc.name, split, r.Clean(), tc.split, tc.clean, r.Findings, r.Problems)
		}
	}
}

// TestSignedAnnouncedTwice: the witnesses' phones' notes of one station at
// two log sizes with the same figures, in one file or two, are no finding;
// two of one log entry with different figures are the center's split view,
// proven by its signatures, wherever they come from.
func TestSignedAnnouncedTwice(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	cat := func(a, b []byte) []byte { return append(append([]byte{}, a...), b...) }
	for _, tc := range []struct {
		name  string
		files [][]byte
		split bool
	}{
		{"same figures, one file", [][]byte{cat(signedOf(t, f, 3, 6, f), signedOf(t, f, 4, 6, f))}, false},
		{"same figures, two files", [][]byte{signedOf(t, f, 3, 6, f), signedOf(t, f, 4, 6, f)}, false},
		{"one entry, two figures, one file", [][]byte{cat(signedOf(t, f, 3, 6, f), signedOf(t, f, 4, 60, f))}, true},
		{"one entry, two figures, two files", [][]byte{signedOf(t, f, 3, 6, f), signedOf(t, f, 4, 60, f)}, true},
	} {
		v := verify.New(f.Def)
		for i, data := range tc.files {
			v.ReadAnnounced(fmt.Sprintf("phone%d.notes", i+1), data)
		}
		v.AddCopies("copies", write(t, machineActa(t, f)))
		r := v.Report(context.Background())
		split, dup := false, false
		for _, x := range r.Findings {
			split = split || x.Check == verify.CheckSplitView && x.Proven && x.Station == "100.1"
			dup = dup || x.Check == verify.CheckDuplicate
		}
		if split != tc.split || dup {
			t.Errorf("%s: split view %v, duplicate %v; want split view %v, no duplicate\n%v", tc.name, split, dup, tc.split, r.Findings)
		}
	}
}
