package election_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// TestDeadlineAndBoundaries: a definition with both a deadline and
// boundaries (two lines added by separate changes) reads, and writes
// back the same bytes.
func TestDeadlineAndBoundaries(t *testing.T) {
	ar, err := txtar.ParseFile("../../doc/spec/vectors/election/ok-boundaries.txt")
	if err != nil {
		t.Fatal(err)
	}
	var text string
	for _, f := range ar.Files {
		if f.Name == "election" {
			text = string(f.Data)
		}
	}
	i := strings.Index(text, "\nboundaries ")
	if i < 0 {
		t.Fatal("the vector has no boundaries line")
	}
	text = text[:i+1] + "deadline 2024-07-29T06:00:00-04:00\n" + text[i+1:]
	def, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if def.Deadline.IsZero() || def.Boundaries == nil {
		t.Fatalf("deadline %v, boundaries %v", def.Deadline, def.Boundaries)
	}
	if got := def.Marshal(); !bytes.Equal(got, []byte(text)) {
		t.Errorf("Marshal differs from the text read:\n%s", got)
	}
}
