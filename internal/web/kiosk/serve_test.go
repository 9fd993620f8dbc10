package kiosk

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/machine"
)

// The kiosk's server serves its pages and their assets: the poll worker
// opens the polls with the PIN, and the page's stylesheet loads.
func TestKioskServer(t *testing.T) {
	fx := electiontest.New(electiontest.Options{})
	dir := filepath.Join(t.TempDir(), "100.1")
	if err := machine.Setup(dir, fx.Def, "100.1", fx.Machines["100.1"].Private); err != nil {
		t.Fatal(err)
	}
	term, err := machine.Load(dir, machine.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	srv := kioskServer(term, Config{PIN: "482916", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ts := httptest.NewServer(srv.Handler)
	defer ts.Close()

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.PostForm(ts.URL+"/worker/login", url.Values{"pin": {"482916"}})
	if err == nil {
		resp.Body.Close()
		resp, err = client.PostForm(ts.URL+"/worker/open", url.Values{})
	}
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || term.Status().Phase != machine.PhaseOpen {
		t.Fatalf("open: %d, polls %s", resp.StatusCode, term.Status().Phase)
	}
	css := regexp.MustCompile(`href="(/assets/kiosk\.css\?v=[0-9a-f]+)"`).FindSubmatch(body)
	if css == nil {
		t.Fatalf("the page links no kiosk.css:\n%s", body)
	}
	resp, err = http.Get(ts.URL + string(css[1]))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
		t.Errorf("kiosk.css: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// The print command gets the voucher's PDF on its standard input; one that
// fails says how, in the first line of what it wrote to standard error.
func TestPrintCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "printed.pdf")
	if err := PrintCommand("cat > '" + out + "'")([]byte("%PDF-1.3 a voucher")); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(out); err != nil || string(b) != "%PDF-1.3 a voucher" {
		t.Errorf("printed %q, %v", b, err)
	}
	err := PrintCommand("cat >/dev/null; echo 'lp: printer voucher is offline' >&2; echo more >&2; exit 3")([]byte("%PDF-1.3"))
	if err == nil || err.Error() != "print command: exit status 3: lp: printer voucher is offline" {
		t.Errorf("a failing command: %v", err)
	}
}

// The kiosk's print command prints the zero tape when the poll worker opens
// the polls, as the worker's page and the README say.
func TestKioskPrintsZeroTape(t *testing.T) {
	fx := electiontest.New(electiontest.Options{})
	dir := filepath.Join(t.TempDir(), "100.1")
	if err := machine.Setup(dir, fx.Def, "100.1", fx.Machines["100.1"].Private); err != nil {
		t.Fatal(err)
	}
	term, err := machine.Load(dir, machine.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	out := filepath.Join(t.TempDir(), "printed.pdf")
	srv := kioskServer(term, Config{PIN: "482916", Print: PrintCommand("cat > '" + out + "'"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ts := httptest.NewServer(srv.Handler)
	defer ts.Close()

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.PostForm(ts.URL+"/worker/login", url.Values{"pin": {"482916"}})
	if err == nil {
		resp.Body.Close()
		resp, err = client.PostForm(ts.URL+"/worker/open", url.Values{})
	}
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || term.Status().Phase != machine.PhaseOpen {
		t.Fatalf("open: %d, polls %s", resp.StatusCode, term.Status().Phase)
	}
	if b, err := os.ReadFile(out); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Errorf("the print command got %.20q, %v; want the zero tape's PDF", b, err)
	}
}
