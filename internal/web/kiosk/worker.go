package kiosk

import (
	"errors"
	"net/http"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/machine"
	"github.com/triplicate-vote/triplicate/internal/printing"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// The poll worker's page: the terminal's phase and counts, its latest acta
// as printed with its PDF, and, once the worker has logged in with the PIN,
// what the phase allows — open the polls; enable a ballot for the next
// voter or cancel it, and close the polls; transmit the final acta.

type workerPage struct {
	Status     machine.Status
	Opened     string
	Closed     string
	Tape       string // the latest acta, as printed
	Center     string // where the final acta is transmitted; "" for nowhere
	NoPrinter  bool   // vouchers are not printed
	LoggedIn   bool
	Enabled    bool // a ballot is enabled and not yet cast
	Sent       *machine.Transmission
	SendFailed string        // why the transmission failed
	Problem    *page.Message // what the worker's last form could not do
}

const timeFormat = "2006-01-02 15:04:05 UTC"

func (k *kiosk) renderWorker(w http.ResponseWriter, r *http.Request, status int, p *workerPage) {
	if p == nil {
		p = &workerPage{}
	}
	p.Status = k.term.Status()
	p.Center = k.cfg.Center
	p.NoPrinter = k.cfg.Print == nil
	_, err := k.session(r)
	p.LoggedIn = err == nil
	k.mu.Lock()
	p.Enabled = k.enabled != ""
	k.mu.Unlock()
	if !p.Status.Opened.IsZero() {
		p.Opened = p.Status.Opened.UTC().Format(timeFormat)
	}
	if !p.Status.Closed.IsZero() {
		p.Closed = p.Status.Closed.UTC().Format(timeFormat)
	}
	kind := acta.Zero
	if p.Status.Phase == machine.PhaseClosed {
		kind = acta.Final
	}
	if p.Status.Phase != machine.PhaseNew {
		text, err := k.tape(kind, printing.Lang(kioskLang(r)))
		if err != nil {
			k.serveError(w, r, err)
			return
		}
		p.Tape = text
	}
	k.pages.Render(w, r, status, "worker.html", "Poll worker", p)
}

// tape returns an acta of the terminal as its paper tape prints it, in a
// language.
func (k *kiosk) tape(kind acta.Kind, lang printing.Lang) (string, error) {
	msg, err := k.term.Acta(kind)
	if err != nil {
		return "", err
	}
	sa, err := acta.Open(msg, k.def)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := printing.WriteText(&b, sa, k.def, lang); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (k *kiosk) serveWorker(w http.ResponseWriter, r *http.Request) {
	k.renderWorker(w, r, http.StatusOK, nil)
}

func (k *kiosk) serveOpen(w http.ResponseWriter, r *http.Request) {
	err := k.asWorker(r)
	if err == nil {
		_, err = k.term.Open()
	}
	if err != nil {
		k.serveError(w, r, err)
		return
	}
	k.log.Info("kiosk: polls opened", "station", k.def.Stations[0].ID)
	var p *workerPage
	if err := k.printTape(acta.Zero, printing.Lang(kioskLang(r))); err != nil && !errors.Is(err, errNoPrinter) {
		p = &workerPage{Problem: page.NewMessage("The polls are open, but the zero tape could not be printed: print it from its PDF below.")}
	}
	k.renderWorker(w, r, http.StatusOK, p)
}

// serveEnable enables a ballot for the next voter: the voter's screen shows
// it until it is cast or the worker cancels it. One ballot at a time.
func (k *kiosk) serveEnable(w http.ResponseWriter, r *http.Request) {
	err := k.asWorker(r)
	if err == nil {
		st := k.term.Status()
		err = phaseError(st, machine.PhaseOpen)
		if err == nil && st.Ballots >= st.Registered {
			err = machine.ErrFull
		}
	}
	if err == nil {
		k.mu.Lock()
		if k.enabled != "" {
			err = errEnabled
		} else {
			k.enabled = k.tokens.issue()
			k.enables++
			k.last = nil // the last voter's voucher prints no more
		}
		k.mu.Unlock()
	}
	if err != nil {
		k.serveError(w, r, err)
		return
	}
	k.renderWorker(w, r, http.StatusOK, nil)
}

// serveCancel withdraws the enabled ballot, not yet cast: a form of it
// counts nothing after.
func (k *kiosk) serveCancel(w http.ResponseWriter, r *http.Request) {
	err := k.asWorker(r)
	if err == nil {
		k.mu.Lock()
		if k.enabled == "" {
			err = errNoBallot
		}
		k.enabled = ""
		k.mu.Unlock()
	}
	if err != nil {
		k.serveError(w, r, err)
		return
	}
	k.log.Info("kiosk: ballot cancelled")
	k.renderWorker(w, r, http.StatusOK, nil)
}

// serveClose closes the polls. That ends the enabled ballot, if any, and
// every session: the worker logs in again to transmit.
func (k *kiosk) serveClose(w http.ResponseWriter, r *http.Request) {
	err := k.asWorker(r)
	if err == nil && r.PostForm.Get("confirm") != "yes" {
		err = errNotConfirmed
	}
	if err == nil {
		k.mu.Lock()
		_, err = k.term.ClosePolls()
		if err == nil {
			k.enabled, k.last, k.sessions = "", nil, nil
		}
		k.mu.Unlock()
	}
	if err != nil {
		k.serveError(w, r, err)
		return
	}
	k.log.Info("kiosk: polls closed", "station", k.def.Stations[0].ID)
	setSession(w, "")
	r.Header.Del("Cookie") // the page after is a logged-out one
	k.renderWorker(w, r, http.StatusOK, nil)
}

func (k *kiosk) serveTransmit(w http.ResponseWriter, r *http.Request) {
	err := k.asWorker(r)
	if err == nil && k.cfg.Center == "" {
		err = errNoCenter
	}
	if err == nil {
		err = phaseError(k.term.Status(), machine.PhaseClosed)
	}
	if err != nil {
		k.serveError(w, r, err)
		return
	}
	ctx, cancel := k.ctxTransmit(r)
	defer cancel()
	tr, err := k.term.Transmit(ctx, k.cfg.Center, k.cfg.Client)
	if err != nil {
		k.log.Warn("kiosk: transmission failed", "center", k.cfg.Center, "err", err)
		k.renderWorker(w, r, http.StatusBadGateway, &workerPage{SendFailed: err.Error()})
		return
	}
	k.log.Info("kiosk: final acta transmitted", "center", k.cfg.Center, "index", tr.Index, "status", tr.Status)
	k.renderWorker(w, r, http.StatusOK, &workerPage{Sent: tr})
}
