package acta_test

import (
	"fmt"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// A machine signs its final acta, a party witness cosigns it, and anyone with
// the election definition checks both signatures at once.
func Example() {
	f := electiontest.New(electiontest.Options{Seed: "example"})
	st := f.Def.Station("100.1")
	a := &acta.Acta{
		Election: f.Def.ID, Station: st.ID, Kind: acta.Final, Machine: st.Machine,
		Opened:     time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC),
		Closed:     time.Date(2024, 7, 28, 18, 0, 0, 0, time.UTC),
		Registered: st.Registered, Ballots: 2,
		Records:  acta.Digest([]string{"7Q2MX0A4K9ZB president=ALBA\n", "0C3T9W1M6P2R president=BRUNO\n"}),
		Contests: acta.Blank(f.Def.Ballot(st)),
	}
	a.Contests[0].Candidates[0].Votes = 1
	a.Contests[0].Candidates[1].Votes = 1

	msg, err := acta.Sign(a, f.Machines[st.ID])
	if err != nil {
		panic(err)
	}
	msg, err = acta.Cosign(msg, f.Def, f.Witness["pa"])
	if err != nil {
		panic(err)
	}
	sa, err := acta.Open(msg, f.Def)
	if err != nil {
		panic(err)
	}
	for _, s := range sa.Signatures {
		fmt.Println("signed by", s.Name, "("+s.Signer.Role+")")
	}
	for _, c := range sa.Contests[0].Candidates {
		fmt.Println(c.Candidate, c.Votes)
	}
	// Output:
	// signed by test/machine/100.1 (machine)
	// signed by test/witness/pa (witness)
	// ALBA 1
	// BRUNO 1
	// CORA 0
}

// Parse accepts only the canonical encoding: here, a count with a leading zero.
func ExampleParse() {
	_, err := acta.Parse([]byte("triplicate acta v1\nelection test\nstation 100.1\nkind zero\n" +
		"machine test/machine/100.1+d3b10f02+ARpDbQgm/MctXU+f33NUY83EYbTKjTwTgjA/Ug6PHuiK\n" +
		"opened 2024-07-28T06:00:00Z\nregistered 0500\n"))
	fmt.Println(err)
	// Output:
	// malformed acta: line 7: registered: number "0500" not in canonical form (leading zero)
}
