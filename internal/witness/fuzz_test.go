package witness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"
)

// FuzzParseRequest checks that the request parser never panics, that it
// accepts only what encodes back to the same bytes, and that every refusal
// is ErrMalformed.
func FuzzParseRequest(f *testing.F) {
	center := newTestLog(f, "example.org/center", 20)
	f.Add(center.add(f, 0, 0))
	f.Add(center.add(f, 0, 3))
	f.Add(center.add(f, 3, 20))
	f.Add([]byte("old 20852014\n" +
		"PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n" +
		"jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n" +
		"5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n" +
		"/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n" +
		"\n" +
		"example.com/behind-the-sofa\n" +
		"20852163\n" +
		"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n" +
		"\n" +
		"— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"))
	f.Add([]byte("old 01\n\nx"))
	f.Add([]byte("old 1\nAAAA\n\nx"))
	f.Add([]byte("old 18446744073709551615\n\n\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := parseRequest(body)
		if err != nil {
			if r != nil || !errors.Is(err, ErrMalformed) {
				t.Fatalf("parseRequest(%q) = %v, %v", body, r, err)
			}
			return
		}
		if len(r.proof) > maxProofLines || len(r.checkpoint) == 0 {
			t.Fatalf("parseRequest(%q): %d proof hashes, checkpoint %q", body, len(r.proof), r.checkpoint)
		}
		for _, h := range r.proof {
			if len(h) != hashSize {
				t.Fatalf("parseRequest(%q): proof hash of %d bytes", body, len(h))
			}
		}
		if again := r.marshal(); !bytes.Equal(again, body) {
			t.Fatalf("parseRequest(%q) encodes back to %q", body, again)
		}
	})
}

// FuzzParseCheckpoint checks that the checkpoint parser never panics and
// accepts a text only if it begins with the canonical form of what it read.
func FuzzParseCheckpoint(f *testing.F) {
	f.Add("example.org/center\n3\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")
	f.Add("example.org/center\n03\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\nextension\n")
	f.Add("example.org/center\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
	f.Fuzz(func(t *testing.T, text string) {
		cp, err := parseCheckpoint(text)
		if err != nil {
			return
		}
		if len(cp.Hash) != hashSize || !bytes.HasPrefix([]byte(text), cp.Marshal()) {
			t.Fatalf("parseCheckpoint(%q) = %+v", text, cp)
		}
	})
}

// answer is an http.RoundTripper that gives one fixed answer.
type answer struct {
	status int
	ctype  string
	body   []byte
}

func (a answer) RoundTrip(r *http.Request) (*http.Response, error) {
	h := http.Header{}
	h.Set("Content-Type", a.ctype)
	return &http.Response{StatusCode: a.status, Header: h, Body: io.NopCloser(bytes.NewReader(a.body)), Request: r}, nil
}

// FuzzClientAnswer checks that the client reads any answer of a witness
// without panicking, that what it takes for a cosignature is one by the
// witness's key, and that a size it learns from a 409 is the one written.
func FuzzClientAnswer(f *testing.F) {
	key := newKey(f, "witness.example/public")
	center := newTestLog(f, "example.org/center", 3)
	w := open(f, f.TempDir(), key, center)
	cp := center.checkpoint(f, 3)
	cosig, err := w.AddCheckpoint(center.add(f, 0, 3))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(200, "text/plain", cosig)
	f.Add(409, "text/x.tlog.size", []byte("3\n"))
	f.Add(409, "text/x.tlog.size", []byte("03\n"))
	f.Add(409, "text/plain", []byte("3\n"))
	f.Add(422, "text/plain", []byte("inconsistent"))
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte) {
		c, err := NewClient(key.Public, "http://witness.example", &http.Client{Transport: answer{status, ctype, body}})
		if err != nil {
			t.Fatal(err)
		}
		line, err := c.AddCheckpoint(context.Background(), cp, 3, nil)
		var conflict *ConflictError
		switch {
		case err == nil:
			checkCosignature(t, key, cp, line)
		case errors.As(err, &conflict):
			if fmt.Sprintf("%d\n", conflict.Size) != string(body) || c.Size() != conflict.Size {
				t.Fatalf("409 with %q read as size %d", body, conflict.Size)
			}
		}
	})
}
