package center_test

import (
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// TestServeDefinition: GET /v1/definition gives the definition the center
// holds, which reads back as the same definition, with the digest every
// acta and the log's entry 0 name.
func TestServeDefinition(t *testing.T) {
	f := electiontest.New(electiontest.Options{Stations: 3})
	_, srv := openCenter(t, f, t.TempDir())
	resp, err := http.Get(srv.URL + "/v1/definition")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%d, %v", resp.StatusCode, err)
	}
	def, err := election.Parse(data)
	if err != nil {
		t.Fatalf("the definition served does not parse: %v", err)
	}
	want := f.Def.Digest()
	if def.Digest() != want || resp.Header.Get("X-Definition-Digest") != fmt.Sprintf("%x", want) || sha256.Sum256(def.Marshal()) != want {
		t.Errorf("digest %x, header %q; want %x", def.Digest(), resp.Header.Get("X-Definition-Digest"), want)
	}
}
