package collect

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/web/phone/check"
)

// signUpload returns the headers a phone holding key sends with msg.
func signUpload(t testing.TB, election string, key *keys.Key, msg []byte, at time.Time, nonce string) http.Header {
	t.Helper()
	sig, err := key.Sign(check.UploadMessage(election, msg, at.Unix(), nonce))
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set(HeaderKey, key.Public)
	h.Set(HeaderTime, strconv.FormatInt(at.Unix(), 10))
	h.Set(HeaderNonce, nonce)
	h.Set(HeaderSignature, base64.StdEncoding.EncodeToString(sig))
	return h
}

// post sends an acta with the given headers and returns the status and
// the JSON answer.
func post(t *testing.T, url string, msg []byte, h http.Header) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/actas", bytes.NewReader(msg))
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	return resp.StatusCode, m
}

// A party's collector takes an upload only signed by a key it enrolled,
// over those very bytes, now, and once: an attacker who copies an upload
// off the network, steals an acta, or holds a key of another party or of
// no one, adds nothing to the collection, and is told why.
func TestUploadAuthenticated(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	dir := t.TempDir()
	c, err := Open(dir, f.Def)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.OnlyParty("pa"); err != nil {
		t.Fatal(err)
	}
	url := serve(t, c, f, "")
	pa := f.Witness["pa"]
	msg := signedFinal(t, f, "100.1", 10, "pa")
	now := time.Now()

	attacks := []struct {
		name   string
		msg    []byte
		h      http.Header
		status int
		want   string
	}{
		{"no signature", msg, nil, 401, "only from the witness keys its party enrolled"},
		{"a key of another party", msg, signUpload(t, f.Def.ID, f.Witness["pb"], msg, now, "nonce-of-pb-0000001"), 403, "is not among the witness keys of party pa"},
		{"a key enrolled by no one", msg, signUpload(t, f.Def.ID, electiontest.Key("stolen", "test/witness/pa"), msg, now, "nonce-of-nobody-001"), 403, "did not enrol"},
		{"a signature over another acta", msg, signUpload(t, f.Def.ID, pa, signedFinal(t, f, "100.1", 11, "pa"), now, "nonce-other-acta-01"), 401, "does not verify over this acta"},
		{"a signature for another election", msg, signUpload(t, "other", pa, msg, now, "nonce-other-elect-1"), 401, "does not verify"},
		{"signed an hour ago", msg, signUpload(t, f.Def.ID, pa, msg, now.Add(-time.Hour), "nonce-an-hour-ago-1"), 401, "check the phone's clock"},
		{"a short nonce", msg, signUpload(t, f.Def.ID, pa, msg, now, "short"), 401, "is not 16 to 64 characters"},
	}
	for _, a := range attacks {
		st, m := post(t, url, a.msg, a.h)
		if st != a.status || !strings.Contains(fmt.Sprint(m["error"]), a.want) {
			t.Errorf("%s: %d %q, want %d and %q", a.name, st, m["error"], a.status, a.want)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.acta")); len(files) != 0 {
		t.Fatalf("uploads refused left %d files", len(files))
	}

	h := signUpload(t, f.Def.ID, pa, msg, now, "nonce-first-upload1")
	if st, m := post(t, url, msg, h); st != 201 || m["kept"] != "new" {
		t.Fatalf("a signed upload: %d %v", st, m)
	}
	// The same upload again, as one who copied it off the network would
	// send it (of another acta, so that it is not merely held already).
	if st, m := post(t, url, msg, h); st != 401 || !strings.Contains(fmt.Sprint(m["error"]), "upload replayed: nonce nonce-first-upload1 was used before") {
		t.Errorf("a replayed upload: %d %v", st, m)
	}
	more := signedFinal(t, f, "100.2", 3, "pa")
	h2 := signUpload(t, f.Def.ID, pa, more, now, "nonce-second-upload")
	if st, _ := post(t, url, more, h2); st != 201 {
		t.Errorf("a second upload with a fresh nonce: %d", st)
	}
	if st, m := post(t, url, more, h2); st != 401 || !strings.Contains(fmt.Sprint(m["error"]), "replayed") {
		t.Errorf("the second upload replayed: %d %v", st, m)
	}
	bad := http.Header{}
	bad.Set(HeaderKey, pa.Public)
	bad.Set(HeaderTime, "1e9")
	if st, m := post(t, url, more, bad); st != 401 || !strings.Contains(fmt.Sprint(m["error"]), "not a time in Unix seconds") {
		t.Errorf("a malformed time: %d %v", st, m)
	}
}

// Authenticate's nonces are remembered as long as an upload signed with
// them can be taken, and forgotten after.
func TestNoncesExpire(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	c, _ := Open(t.TempDir(), f.Def)
	if err := c.Enrol([]string{f.Witness["pc"].Public}, "the test's keys"); err != nil {
		t.Fatal(err)
	}
	msg := signedFinal(t, f, "100.1", 10)
	at := time.Unix(1_800_000_000, 0)
	u, err := UploadOf(signUpload(t, f.Def.ID, f.Witness["pc"], msg, at, "0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Authenticate(msg, u, at); err != nil {
		t.Fatal(err)
	}
	if err := c.Authenticate(msg, u, at.Add(Skew)); !errors.Is(err, ErrReplayed) {
		t.Errorf("the nonce again within the skew: %v", err)
	}
	if err := c.Authenticate(msg, u, at.Add(Skew+time.Second)); !errors.Is(err, ErrReplayed) || !strings.Contains(err.Error(), "clock") {
		t.Errorf("the upload after the skew: %v, want refused for its time", err)
	}
	later := at.Add(3 * Skew)
	u2, _ := UploadOf(signUpload(t, f.Def.ID, f.Witness["pc"], msg, later, "fedcba9876543210"))
	if err := c.Authenticate(msg, u2, later); err != nil {
		t.Fatal(err)
	}
	if _, kept := c.enrolled.nonces[u.Nonce]; kept || len(c.enrolled.nonces) != 1 {
		t.Errorf("nonces kept after the first expired: %v", c.enrolled.nonces)
	}
}

// A file of enrolled keys: one a line, # comments; anything else refused
// with its line.
func TestReadKeys(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	good := "# the party's witnesses\n" + f.Witness["pa"].Public + "\n\n" + f.Witness["pb"].Public + "\n"
	if ks, err := ReadKeys("k.txt", []byte(good)); err != nil || len(ks) != 2 {
		t.Errorf("ReadKeys: %q, %v", ks, err)
	}
	for in, want := range map[string]string{
		"":                                  "k.txt: no key in it",
		"# only\n":                          "k.txt: no key in it",
		"hello\n":                           "k.txt:1: malformed verifier key",
		good + " " + f.Witness["pa"].Public: "k.txt:5: ",
		f.Witness["pa"].Private + "\n":      "k.txt:1: ",
	} {
		if _, err := ReadKeys("k.txt", []byte(in)); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ReadKeys(%q): %v, want %q", in, err, want)
		}
	}
}
