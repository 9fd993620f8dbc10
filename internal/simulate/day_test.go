package simulate_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/simulate"
)

// TestDayCount checks that a day tells its Count of every table of its long
// steps, in order: what a caller shows as progress.
func TestDayCount(t *testing.T) {
	var got []string
	d, err := simulate.Run(context.Background(), simulate.Config{Dir: t.TempDir(), Stations: 3, Seed: 1,
		Count: func(step string, done, total int) { got = append(got, fmt.Sprintf("%s %d/%d", step, done, total)) }})
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	want := []string{"vote 1/3", "vote 2/3", "vote 3/3", "transmit 1/3", "transmit 2/3", "transmit 3/3"}
	if !slices.Equal(got, want) {
		t.Errorf("counted %q, want %q", got, want)
	}
}
