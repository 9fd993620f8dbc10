package collect

import (
	"errors"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// Whatever a phone sends, Receive does not panic, and it keeps only what
// acta.Open accepts.
func FuzzReceive(f *testing.F) {
	fx := electiontest.New(electiontest.Options{})
	f.Add(signedFinal(f, fx, "100.1", 10, "pa"))
	f.Add(signedFinal(f, fx, "100.2", 0))
	f.Add([]byte("triplicate acta v2\n"))
	f.Fuzz(func(t *testing.T, msg []byte) {
		c, err := Open(t.TempDir(), fx.Def)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Receive(msg)
		_, oerr := acta.Open(msg, fx.Def)
		var rej *RejectedError
		switch {
		case err == nil && oerr != nil:
			t.Fatalf("kept an acta that does not open: %v", oerr)
		case errors.As(err, &rej) && oerr == nil:
			t.Fatalf("refused an acta that opens: %v", err)
		}
	})
}
