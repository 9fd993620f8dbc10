package kiosk

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var reprintRE = regexp.MustCompile(`name="reprint" value="([^"]+)"`)

// The voucher is printed by the kiosk, never by the browser: its page
// offers no download and no printing, and the voucher's PDF goes to the
// terminal's printer.
func TestKioskVoucherPrinted(t *testing.T) {
	printer := &testPrinter{}
	tk := newTestKiosk(t, Config{Print: printer.print})
	tk.open(t)
	w := tk.do("POST", "/cast", vote(tk.ballot(t), "president", "CORA"))
	wantPage(t, "the voucher", w, 200, "Take your voucher from the printer", "Candidate CORA")
	for _, no := range []string{"data:", "download", "data-print", "print()", "reprint", ".pdf"} {
		if strings.Contains(w.Body.String(), no) {
			t.Errorf("the voucher's page has %q", no)
		}
	}
	if printer.printed() != 1 || !strings.HasPrefix(string(printer.pdfs[0]), "%PDF-") {
		t.Fatalf("%d vouchers printed", printer.printed())
	}
}

// A voucher that does not print: the vote is cast once, the voter is told,
// and may print it again, once for each offer, until the next ballot.
func TestKioskVoucherNotPrinted(t *testing.T) {
	printer := &testPrinter{fail: errors.New("paper jam")}
	tk := newTestKiosk(t, Config{Print: printer.print})
	tk.open(t)
	w := tk.do("POST", "/cast?lang=es", vote(tk.ballot(t), "president", "CORA"))
	wantPage(t, "not printed", w, 200, "Su voto fue emitido", `action="/reprint?lang=es"`, "Candidate CORA")
	first := reprintRE.FindStringSubmatch(w.Body.String())
	if first == nil {
		t.Fatalf("no reprint form:\n%s", w.Body)
	}
	// Printing again fails again: a new offer, and the old one is spent.
	w = tk.do("POST", "/reprint", url.Values{"reprint": {first[1]}})
	wantPage(t, "not printed again", w, 200, "could not be printed", "Candidate CORA")
	second := reprintRE.FindStringSubmatch(w.Body.String())
	if second == nil || second[1] == first[1] {
		t.Fatalf("reprint token %v after %q", second, first[1])
	}
	wantPage(t, "the spent offer", tk.do("POST", "/reprint", url.Values{"reprint": {first[1]}}), 409, "cannot be printed again")
	wantPage(t, "no token", tk.do("POST", "/reprint", url.Values{}), 409, "cannot be printed again")
	printer.fail = nil
	w = tk.do("POST", "/reprint", url.Values{"reprint": {second[1]}})
	wantPage(t, "printed at last", w, 200, "Take your voucher from the printer")
	if reprintRE.MatchString(w.Body.String()) {
		t.Error("a printed voucher is offered again")
	}
	wantPage(t, "printed, then again", tk.do("POST", "/reprint", url.Values{"reprint": {second[1]}}), 409, "cannot be printed again")
	if printer.printed() != 1 || tk.term.Status().Ballots != 1 {
		t.Errorf("%d printed, %d ballots; want 1 and 1", printer.printed(), tk.term.Status().Ballots)
	}

	// The next ballot ends the offer.
	printer.fail = errors.New("paper jam")
	w = tk.do("POST", "/cast", vote(tk.ballot(t), "president", "ALBA"))
	offer := reprintRE.FindStringSubmatch(w.Body.String())
	if offer == nil {
		t.Fatal("no reprint form")
	}
	tk.ballot(t)
	printer.fail = nil
	wantPage(t, "the last voter's voucher, once the next ballot is enabled", tk.do("POST", "/reprint", url.Values{"reprint": {offer[1]}}), 409, "cannot be printed again")
	if printer.printed() != 1 || tk.term.Status().Ballots != 2 {
		t.Errorf("%d printed, %d ballots; want 1 and 2", printer.printed(), tk.term.Status().Ballots)
	}
	if strings.Contains(tk.logs.String(), "CORA") || strings.Contains(tk.logs.String(), "ALBA") || !strings.Contains(tk.logs.String(), "paper jam") {
		t.Errorf("logs:\n%s", tk.logs)
	}
}

// Without a printer the voucher is only shown, and the voter and the poll
// worker are told.
func TestKioskNoPrinter(t *testing.T) {
	tk := newTestKiosk(t, Config{})
	tk.open(t)
	wantPage(t, "the worker's page", tk.worker("GET", "/worker", nil), 200, `id="no-printer"`)
	w := tk.do("POST", "/cast", vote(tk.ballot(t), "president", "CORA"))
	wantPage(t, "the voucher", w, 200, "no printer", "Candidate CORA")
	if reprintRE.MatchString(w.Body.String()) {
		t.Error("no printer, and printing again is offered")
	}
}

// Opening the polls prints the zero tape on the terminal's printer, as the
// worker's page says; a tape that fails to print leaves the polls open and
// the worker told.
func TestKioskZeroTapePrinted(t *testing.T) {
	printer := &testPrinter{}
	tk := newTestKiosk(t, Config{Print: printer.print})
	tk.open(t)
	if printer.printedTapes() != 1 || printer.printed() != 0 || !strings.HasPrefix(string(printer.tapes[0]), "%PDF-") {
		t.Fatalf("%d tapes and %d vouchers printed, want 1 and 0", printer.printedTapes(), printer.printed())
	}

	jammed := &testPrinter{fail: errors.New("paper jam")}
	tk = newTestKiosk(t, Config{Print: jammed.print})
	tk.login(t)
	w := tk.worker("POST", "/worker/open?lang=es", url.Values{})
	wantPage(t, "a tape that did not print", w, 200, `id="problem"`, "el reporte cero no se pudo imprimir", "Reporte cero")
	if tk.term.Status().Phase != "open" || !strings.Contains(tk.logs.String(), "paper jam") {
		t.Errorf("polls %s; logs:\n%s", tk.term.Status().Phase, tk.logs)
	}
}
