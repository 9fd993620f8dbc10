package contest_test

import (
	"fmt"

	"github.com/triplicate-vote/triplicate/internal/contest"
)

// Argentina's 2023 first round under its rule: no one reached 45%, or
// 40% with a lead of more than 10 points, so the top two go to a runoff.
func ExampleDecide() {
	r, err := contest.Parse("threshold win=45 or=40 lead=10 base=valid")
	if err != nil {
		panic(err)
	}
	t := contest.Totals{
		Votes: []int64{9853492, 8034990, 6379023, 1802068, 722061},
		Blank: 597051, Null: 235235, Ballots: 27623920, Registered: 27623920,
	}
	o := contest.Decide(r, t)
	fmt.Println(o.Kind, o.Runoff, o.Margin())
	// Output: runoff [0 1] 827984
}

func ExampleParse() {
	r, err := contest.Parse("sainte-lague seats=349 threshold=4 first=1.2")
	fmt.Println(r, err)
	_, err = contest.Parse("dhondt seats=7 threshold=3.0")
	fmt.Println(err)
	// Output:
	// sainte-lague seats=349 first=1.2 threshold=4 base=valid <nil>
	// contest rule "dhondt seats=7 threshold=3.0": threshold: "3.0" is not a canonical decimal
}
