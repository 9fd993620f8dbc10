package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/machine"
	"github.com/triplicate-vote/triplicate/internal/printing"
)

// The poll worker's page: the terminal's phase and counts, its latest acta
// as printed with its PDF, and the one action the phase allows — open,
// close, or transmit — each asking for the PIN.

type workerPage struct {
	Status     machine.Status
	Opened     string
	Closed     string
	Tape       string // the latest acta, as printed
	Center     string // where the final acta is transmitted; "" for nowhere
	Sent       *machine.Transmission
	SendFailed string // why the transmission failed
}

const timeFormat = "2006-01-02 15:04:05 UTC"

func (k *kiosk) renderWorker(w http.ResponseWriter, r *http.Request, status int, title string, p *workerPage) {
	if p == nil {
		p = &workerPage{}
	}
	p.Status = k.term.Status()
	p.Center = k.cfg.Center
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
		text, err := k.tape(kind)
		if err != nil {
			k.serveError(w, r, err)
			return
		}
		p.Tape = text
	}
	k.pages.render(w, r, status, "kiosk_worker.html", title, p)
}

// tape returns an acta of the terminal as its paper tape prints it.
func (k *kiosk) tape(kind acta.Kind) (string, error) {
	msg, err := k.term.Acta(kind)
	if err != nil {
		return "", err
	}
	sa, err := acta.Open(msg, k.def)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := printing.WriteText(&b, sa, k.def); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (k *kiosk) serveWorker(w http.ResponseWriter, r *http.Request) {
	k.renderWorker(w, r, http.StatusOK, "Poll worker", nil)
}

// withPIN reads a poll worker's form and checks its PIN.
func (k *kiosk) withPIN(r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	err := k.pin.check(r.PostForm.Get("pin"))
	var le *lockedError
	switch {
	case errors.Is(err, errWrongPIN):
		k.log.Warn("kiosk: wrong PIN")
	case errors.As(err, &le):
		k.log.Warn("kiosk: wrong PINs, locked", "for", le.wait)
	}
	return err
}

func (k *kiosk) serveOpen(w http.ResponseWriter, r *http.Request) {
	err := k.withPIN(r)
	if err == nil {
		_, err = k.term.Open()
	}
	if err != nil {
		k.serveError(w, r, err)
		return
	}
	k.log.Info("kiosk: polls opened", "station", k.def.Stations[0].ID)
	k.renderWorker(w, r, http.StatusOK, "The polls are open", nil)
}

func (k *kiosk) serveClose(w http.ResponseWriter, r *http.Request) {
	err := form(r)
	if err == nil && r.PostForm.Get("confirm") != "yes" {
		err = errNotConfirmed
	}
	if err == nil {
		err = k.withPIN(r)
	}
	if err == nil {
		_, err = k.term.ClosePolls()
	}
	if err != nil {
		k.serveError(w, r, err)
		return
	}
	k.log.Info("kiosk: polls closed", "station", k.def.Stations[0].ID)
	k.renderWorker(w, r, http.StatusOK, "The polls are closed", nil)
}

func (k *kiosk) serveTransmit(w http.ResponseWriter, r *http.Request) {
	err := k.withPIN(r)
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
		k.renderWorker(w, r, http.StatusBadGateway, "Transmission to the center", &workerPage{SendFailed: err.Error()})
		return
	}
	k.log.Info("kiosk: final acta transmitted", "center", k.cfg.Center, "index", tr.Index, "status", tr.Status)
	k.renderWorker(w, r, http.StatusOK, "Transmission to the center", &workerPage{Sent: tr})
}
