package machine_test

import (
	"errors"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/machine"
)

func ExampleVoucher() {
	v := &machine.Voucher{
		Election:     "ve2024",
		ElectionName: "Elección presidencial 2024",
		Station:      "10113042.1",
		Serial:       "7K3M9Q2XH4TB",
		Choices: []machine.Choice{
			{Contest: "president", ContestName: "Presidente de la República", Candidate: "EG", CandidateName: "Edmundo González Urrutia"},
			{Contest: "assembly", ContestName: "Asamblea Nacional", Candidate: "blank"},
		},
	}
	fmt.Print(v)
	fmt.Print(v.Record())
	// Output:
	// Elección presidencial 2024
	// station 10113042.1
	// voucher 7K3M9Q2XH4TB
	// Presidente de la República: Edmundo González Urrutia
	// Asamblea Nacional: (blank)
	// 7K3M9Q2XH4TB president=EG assembly=blank
}

// A station's day: set up its state directory, open the polls, vote, close.
func Example() {
	skey, vkey, _ := keys.Generate(nil, "demo/machine/1.1")
	def, err := election.Parse([]byte(`triplicate election v1
id demo
name Demo election
levels centre
contest mayor * Mayor
candidate mayor ANA Ana Álvarez
candidate mayor BEA Bea Bello
area 1 Centre 1
station 1.1 1 3 ` + vkey + "\n"))
	if err != nil {
		log.Fatal(err)
	}
	dir, _ := os.MkdirTemp("", "station")
	defer os.RemoveAll(dir)
	dir = filepath.Join(dir, "1.1")
	if err := machine.Setup(dir, def, "1.1", skey); err != nil {
		log.Fatal(err)
	}

	// Deterministic serials and times, for this example only.
	now := time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC)
	term, err := machine.Load(dir, machine.Options{
		Now:  func() time.Time { now = now.Add(time.Hour); return now },
		Rand: rand.NewChaCha8([32]byte{}),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer term.Close()
	if _, err := term.Open(); err != nil {
		log.Fatal(err)
	}
	v, err := term.Vote(map[string]string{"mayor": "BEA"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(v)
	if _, err := term.Vote(map[string]string{"mayor": "DORA"}); err != nil {
		fmt.Println(err)
	}
	final, err := term.ClosePolls()
	if err != nil {
		log.Fatal(err)
	}
	a, err := acta.Open(final, def)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Kind, a.Ballots, a.Contests[0].Candidates[1])
	if _, err := term.Vote(nil); errors.Is(err, machine.ErrClosed) {
		fmt.Println(err)
	}
	// Output:
	// Demo election
	// station 1.1
	// voucher CN2DKPSSYV1K
	// Mayor: Bea Bello
	// station 1.1: not a choice on the ballot: contest mayor has no candidate "DORA"
	// final 1 {BEA 1}
	// station 1.1: polls closed
}
