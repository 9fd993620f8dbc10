package phone_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/collect"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/printing"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
	"github.com/triplicate-vote/triplicate/internal/qr"
	"github.com/triplicate-vote/triplicate/internal/web/page/pagetest"
	"github.com/triplicate-vote/triplicate/internal/web/phone"
	"github.com/triplicate-vote/triplicate/internal/web/phone/check"
)

// server runs a collection server for the fixture's election, as `collect
// serve` does, and returns its URL and collector.
func server(t *testing.T, f *electiontest.Fixture) (string, *collect.Collector, string) {
	return serverOf(t, f, "")
}

// serverOf is server relaying the answers of a tallying center.
func serverOf(t *testing.T, f *electiontest.Fixture, center string) (string, *collect.Collector, string) {
	t.Helper()
	dir := t.TempDir()
	c, err := collect.Open(dir, f.Def)
	if err != nil {
		t.Fatal(err)
	}
	app, err := phone.New(f.Text)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c.Handler(app, center, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	return srv.URL, c, dir
}

// openApp opens the app in a phone-sized tab and waits until it has its
// WebAssembly and its definition.
func openApp(t *testing.T, url, lang string) context.Context {
	t.Helper()
	ctx := pagetest.NewBrowser(t, lang)
	err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(url+"/"),
		chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("opening the app: %v", err)
	}
	return ctx
}

// Every acta vector gives the same result in the browser, through the
// committed WebAssembly, as check.Open gives in Go: the same class, the same
// message, the same verdict in both languages. (And every message of the
// app is in both languages.)
func TestVectorsInBrowser(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	url, _, _ := server(t, f)
	ctx := openApp(t, url, "en")
	var missing []string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`[...Object.keys(words.en).filter((k) => !(k in words.es)), ...Object.keys(words.es).filter((k) => !(k in words.en))]`, &missing)); err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Errorf("messages of the app in one language only: %q", missing)
	}
	files, _ := filepath.Glob("../../../doc/spec/vectors/*.txt")
	if len(files) < 40 {
		t.Fatalf("found %d acta vectors", len(files))
	}
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		parts := map[string][]byte{}
		for _, af := range ar.Files {
			parts[af.Name] = af.Data
		}
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		def, err := election.Parse(parts["election"])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		_, want := check.Open(def, parts["acta"])
		var got string
		js := fmt.Sprintf(`(() => { const b = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0)); return triplicate.open(b(%q), b(%q)); })()`,
			base64.StdEncoding.EncodeToString(parts["election"]), base64.StdEncoding.EncodeToString(parts["acta"]))
		if err := chromedp.Run(ctx, chromedp.Evaluate(js, &got)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var in check.Result
		if err := json.Unmarshal([]byte(got), &in); err != nil {
			t.Fatalf("%s: the browser's answer %q: %v", name, got, err)
		}
		if !reflect.DeepEqual(in, want) {
			t.Errorf("%s: in the browser %+v\nin Go %+v", name, in, want)
		}
		wantFile := strings.TrimSpace(string(parts["want"]))
		if (wantFile == "ok") != in.OK || !in.OK && !strings.HasPrefix(wantFile, "error "+in.Kind+":") {
			t.Errorf("%s: the browser says %s (%s), the vector wants %s", name, in.Kind, in.Error, wantFile)
		}
	}
}

// A witness reads a printed sheet's PNG from a file, in Spanish, on a
// 390-pixel phone: the app shows the verdict, keeps the acta and sends it
// to the collection server, which keeps it. Then a second acta whose codes
// come one photo at a time shows "1 leído, faltan 2" (any 3 of its 5 codes
// give it back) before its verdict (5 codes, 4 signatures: the time from the last photo given to the
// verdict on screen is logged), and the page changed to English says
// everything in English.
func TestAppReadsSheet(t *testing.T) {
	printtest.NeedPdftoppm(t)
	f := electiontest.New(electiontest.Options{Contests: 4})
	url, c, kept := server(t, f)
	sa := printtest.SignedActa(t, f, 10, 2)
	pdf, err := printing.PDF(sa, f.Def, printing.English)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var pages []string
	for i, img := range printtest.Render(t, pdf, 150, 1, printtest.PageCount(pdf)) {
		p := filepath.Join(dir, fmt.Sprintf("sheet-page%d.png", i+1))
		printtest.Save(t, p, img, 0)
		pages = append(pages, p)
	}

	ctx := openApp(t, url, "es-VE,es")
	look(t, ctx, "01-open-es")
	text := func(sel string) string {
		t.Helper()
		var s string
		if err := chromedp.Run(ctx, chromedp.Text(sel, &s, chromedp.ByQuery)); err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return s
	}
	if got := text("#pin"); !strings.Contains(got, app(t, f).Pin().SHA256) {
		t.Errorf("the pin shown is %q, want the definition's SHA-256", got)
	}
	start := time.Now()
	err = chromedp.Run(ctx,
		chromedp.SetUploadFiles("#photo", pages, chromedp.ByID),
		chromedp.WaitVisible(`#result.ok`, chromedp.ByQuery),
		chromedp.WaitVisible(`li[data-state="sent"]`, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("reading the sheet: %v (progress: %q)", err, text("#progress"))
	}
	var sheetMs string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.body.dataset.verdictMs`, &sheetMs)); err != nil {
		t.Fatal(err)
	}
	t.Logf("from the photos chosen to the acta sent: %v; from the page that completes it given (150 dpi, decoding included) to the verdict on screen: %s ms", time.Since(start).Round(time.Millisecond), sheetMs)
	look(t, ctx, "02-verdict-es")
	if got, want := text("#verdict"), "firmada por la máquina de la mesa 100.1; firmada también por pa y pb; las cifras cuadran"; got != want {
		t.Errorf("verdict %q, want %q", got, want)
	}
	if held, err := c.Held(); err != nil || !slices.Equal(held, []string{"100.1 final"}) {
		t.Errorf("the party holds %q, %v; want 100.1 final", held, err)
	}

	// Five codes of which three give the acta back, photographed one by
	// one, in another order.
	sa3 := printtest.SignedActa(t, f, 10, 3)
	msg := append([]byte(nil), sa3.Msg...)
	codes, err := qr.CodeImages(msg)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 5 || len(sa3.Signatures) != 4 {
		t.Fatalf("the acta takes %d codes and %d signatures; the test wants 5 and 4", len(codes), len(sa3.Signatures))
	}
	var shots []string
	for i, img := range codes {
		p := filepath.Join(dir, fmt.Sprintf("code%d.png", i+1))
		printtest.Save(t, p, img, 0)
		shots = append(shots, p)
	}
	err = chromedp.Run(ctx,
		// The sheet's last pages may still be read after its verdict: the
		// app clears the input once it has read every photo given. Their
		// "no code" would otherwise land after the reset, over the
		// progress this test reads (a race seen on a loaded machine).
		chromedp.Poll(`document.getElementById("photo").value === ""`, nil),
		chromedp.Click("#reset", chromedp.ByID),
		chromedp.SetUploadFiles("#photo", shots[len(shots)-1:], chromedp.ByID),
		chromedp.WaitVisible(`#progress:not(:empty)`, chromedp.ByQuery),
		chromedp.Poll(`document.getElementById("progress").textContent.includes("leído")`, nil),
	)
	if err != nil {
		t.Fatalf("the last code alone: %v (progress %q)", err, text("#progress"))
	}
	if got, want := text("#progress"), "1 leído, faltan 2"; !strings.HasPrefix(got, want) {
		t.Errorf("progress %q, want %q", got, want)
	}
	look(t, ctx, "03-progress-es")
	var verdictMs string
	err = chromedp.Run(ctx,
		chromedp.SetUploadFiles("#photo", shots[:len(shots)-1], chromedp.ByID),
		chromedp.WaitVisible(`#result.ok`, chromedp.ByQuery),
		chromedp.Poll(`document.body.dataset.verdictMs !== undefined`, nil),
		chromedp.Evaluate(`document.body.dataset.verdictMs`, &verdictMs),
		chromedp.Poll(`document.querySelectorAll('li[data-state="sent"]').length === 2`, nil),
		chromedp.Click("#lang", chromedp.ByID),
		chromedp.WaitVisible(`body[data-lang="en"]`, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("the other codes: %v (progress %q)", err, text("#progress"))
	}
	t.Logf("5 codes (3 needed), 4 signatures: from the last code's photo given to the verdict on screen: %s ms", verdictMs)
	look(t, ctx, "04-kept-en")
	if got, want := text("#verdict"), "signed by the machine of station 100.1; cosigned by pa, pb and pc; figures add up"; got != want {
		t.Errorf("verdict %q, want %q", got, want)
	}
	for _, sel := range []string{"#progress", "#kept-list", "#keep", "#send-status", "#def-status"} {
		if got := text(sel); strings.Contains(got, "leído") || strings.Contains(got, "Mesa") || strings.Contains(got, "Guardada") || strings.Contains(got, "enviad") || strings.Contains(got, "Elección") {
			t.Errorf("%s is still in Spanish after the change to English: %q", sel, got)
		}
	}
	files, _ := filepath.Glob(filepath.Join(kept, "*.acta"))
	if len(files) != 2 {
		t.Errorf("the party keeps %d files, want 2 (the first count and its re-signed copy)", len(files))
	}
}

// app returns the phone app of the fixture, for its pin.
func app(t *testing.T, f *electiontest.Fixture) *phone.App {
	a, err := phone.New(f.Text)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// sheetPNGs prints a signed acta and renders its pages as PNG files.
func sheetPNGs(t *testing.T, f *electiontest.Fixture, sa *acta.Signed, dir, name string) []string {
	t.Helper()
	pdf, err := printing.PDF(sa, f.Def, printing.English)
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	for i, img := range printtest.Render(t, pdf, 150, 1, printtest.PageCount(pdf)) {
		p := filepath.Join(dir, fmt.Sprintf("%s-page%d.png", name, i+1))
		printtest.Save(t, p, img, 0)
		pages = append(pages, p)
	}
	return pages
}

// After the first load the app works with no network: the server goes
// away, the app reloads from its service worker, checks a sheet against
// the definition it kept, keeps the acta and waits; when the server is
// back the acta is sent. A photo with no code, and a sheet of another
// election, are told apart in words and nothing of them reaches the party.
func TestAppOffline(t *testing.T) {
	printtest.NeedPdftoppm(t)
	f := electiontest.New(electiontest.Options{})
	kept := t.TempDir()
	start := func(ln net.Listener) (*httptest.Server, *collect.Collector) {
		c, err := collect.Open(kept, f.Def)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewUnstartedServer(c.Handler(app(t, f), "", slog.New(slog.NewTextHandler(io.Discard, nil))))
		if ln != nil {
			srv.Listener.Close()
			srv.Listener = ln
		}
		srv.Start()
		return srv, c
	}
	srv, _ := start(nil)
	addr := srv.Listener.Addr().String()
	ctx := openApp(t, srv.URL, "en")
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			var progress string
			chromedp.Run(ctx, chromedp.Text("#progress", &progress, chromedp.ByID))
			t.Fatalf("%s: %v (progress %q)", what, err, progress)
		}
	}
	text := func(sel string) string {
		t.Helper()
		var s string
		run("reading "+sel, chromedp.Text(sel, &s, chromedp.ByQuery))
		return s
	}
	run("the service worker takes over", chromedp.Poll(`navigator.serviceWorker.controller !== null`, nil, chromedp.WithPollingTimeout(30*time.Second)))
	srv.Close()

	dir := t.TempDir()
	blank := filepath.Join(dir, "blank.png")
	printtest.Save(t, blank, image.NewGray(image.Rect(0, 0, 400, 300)), 0)
	run("reloading with no server", chromedp.Reload(), chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery))
	if got := text("#def-status"); !strings.Contains(got, "Offline: using the definition kept on this phone") {
		t.Errorf("offline, the definition's status is %q", got)
	}
	run("a photo with no code", chromedp.SetUploadFiles("#photo", []string{blank}, chromedp.ByID),
		chromedp.Poll(`document.getElementById("progress").textContent.startsWith("No QR code")`, nil))
	if got := text("#progress"); !strings.Contains(got, "No QR code found in blank.png") {
		t.Errorf("a photo with no code: %q", got)
	}
	sheet := sheetPNGs(t, f, printtest.SignedActa(t, f, 8, 1), dir, "honest")
	run("a sheet, offline", chromedp.SetUploadFiles("#photo", sheet, chromedp.ByID),
		chromedp.WaitVisible(`#result.ok`, chromedp.ByQuery), chromedp.WaitVisible(`li[data-state="waiting"]`, chromedp.ByQuery),
		chromedp.Poll(`document.getElementById("send-status").textContent.startsWith("Not sent yet")`, nil))
	look(t, ctx, "01-offline-kept-en")

	other := electiontest.New(electiontest.Options{Seed: "another election"})
	foreign := sheetPNGs(t, other, printtest.SignedActa(t, other, 8, 0), dir, "foreign")
	run("a sheet of another election", chromedp.Click("#reset", chromedp.ByID), chromedp.SetUploadFiles("#photo", foreign, chromedp.ByID),
		chromedp.WaitVisible(`#result.bad`, chromedp.ByQuery), chromedp.WaitVisible(`li[data-state="invalid"]`, chromedp.ByQuery))
	look(t, ctx, "02-foreign-en")
	if got := text("#verdict"); !strings.HasPrefix(got, "NOT VALID: ") {
		t.Errorf("a sheet of another election: %q", got)
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("the server's address %s could not be taken again: %v", addr, err)
	}
	srv, c := start(ln)
	defer srv.Close()
	run("back online", chromedp.Reload(), chromedp.WaitVisible(`li[data-state="sent"]`, chromedp.ByQuery))
	look(t, ctx, "03-sent-en")
	if held, err := c.Held(); err != nil || !slices.Equal(held, []string{"100.1 final"}) {
		t.Errorf("the party holds %q, %v; want only the honest 100.1 final", held, err)
	}
	if got := text(`li[data-state="invalid"]`); !strings.Contains(got, "NOT valid") {
		t.Errorf("the acta of another election is listed as %q", got)
	}
}

// evaluate runs a script that returns a promise and waits for its value.
func evaluate(js string, res any) chromedp.Action {
	return chromedp.Evaluate(js, res, func(p *cdpruntime.EvaluateParams) *cdpruntime.EvaluateParams { return p.WithAwaitPromise(true) })
}

// The witness makes a key on the phone (WebCrypto Ed25519, not
// extractable) and sees it as text and QR code, not yet enrolled. With a
// key the election enrols (the fixture's, imported into WebCrypto), the
// witness cosigns an acta read from its codes: the app keeps and sends the
// cosigned acta, and its bytes are those of acta.Cosign with the key file.
func TestCosignInBrowser(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	url, _, kept := server(t, f)
	ctx := openApp(t, url, "en")
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		var s string
		run("reading "+sel, chromedp.Text(sel, &s, chromedp.ByQuery))
		return s
	}
	run("making a key", chromedp.SetValue("#key-name", "test/witness/phone-1", chromedp.ByID),
		chromedp.Click("#key-make", chromedp.ByID), chromedp.WaitVisible("#key-shown", chromedp.ByID))
	look(t, ctx, "01-key-made-en")
	if got := text("#key-text"); !strings.HasPrefix(got, "test/witness/phone-1+") {
		t.Errorf("the key shown is %q", got)
	}
	if got := text("#key-who"); !strings.Contains(got, "Not enrolled") {
		t.Errorf("a new key says %q, want not enrolled", got)
	}
	var extractable bool
	run("the key's privacy", evaluate(`getMeta("witnessKey").then((k) => k.privateKey.extractable)`, &extractable))
	if extractable {
		t.Error("the private key can be exported")
	}

	// The fixture's key of party pb, imported as a phone would hold it.
	w := f.Witness["pb"]
	importKey(t, ctx, w)
	if got := text("#key-who"); !strings.Contains(got, "Enrolled in this election as pb") {
		t.Errorf("the enrolled key says %q", got)
	}

	sa := printtest.SignedActa(t, f, 10, 0)
	codes, err := qr.CodeImages(sa.Msg)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var shots []string
	for i, img := range codes {
		p := filepath.Join(dir, fmt.Sprintf("code%d.png", i+1))
		printtest.Save(t, p, img, 0)
		shots = append(shots, p)
	}
	run("reading the machine's acta", chromedp.SetUploadFiles("#photo", shots, chromedp.ByID),
		chromedp.WaitVisible("#result.ok", chromedp.ByQuery), chromedp.WaitVisible("#cosign", chromedp.ByID))
	if got := text("#verdict"); !strings.Contains(got, "no party witness has cosigned") {
		t.Errorf("before cosigning: %q", got)
	}
	run("cosigning", chromedp.Click("#cosign", chromedp.ByID),
		chromedp.Poll(`document.getElementById("verdict").textContent.includes("cosigned by pb")`, nil),
		chromedp.Poll(`document.querySelectorAll('li[data-state="sent"]').length === 2`, nil))
	look(t, ctx, "02-cosigned-en")
	want, err := acta.Cosign(sa.Msg, f.Def, w)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(kept, "*.acta"))
	found := false
	for _, file := range files {
		if b, _ := os.ReadFile(file); bytes.Equal(b, want) {
			found = true
		}
	}
	if !found {
		t.Errorf("the party holds %d files, none of them the bytes acta.Cosign makes with the key file", len(files))
	}
	run("cosigning again", chromedp.Click("#cosign", chromedp.ByID),
		chromedp.Poll(`document.getElementById("cosign-status").textContent.includes("already signed")`, nil))
}

// importKey puts a key file's key on the phone as if made there (not
// extractable), and has the app load it.
func importKey(t *testing.T, ctx context.Context, w *keys.Key) {
	t.Helper()
	priv := ed25519.NewKeyFromSeed(seedOf(t, w))
	pkcs8, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	var ok bool
	if err := chromedp.Run(ctx, evaluate(fmt.Sprintf(`(async () => {
		const b = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
		const privateKey = await crypto.subtle.importKey("pkcs8", b(%q), { name: "Ed25519" }, false, ["sign"]);
		await putMeta("witnessKey", { name: %q, vkey: %q, publicKey: b(%q), privateKey });
		await loadKey();
		return true;
	})()`, base64.StdEncoding.EncodeToString(pkcs8), w.Name(), w.Public, base64.StdEncoding.EncodeToString(priv.Public().(ed25519.PublicKey))), &ok)); err != nil {
		t.Fatalf("importing the key of %s: %v", w.Name(), err)
	}
}

// seedOf returns the Ed25519 seed of a key file's private key.
func seedOf(t *testing.T, k *keys.Key) []byte {
	t.Helper()
	f := strings.SplitN(k.Private, "+", 5) // PRIVATE+KEY+name+hash+keydata
	raw, err := base64.StdEncoding.DecodeString(f[4])
	if err != nil || len(raw) != 33 || raw[0] != 1 {
		t.Fatalf("private key of %s: not an Ed25519 key", k.Name())
	}
	return raw[1:]
}

// look checks the screen the tab shows as a witness would meet it: no
// violation of the WCAG 2.1 A and AA rules axe-core checks, nothing wider
// than the 390-pixel phone; and screenshots it.
func look(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, v := range pagetest.Axe(t, ctx) {
		t.Errorf("%s: axe-core: %s", name, v)
	}
	var width int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.documentElement.scrollWidth`, &width)); err != nil {
		t.Fatal(err)
	}
	if width > 390 {
		t.Errorf("%s is %d px wide on a 390-px phone", name, width)
	}
	pagetest.Screenshot(t, ctx, name)
}

// The definition is pinned: a server whose definition does not hash to
// the pin it announces is not believed, and the phone keeps the
// definition it had, saying why; a new definition that matches its new
// pin replaces the old one, and the phone says so.
func TestPinnedDefinition(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	g := electiontest.New(electiontest.Options{Stations: 3})
	var mu sync.Mutex // guards current and tampered, which the server reads
	var current http.Handler = app(t, f)
	var tampered []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h, bad := current, tampered
		mu.Unlock()
		if bad != nil && r.URL.Path == "/definition.txt" {
			w.Write(bad)
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	ctx := openApp(t, srv.URL, "en")
	text := func(sel string) string {
		t.Helper()
		var s string
		if err := chromedp.Run(ctx, chromedp.Text(sel, &s, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		return s
	}
	reload := func() {
		t.Helper()
		if err := chromedp.Run(ctx, chromedp.Reload(), chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
	}
	pinF, pinG := app(t, f).Pin().SHA256, app(t, g).Pin().SHA256

	mu.Lock()
	current, tampered = app(t, g), append(append([]byte(nil), g.Text...), "area 9 Elsewhere\n"...)
	mu.Unlock()
	reload()
	look(t, ctx, "01-pin-mismatch-en")
	if got := text("#def-status"); !strings.Contains(got, "does not match its pin") {
		t.Errorf("a definition that does not match its pin: %q", got)
	}
	if got := text("#pin"); !strings.Contains(got, pinF) {
		t.Errorf("the pin shown is %q, want the old one %s", got, pinF)
	}

	mu.Lock()
	tampered = nil
	mu.Unlock()
	reload()
	if got := text("#def-status"); !strings.Contains(got, "The election definition changed: pin "+pinF[:16]) {
		t.Errorf("a new definition with its pin: %q", got)
	}
	if got := text("#pin"); !strings.Contains(got, pinG) {
		t.Errorf("the pin shown is %q, want the new one %s", got, pinG)
	}
}

// Over HTTPS, as a phone really loads the app: chromium asks for brotli and
// every file comes brotli-encoded, check.wasm's 5.4 MB as 1.08; the browser
// decodes them, the WebAssembly instantiates and judges an acta vector as
// the same Go does natively; the service worker keeps the files, and with
// the server gone a reload runs the WebAssembly from its cache.
func TestAppOverHTTPS(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	c, err := collect.Open(t.TempDir(), f.Def)
	if err != nil {
		t.Fatal(err)
	}
	rec := pagetest.Record(c.Handler(app(t, f), "", slog.New(slog.NewTextHandler(io.Discard, nil))))
	srv, trust := pagetest.NewTLSServer(t, rec)
	ctx := pagetest.NewBrowser(t, "en", trust)
	files, _ := filepath.Glob("../../../doc/spec/vectors/*.txt")
	if len(files) == 0 {
		t.Fatal("no acta vectors")
	}
	ar, err := txtar.ParseFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, af := range ar.Files {
		parts[af.Name] = af.Data
	}
	def, err := election.Parse(parts["election"])
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(func() check.Result { _, r := check.Open(def, parts["acta"]); return r }())
	judge := fmt.Sprintf(`(() => { const b = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0)); return triplicate.open(b(%q), b(%q)); })()`,
		base64.StdEncoding.EncodeToString(parts["election"]), base64.StdEncoding.EncodeToString(parts["acta"]))
	judged := func(when string) {
		t.Helper()
		var got string
		if err := chromedp.Run(ctx, chromedp.Evaluate(judge, &got)); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		var in, out check.Result
		json.Unmarshal([]byte(got), &in)
		json.Unmarshal(want, &out)
		if !reflect.DeepEqual(in, out) {
			t.Errorf("%s: %s in the browser %+v, in Go %+v", when, filepath.Base(files[0]), in, out)
		}
	}
	var sw string
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery)); err != nil {
		t.Fatalf("opening the app: %v", err)
	}
	judged("online")
	if err := chromedp.Run(ctx, chromedp.Poll(`navigator.serviceWorker.controller !== null`, nil, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		chromedp.Run(ctx, chromedp.Evaluate(`document.body.dataset.serviceWorker || ""`, &sw))
		t.Fatalf("the service worker does not take over: %v %s", err, sw)
	}
	sent := map[string]string{}
	for _, x := range rec.Exchanges() {
		if x.Status == http.StatusOK {
			sent[x.Path] = x.Encoding
			if !strings.Contains(x.Accept, "br") {
				t.Errorf("%s: asked with Accept-Encoding %q", x.Path, x.Accept)
			}
		}
	}
	for _, p := range []string{"/", "/app.js", "/check.wasm", "/zxing_reader.wasm", "/wasm_exec.js", "/zxing-reader.iife.js", "/sw.js", "/definition.txt"} {
		if sent[p] != "br" {
			t.Errorf("%s: sent %q, want br (all sent: %v)", p, sent[p], sent)
		}
	}
	srv.Close()
	if err := chromedp.Run(ctx, chromedp.Reload(), chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery)); err != nil {
		t.Fatalf("reloading with no server: %v", err)
	}
	judged("offline, from the service worker's cache")
	look(t, ctx, "over-https-offline")
}
