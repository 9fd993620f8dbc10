package election_test

import (
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// TestErrorListWriteText writes each error where it is: the file, its line
// if any, its station if any.
func TestErrorListWriteText(t *testing.T) {
	list := election.ErrorList{{Msg: "empty"}, {Line: 3, Msg: "no id"}, {Line: 9, Station: "100.1", Msg: "bad count"}}
	var b strings.Builder
	if err := list.WriteText(&b, "e.txt"); err != nil {
		t.Fatal(err)
	}
	want := "e.txt: empty\ne.txt:3: no id\ne.txt:9: station 100.1: bad count\n"
	if b.String() != want {
		t.Errorf("WriteText:\n%s\nwant:\n%s", b.String(), want)
	}
}
