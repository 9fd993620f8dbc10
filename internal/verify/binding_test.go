package verify_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// A log whose entry 0 names another definition of the same election id
// (here, one more registered voter at the first station) is an
// other-definition finding, proven, and nothing in it is used: no count, no
// finding about its entries.
func TestOtherDefinitionLog(t *testing.T) {
	d := day(t, 10, "honest")
	lines := strings.Split(string(d.Election.Def.Marshal()), "\n")
	for i, l := range lines {
		if f := strings.Fields(l); len(f) == 5 && f[0] == "station" {
			n, _ := strconv.Atoi(f[3])
			f[3] = strconv.Itoa(n + 1)
			lines[i] = strings.Join(f, " ")
			break
		}
	}
	other, err := election.Parse([]byte(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if other.ID != d.Election.Def.ID || other.Digest() == d.Election.Def.Digest() {
		t.Fatal("want another definition of the same id")
	}
	v := verify.New(other)
	v.AddLog(context.Background(), verify.LogSource{Location: d.Evidence.Log})
	r := v.Report(context.Background())
	if r.ByCheck[verify.CheckOtherDefinition] != 1 || r.ByCheck[verify.CheckInvalidEntry] != 0 || r.ByCheck[verify.CheckSubstitution] != 0 {
		t.Fatalf("findings by check %v: want one other-definition and nothing about the log's entries", r.ByCheck)
	}
	for _, f := range r.Findings {
		if f.Check == verify.CheckOtherDefinition && (!f.Proven || !strings.Contains(f.Summary, "another definition")) {
			t.Errorf("finding %+v: want a proven finding naming another definition", f)
		}
	}
	if r.Agreeing != 0 || r.Outcomes[0].Evidence["machine"] != 0 {
		t.Errorf("%d agreeing, evidence %v: want nothing from the log of another definition", r.Agreeing, r.Outcomes[0].Evidence)
	}
	if verify.CheckOtherDefinition.Description() == "" {
		t.Error("other-definition has no description")
	}

	// The same log, with the definition it names: clean.
	if r := verifyDay(d, d.Evidence.Log); r.ByCheck[verify.CheckOtherDefinition] != 0 || r.ByCheck[verify.CheckInvalidEntry] != 0 {
		t.Errorf("the log with its own definition: findings by check %v", r.ByCheck)
	}
}
