package kiosk

import (
	"crypto/subtle"
	"errors"
	"net/http"

	"github.com/triplicate-vote/triplicate/internal/machine"
	"github.com/triplicate-vote/triplicate/internal/printing"
)

// The voucher: the kiosk prints it on the terminal's printer
// (Config.Print) once the vote is cast, and shows it. The voter's
// browser never has it as a file: no download, no printing from the page,
// which would leave the vouchers in the order of voting in the browser's
// downloads and history or in a print spooler's files.
//
// The vote is cast before the voucher prints, so a printer that fails never
// loses or doubles a vote. The voter is told, and may print it again with a
// one-time token, until the poll worker enables the next ballot: only then
// does the kiosk forget the voucher.

// voucherPage shows a cast vote's voucher: it exists only in the response
// to the cast, or to printing it again.
type voucherPage struct {
	Voucher   *machine.Voucher
	Printed   bool
	NoPrinter bool   // the terminal has no printer
	Reprint   string // a one-time token to print the voucher again; "" if not offered
}

// lastVoucher is the last voter's voucher that did not print, while it may
// be printed again.
type lastVoucher struct {
	voucher *machine.Voucher
	token   string
	enables uint64 // the kiosk's enables when it was cast
}

var (
	errNoPrinter = errors.New("no printer")
	errNoReprint = errors.New("no voucher to print again")
)

// printVoucher prints a voucher on the terminal's printer, in the voter's
// language.
func (k *kiosk) printVoucher(v *machine.Voucher, lang printing.Lang) error {
	if k.cfg.Print == nil {
		return errNoPrinter
	}
	pdf, err := printing.VoucherPDF(v, lang)
	if err == nil {
		err = k.cfg.Print(pdf)
	}
	if err != nil {
		// Never a serial or a choice: the log would order the votes.
		k.log.Warn("kiosk: voucher not printed", "err", err)
	}
	return err
}

// renderVoucher shows a voucher and whether it printed (perr). One that
// did not print may be printed again, unless the poll worker has since
// enabled another ballot (enables counts the enablings before the cast).
func (k *kiosk) renderVoucher(w http.ResponseWriter, r *http.Request, v *machine.Voucher, enables uint64, perr error) {
	p := &voucherPage{Voucher: v, Printed: perr == nil, NoPrinter: errors.Is(perr, errNoPrinter)}
	if perr != nil && !p.NoPrinter {
		k.mu.Lock()
		if k.enables == enables {
			k.last = &lastVoucher{voucher: v, token: randomToken(), enables: enables}
			p.Reprint = k.last.token
		}
		k.mu.Unlock()
	}
	k.pages.Render(w, r, http.StatusOK, "voucher.html", "Your vote is cast", p)
}

// serveReprint prints the last voucher again, once for its token.
func (k *kiosk) serveReprint(w http.ResponseWriter, r *http.Request) {
	if err := form(r); err != nil {
		k.serveError(w, r, err)
		return
	}
	token := r.PostForm.Get("reprint")
	k.mu.Lock()
	last := k.last
	if last == nil || token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(last.token)) != 1 {
		k.mu.Unlock()
		k.serveError(w, r, errNoReprint)
		return
	}
	k.last = nil
	k.mu.Unlock()
	k.renderVoucher(w, r, last.voucher, last.enables, k.printVoucher(last.voucher, printing.Lang(kioskLang(r))))
}
