package machine

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// TestOrderNotRecoverable checks that the slots file holds nothing from which
// the order of voting could be read: after every vote, each slot is either
// zeros or exactly the encoding of one record — no counter, no time, nothing
// else — and the header and size never change. It also checks that the slots
// of consecutive votes are not in any order.
func TestOrderNotRecoverable(t *testing.T) {
	const registered, votes = 400, 200
	term, dir, _ := newStation(t, electiontest.Options{Registered: registered, Contests: 2}, testOptions(9))
	if _, err := term.Open(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, slotsFile)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	size := term.size
	header := before[:size]
	if len(before) != (registered+1)*size {
		t.Fatalf("slots file of %d bytes, want %d", len(before), (registered+1)*size)
	}

	wantSlot := map[string]bool{} // the encoded slots of the records cast
	var order []int               // the slot of each vote, in voting order
	for i := range votes {
		v, err := term.Vote(map[string]string{"president": []string{"ALBA", "BRUNO", "CORA"}[i%3]})
		if err != nil {
			t.Fatal(err)
		}
		wantSlot[string(encodeSlot(size, v.Record()))] = true
		after, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) || !bytes.Equal(after[:size], header) {
			t.Fatalf("vote %d changed the size or header of the slots file", i)
		}
		changed := -1
		for s := range registered {
			old, cur := before[(s+1)*size:(s+2)*size], after[(s+1)*size:(s+2)*size]
			if bytes.Equal(old, cur) {
				continue
			}
			if changed >= 0 || !allZero(old) || !wantSlot[string(cur)] {
				t.Fatalf("vote %d: slot %d changed from %q to %q", i, s, old, cur)
			}
			changed = s
		}
		if changed < 0 {
			t.Fatalf("vote %d changed no slot", i)
		}
		order = append(order, changed)
		before = after
	}

	// With slots drawn at random, about half the consecutive pairs go up;
	// votes written in order would make them all go up.
	up := 0
	for i := 1; i < len(order); i++ {
		if order[i] > order[i-1] {
			up++
		}
	}
	if up < votes*3/10 || up > votes*7/10 {
		t.Errorf("%d of %d consecutive votes went to a higher slot, want about half: %v", up, votes-1, order)
	}
}
