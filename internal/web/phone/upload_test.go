package phone_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
	"github.com/triplicate-vote/triplicate/internal/qr"
)

// A party's server takes uploads only from the keys it enrolled: a phone
// with no key, then with another party's, is told so in the witness's
// language and keeps the acta waiting; with the party's key it is sent.
func TestUploadNeedsEnrolledKey(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	url, kept := partyServer(t, f, "pa", "")
	tab := openApp(t, url, "es-VE,es")

	sa := printtest.SignedActa(t, f, 10, 1) // cosigned by pa
	codes, err := qr.CodeImages(sa.Msg)
	if err != nil {
		t.Fatal(err)
	}
	var shots []string
	for i, img := range codes {
		p := filepath.Join(t.TempDir(), fmt.Sprintf("code%d.png", i))
		printtest.Save(t, p, img, 0)
		shots = append(shots, p)
	}
	state := func(want, text string) {
		t.Helper()
		if err := chromedp.Run(tab, chromedp.Poll(fmt.Sprintf(`(() => { const li = document.querySelector("li[data-state]"); return li && li.dataset.state === %q && li.textContent.includes(%q); })()`, want, text), nil)); err != nil {
			var s string
			chromedp.Run(tab, chromedp.Text("#kept", &s, chromedp.ByID))
			t.Fatalf("want state %s saying %q: %v\n%s", want, text, err, s)
		}
	}
	if err := chromedp.Run(tab, chromedp.SetUploadFiles("#photo", shots, chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	state("unauthorized", "el partido aún no la acepta: solo acepta actas de las claves de sus testigos")
	if err := chromedp.Run(tab, chromedp.Poll(`document.getElementById("send-status").textContent === "1 aún sin aceptar por el partido: vea abajo."`, nil)); err != nil {
		t.Errorf("the status does not say the acta was not taken: %v", err)
	}
	look(t, tab, "upload-01-no-key-es")

	importKey(t, tab, f.Witness["pb"])
	if err := chromedp.Run(tab, chromedp.Evaluate(`sendAll()`, nil)); err != nil {
		t.Fatal(err)
	}
	state("unauthorized", "el partido aún no la acepta: su clave no está entre las que registró")
	if err := chromedp.Run(tab, chromedp.Click("#lang", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	state("unauthorized", "not taken by the party yet: your key is not among those it enrolled")
	look(t, tab, "upload-02-other-key-en")
	importKey(t, tab, f.Witness["pa"])
	if err := chromedp.Run(tab, chromedp.Evaluate(`sendAll()`, nil)); err != nil {
		t.Fatal(err)
	}
	state("sent", "sent to the party")
	if b, err := os.ReadFile(filepath.Join(kept, "100.1.final.acta")); err != nil || !strings.HasPrefix(string(b), "triplicate acta") {
		t.Errorf("the party does not hold the acta sent with its key: %v", err)
	}
}
