package acta_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// finalActa returns a valid final acta of station 100.1 of the fixture.
func finalActa(f *electiontest.Fixture) *acta.Acta {
	st := f.Def.Station("100.1")
	a := &acta.Acta{
		Election: f.Def.ID, Station: st.ID, Kind: acta.Final, Machine: st.Machine,
		Opened:     time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC),
		Closed:     time.Date(2024, 7, 28, 18, 4, 31, 0, time.UTC),
		Registered: st.Registered, Ballots: 10,
		Records:  acta.Digest([]string{"0000000000AB president=ALBA\n"}),
		Contests: acta.Blank(f.Def.Ballot(st)),
	}
	a.Contests[0].Candidates[0].Votes = 6
	a.Contests[0].Candidates[1].Votes = 3
	a.Contests[0].Null = 1
	return a
}

func TestSignCosignOpen(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	msg, err := acta.Sign(finalActa(f), f.Machines["100.1"])
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Parties {
		if msg, err = acta.Cosign(msg, f.Def, f.Witness[p]); err != nil {
			t.Fatal(err)
		}
	}
	sa, err := acta.Open(msg, f.Def)
	if err != nil {
		t.Fatal(err)
	}
	if len(sa.Signatures) != 4 || sa.Contests[0].Candidates[0].Votes != 6 {
		t.Fatalf("opened %d signatures, tally %+v", len(sa.Signatures), sa.Contests)
	}
	if _, err := acta.Cosign(msg, f.Def, f.Witness["pa"]); err == nil {
		t.Error("cosigning twice with one key succeeded")
	}
	signed, _ := acta.Sign(finalActa(f), f.Machines["100.1"])
	if all, err := acta.Cosign(signed, f.Def, f.Witness["pa"], f.Witness["pb"], f.Witness["pc"]); err != nil || !bytes.Equal(all, msg) {
		t.Errorf("cosigning by every party at once: %v\n%s\nwant, as in turn:\n%s", err, all, msg)
	}
	if _, err := acta.Cosign(signed, f.Def, f.Witness["pa"], f.Witness["pa"]); err == nil {
		t.Error("cosigning at once twice with one key succeeded")
	}
	if _, err := acta.Sign(finalActa(f), f.Machines["100.2"]); err == nil {
		t.Error("signing with another station's machine key succeeded")
	}
	other := electiontest.New(electiontest.Options{Seed: "other"})
	if _, err := acta.Open(msg, other.Def); !errors.Is(err, acta.ErrNotEnrolled) {
		t.Errorf("open against another election's keys: %v, want ErrNotEnrolled", err)
	}
	t.Logf("%s", msg)
}

func TestTooManySignatures(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	msg, err := acta.Sign(finalActa(f), f.Machines["100.1"])
	if err != nil {
		t.Fatal(err)
	}
	sig := msg[bytes.LastIndex(msg[:len(msg)-1], []byte("\n"))+1:]
	for i := range acta.MaxSignatures {
		msg = append(msg, bytes.Replace(sig, []byte("100.1"), []byte(fmt.Sprintf("x%d", i)), 1)...)
	}
	_, err = acta.Open(msg, f.Def)
	if !errors.Is(err, acta.ErrMalformed) || !strings.Contains(err.Error(), "101 signatures, more than the 100 an acta may carry") {
		t.Fatalf("Open: %v", err)
	}
}
