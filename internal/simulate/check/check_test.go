package check_test

import (
	"context"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/simulate/check"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

func day(t *testing.T, attack string) (*simulate.Day, *verify.Report) {
	t.Helper()
	ctx := context.Background()
	d, err := simulate.Run(ctx, simulate.Config{Dir: t.TempDir(), Stations: 40, Seed: 3, Attack: attack})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	src, err := check.Sources(d)
	if err != nil {
		t.Fatal(err)
	}
	return d, verify.Gather(ctx, d.Election.Def, src)
}

// An honest day is caught clean; an attacked day is caught, and a report
// that misses a station the attack touched, or finds one it did not, fails.
func TestCaught(t *testing.T) {
	d, r := day(t, "honest")
	if err := check.Caught(d, r); err != nil || !r.Clean() {
		t.Fatalf("honest day: %v (clean %v)", err, r.Clean())
	}
	d, r = day(t, "announce")
	if err := check.Caught(d, r); err != nil {
		t.Fatalf("announce: %v", err)
	}
	missed := *r
	missed.Findings = r.Findings[1:]
	if err := check.Caught(d, &missed); err == nil || !strings.Contains(err.Error(), "nothing found at station") {
		t.Errorf("a report missing a finding: %v", err)
	}
	d.Attacked = d.Attacked[1:]
	if err := check.Caught(d, r); err == nil || !strings.Contains(err.Error(), "which the attack did not touch") {
		t.Errorf("a finding at a station the attack did not touch: %v", err)
	}
}
