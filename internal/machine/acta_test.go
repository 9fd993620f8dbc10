package machine

import (
	"bytes"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// Acta gives back each signed acta once it exists, the same bytes Open and
// ClosePolls returned, also after the terminal is loaded again.
func TestActa(t *testing.T) {
	term, dir, _ := newStation(t, electiontest.Options{}, testOptions(1))
	if term.Definition().Stations[0].ID != "100.1" {
		t.Fatalf("Definition: stations %v", term.Definition().Stations)
	}
	want := func(kind acta.Kind, msg []byte) {
		t.Helper()
		got, err := term.Acta(kind)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("Acta(%s) = %q, %v; want %q", kind, got, err, msg)
		}
	}
	want(acta.Zero, nil)
	want(acta.Final, nil)
	zero, err := term.Open()
	if err != nil {
		t.Fatal(err)
	}
	want(acta.Zero, zero)
	want(acta.Final, nil)
	final, err := term.ClosePolls()
	if err != nil {
		t.Fatal(err)
	}
	want(acta.Final, final)
	if _, err := term.Acta(acta.Hand); err == nil {
		t.Error("Acta(hand): no error")
	}
	term.Close()
	term = load(t, dir, testOptions(2))
	want(acta.Zero, zero)
	want(acta.Final, final)
}
