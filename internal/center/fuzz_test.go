package center_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// FuzzSubmit posts arbitrary bodies to the center's ingest: it must answer
// with a status, never fail inside or panic, and what it had accepted stays
// as it was.
func FuzzSubmit(f *testing.F) {
	fx := electiontest.New(electiontest.Options{Stations: 3})
	good := finalActa(f, fx, "100.1", 6, 3, 1)
	f.Add(good)
	f.Add(finalActa(f, fx, "100.2", 1, 2, 3))
	f.Add(mustCosign(f, good, fx))
	f.Add(good[:len(good)/2])
	f.Add([]byte{})
	c, err := center.Open(context.Background(), center.Config{Election: fx.Def, Key: fx.Center, Dir: f.TempDir()})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { c.Close(context.Background()) })
	h := c.Handler(nil)
	post := func(body []byte) int {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/v1/actas", bytes.NewReader(body)))
		return w.Code
	}
	// Every seed first, so that a fuzzed input that repeats one changes
	// nothing: then the results must stay exactly as they are.
	for _, seed := range [][]byte{good, finalActa(f, fx, "100.2", 1, 2, 3)} {
		if code := post(seed); code != http.StatusOK {
			f.Fatalf("seed acta: %d", code)
		}
	}
	before, _ := c.Result(context.Background(), "")
	f.Fuzz(func(t *testing.T, body []byte) {
		switch code := post(body); code {
		case 200, 400, 403, 409, 413, 422, 429:
		default:
			t.Fatalf("status %d for %q", code, body)
		}
		after, _ := c.Result(context.Background(), "")
		if !reflect.DeepEqual(after, before) {
			t.Fatalf("the results changed: %+v, were %+v", after, before)
		}
		if post(good) != http.StatusOK {
			t.Fatal("the accepted acta is no longer accepted")
		}
	})
}
