package collect

import (
	"errors"
	"net/http"
	"strconv"
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

// ReadKeys takes only files whose every line is a comment, blank or a
// verifier key, and returns those keys.
func FuzzReadKeys(f *testing.F) {
	fx := electiontest.New(electiontest.Options{})
	f.Add([]byte("# keys\n" + fx.Witness["pa"].Public + "\n"))
	f.Add([]byte(fx.Witness["pa"].Private))
	f.Fuzz(func(t *testing.T, data []byte) {
		ks, err := ReadKeys("f", data)
		if err != nil {
			return
		}
		if _, err := newEnrolment(ks, "f"); err != nil {
			t.Fatalf("keys read but not enrolled: %v", err)
		}
	})
}

// Whatever headers come, UploadOf does not panic, and what it reads of a
// time and a signature is what they say.
func FuzzUploadOf(f *testing.F) {
	f.Add("k+1+x", "1800000000", "0123456789abcdef", "AAAA")
	f.Fuzz(func(t *testing.T, key, tm, nonce, sig string) {
		h := http.Header{}
		h.Set(HeaderKey, key)
		h.Set(HeaderTime, tm)
		h.Set(HeaderNonce, nonce)
		h.Set(HeaderSignature, sig)
		u, err := UploadOf(h)
		if err != nil {
			return
		}
		if strconv.FormatInt(u.Time, 10) != h.Get(HeaderTime) || len(u.Signature) != 64 {
			t.Fatalf("read %+v from %q", u, h)
		}
	})
}
