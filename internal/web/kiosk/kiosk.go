package kiosk

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/machine"
	"github.com/triplicate-vote/triplicate/internal/printing"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

//go:embed templates
var templateFS embed.FS

// Config is what a kiosk runs with.
type Config struct {
	// PIN is the poll worker's PIN, with which the poll worker logs in on
	// the worker's page. It must not be empty.
	PIN string
	// Print prints a voucher, given as a PDF, on the terminal's printer. It
	// must keep no copy: a spooler that keeps its jobs keeps the votes in
	// the order they were cast. Without it the voucher is only shown, and
	// the voter and the poll worker are told that it is not printed. The
	// zero tape goes to it too, when the polls open.
	Print func(pdf []byte) error
	// Center is the tallying center's base URL, to transmit the final acta
	// to; without it the kiosk does not offer to transmit.
	Center string
	// Client makes the requests to the center; a client with a 30-second
	// timeout if nil.
	Client *http.Client
	// TransmitTimeout is how long a transmission keeps trying before the
	// page says it failed; 30 seconds if zero.
	TransmitTimeout time.Duration
	// Logger logs the poll worker's actions, refused PINs and failures;
	// never a vote. slog.Default() if nil.
	Logger *slog.Logger
}

// New returns the pages of the voting terminal of one station, for its
// touch screen. The voter's screen (/) waits until the poll worker enables
// a ballot; the voter then selects, reviews and confirms the choices, and
// the terminal prints the voucher and shows it; the screen then waits for
// the next ballot. The poll worker's page (/worker, linked from no voter's
// page) takes the PIN once and then opens the polls, enables each voter's
// ballot, closes the polls and transmits the final acta. The kiosk's
// scripts and styles are served by [page.Assets], which the caller mounts at
// /assets/.
//
// Every change of state is a POST, refused from other sites
// ([http.CrossOriginProtection]), and every page is sent with
// Cache-Control: no-store, so that the browser keeps no voter's page. Only
// one ballot is enabled at a time, and its form carries a one-time token,
// so that it counts at most once however often it is sent. The language a
// voter chooses lasts for that ballot only: it is kept in the pages'
// addresses, never in a cookie.
//
// The kiosk keeps nothing that orders the votes: it logs no vote, a
// voucher lives only in the response that shows it, never at an address
// that the next voter could open, and the browser never downloads or
// prints it — the kiosk prints it itself.
func New(t *machine.Terminal, cfg Config) http.Handler {
	return newKiosk(t, cfg).handler()
}

type kiosk struct {
	term   *machine.Terminal
	def    *election.Definition
	ballot []*election.Contest
	cfg    Config
	log    *slog.Logger
	pages  *page.Templates
	pin    *pinGuard

	mu       sync.Mutex // held while the ballot and sessions change, and a ballot is cast
	tokens   *tokens
	enabled  string       // the token of the ballot enabled for the voter, "" if none
	enables  uint64       // how many ballots have been enabled
	last     *lastVoucher // the last voter's voucher that did not print, nil if none
	sessions sessions
}

func newKiosk(t *machine.Terminal, cfg Config) *kiosk {
	if cfg.PIN == "" {
		panic("kiosk: a kiosk needs a PIN")
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.TransmitTimeout == 0 {
		cfg.TransmitTimeout = 30 * time.Second
	}
	k := &kiosk{
		term: t,
		def:  t.Definition(),
		cfg:  cfg,
		log:  cfg.Logger,
		pages: page.Parse(page.Config{
			FS:      templateFS,
			Pages:   []string{"screen.html", "ballot.html", "review.html", "voucher.html", "worker.html"},
			Shared:  []string{"head.html"},
			Catalog: spanish,
			Lang:    kioskLang,
		}),
		pin:    newPINGuard(cfg.PIN),
		tokens: newTokens(),
	}
	if k.log == nil {
		k.log = slog.Default()
	}
	k.ballot = k.def.Ballot(k.def.Stations[0])
	return k
}

// kioskLang is the language of a kiosk's page: the lang query parameter of
// its address, else the browser's. Unlike the other pages', it is never
// kept in a cookie, which would carry one voter's choice over to the next:
// the kiosk's links and forms carry it on instead, through one ballot.
func kioskLang(r *http.Request) page.Lang {
	if l, ok := page.ParseLang(r.URL.Query().Get("lang")); ok {
		return l
	}
	return page.BrowserLang(r)
}

// maxForm is the largest form the kiosk reads: a ballot of a few hundred
// contests.
const maxForm = 64 << 10

func (k *kiosk) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", k.screenOnly(k.serveScreen))
	mux.HandleFunc("GET /state", k.screenOnly(k.serveState))
	mux.HandleFunc("POST /ballot", k.screenOnly(k.serveBallot))
	mux.HandleFunc("POST /review", k.screenOnly(k.serveReview))
	mux.HandleFunc("POST /cast", k.screenOnly(k.serveCast))
	mux.HandleFunc("POST /reprint", k.screenOnly(k.serveReprint))
	mux.HandleFunc("GET /worker", k.serveWorker)
	mux.HandleFunc("POST /worker/login", k.serveLogin)
	mux.HandleFunc("POST /worker/logout", k.serveLogout)
	mux.HandleFunc("POST /worker/open", k.serveOpen)
	mux.HandleFunc("POST /worker/enable", k.serveEnable)
	mux.HandleFunc("POST /worker/cancel", k.serveCancel)
	mux.HandleFunc("POST /worker/close", k.serveClose)
	mux.HandleFunc("POST /worker/transmit", k.serveTransmit)
	mux.HandleFunc("GET /zero.pdf", k.serveActaPDF(acta.Zero))
	mux.HandleFunc("GET /final.pdf", k.serveActaPDF(acta.Final))
	// The language switch of a page that answered a POST asks for its
	// address: send it to where that page's flow starts.
	for path, to := range map[string]string{
		"/ballot": "/", "/review": "/", "/cast": "/", "/reprint": "/",
		"/worker/login": "/worker", "/worker/logout": "/worker", "/worker/open": "/worker", "/worker/enable": "/worker",
		"/worker/cancel": "/worker", "/worker/close": "/worker", "/worker/transmit": "/worker",
	} {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			u := url.URL{Path: to} // the language only: nothing else of the query is for a GET
			if l, ok := page.ParseLang(r.URL.Query().Get("lang")); ok {
				u.RawQuery = url.Values{"lang": {string(l)}}.Encode()
			}
			http.Redirect(w, r, u.String(), http.StatusSeeOther)
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			k.fail(w, r, http.StatusMethodNotAllowed, "This page takes no %s request.", r.Method)
			return
		}
		k.fail(w, r, http.StatusNotFound, "The terminal has no page %q.", page.Clip(r.URL.Path, 40))
	})

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k.fail(w, r, http.StatusForbidden, "A page of another site tried to send this form: nothing was done.")
	}))
	h := cop.Handler(mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// No page of the kiosk may stay in the browser's cache or
		// history for the next voter to find.
		w.Header().Set("Cache-Control", "no-store")
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		}
		h.ServeHTTP(w, r)
	})
}

// screenOnly serves the voter's screen to the terminal's own browser alone,
// which reaches the kiosk on a loopback address. Another device on the
// station's network — a phone that reaches the poll worker's page — would
// otherwise get the enabled ballot's one-time token from the screen and cast
// the voter's ballot, and the kiosk would print its voucher. The poll
// worker's page answers any device: it takes the PIN.
func (k *kiosk) screenOnly(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			k.log.Warn("voter's screen asked for by another device", "remote", r.RemoteAddr, "path", r.URL.Path)
			k.fail(w, r, http.StatusForbidden, "This is the voting terminal's own screen: it answers only the terminal's browser. Poll workers use /worker.")
			return
		}
		next(w, r)
	}
}

// fail shows what went wrong: on the poll worker's page for the poll
// worker's addresses, where the worker goes on; on the error page, which
// leads back to the voter's screen, for the voter's.
func (k *kiosk) fail(w http.ResponseWriter, r *http.Request, status int, format string, args ...any) {
	if isWorkerPath(r.URL.Path) && status != http.StatusInternalServerError {
		k.renderWorker(w, r, status, &workerPage{Problem: page.NewMessage(format, args...)})
		return
	}
	k.pages.Fail(w, r, status, format, args...)
}

func isWorkerPath(p string) bool { return p == "/worker" || strings.HasPrefix(p, "/worker/") }

// serveError maps what went wrong to a page: every refusal of the kiosk
// is decided here.
func (k *kiosk) serveError(w http.ResponseWriter, r *http.Request, err error) {
	var be *ballotError
	var le *lockedError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &be):
		switch be.problem {
		case ballotUnknownContest:
			k.fail(w, r, http.StatusBadRequest, "Contest %q is not on this ballot: nothing was counted.", be.field)
		case ballotUnknownChoice:
			k.fail(w, r, http.StatusBadRequest, "%q is not a choice in contest %q: nothing was counted.", be.value, be.field)
		case ballotTwice:
			k.fail(w, r, http.StatusBadRequest, "Contest %q is chosen more than once: nothing was counted.", be.field)
		case ballotTooMany:
			k.fail(w, r, http.StatusBadRequest, "Contest %q allows at most %s candidates: nothing was counted. Go back and choose fewer.", be.field, be.value)
		case ballotMixed:
			if be.value == "blank" {
				k.fail(w, r, http.StatusBadRequest, "In contest %q a blank vote cannot go with candidates: nothing was counted. Go back and choose one or the other.", be.field)
			} else {
				k.fail(w, r, http.StatusBadRequest, "In contest %q a null vote cannot go with candidates: nothing was counted. Go back and choose one or the other.", be.field)
			}
		default:
			k.fail(w, r, http.StatusBadRequest, "The form has a field %q that a ballot does not have: nothing was counted.", be.field)
		}
	case errors.Is(err, errNoToken):
		k.fail(w, r, http.StatusBadRequest, "This ballot form has no token: start again from a new ballot. Nothing was counted.")
	case errors.Is(err, errBadToken):
		k.fail(w, r, http.StatusBadRequest, "This ballot form is not one this terminal gave out (it may have restarted): start again from a new ballot. Nothing was counted.")
	case errors.Is(err, errCast):
		k.fail(w, r, http.StatusConflict, "This ballot has already been cast, and was counted once. Nothing more was counted.")
	case errors.Is(err, errNotEnabled):
		k.fail(w, r, http.StatusConflict, "The poll worker cancelled this ballot: nothing was counted.")
	case errors.Is(err, errEnabled):
		k.fail(w, r, http.StatusConflict, "A ballot is already enabled and not yet cast: cancel it before enabling another.")
	case errors.Is(err, errNoBallot):
		k.fail(w, r, http.StatusConflict, "No ballot is enabled: nothing was cancelled.")
	case errors.Is(err, errNoReprint):
		k.fail(w, r, http.StatusConflict, "This voucher cannot be printed again now: it was printed, or the next ballot is enabled. Nothing was printed.")
	case errors.Is(err, errNoSession):
		k.fail(w, r, http.StatusForbidden, "Log in with the poll worker's PIN first: nothing was done.")
	case errors.Is(err, machine.ErrNotOpen):
		k.fail(w, r, http.StatusConflict, "The polls are not open yet: nothing was counted.")
	case errors.Is(err, machine.ErrAlreadyOpen):
		k.fail(w, r, http.StatusConflict, "The polls are already open.")
	case errors.Is(err, machine.ErrClosed):
		k.fail(w, r, http.StatusConflict, "The polls are closed: no more votes are counted.")
	case errors.Is(err, machine.ErrFull):
		k.fail(w, r, http.StatusConflict, "Every registered voter has voted: no more votes are counted.")
	case errors.Is(err, machine.ErrChoice):
		k.fail(w, r, http.StatusBadRequest, "That is not a choice on the ballot: nothing was counted.")
	case errors.Is(err, errNoPIN):
		k.fail(w, r, http.StatusBadRequest, "Enter the poll worker's PIN.")
	case errors.Is(err, errWrongPIN):
		k.fail(w, r, http.StatusForbidden, "The PIN is wrong: nothing was done.")
	case errors.As(err, &le):
		w.Header().Set("Retry-After", fmt.Sprint(le.seconds()))
		k.fail(w, r, http.StatusTooManyRequests, "Too many wrong PINs: the terminal takes no PIN for %d seconds. Nothing was done.", le.seconds())
	case errors.Is(err, errNotConfirmed):
		k.fail(w, r, http.StatusBadRequest, "Tick the box to confirm that the polls close for good: they are still open.")
	case errors.Is(err, errNotClosed):
		k.fail(w, r, http.StatusConflict, "The polls are still open: the final acta is transmitted after closing.")
	case errors.Is(err, errNoCenter):
		k.fail(w, r, http.StatusConflict, "This terminal has no tallying center to transmit to: start it with the center's address.")
	case errors.As(err, &mbe):
		k.fail(w, r, http.StatusRequestEntityTooLarge, "The form is larger than any ballot: nothing was counted.")
	case errors.Is(err, errForm):
		k.fail(w, r, http.StatusBadRequest, "The form could not be read: nothing was counted.")
	default:
		// The detail is for the log: the screen is the voter's.
		k.log.Error("kiosk: failure", "path", r.URL.Path, "err", err)
		k.fail(w, r, http.StatusInternalServerError, "The terminal failed: tell the poll worker.")
	}
}

var (
	errNoSession    = errors.New("poll worker not logged in")
	errEnabled      = errors.New("a ballot is already enabled")
	errNoBallot     = errors.New("no ballot enabled")
	errNotConfirmed = errors.New("closing not confirmed")
	errNoCenter     = errors.New("no center to transmit to")
	errNotClosed    = errors.New("polls not closed")
	errForm         = errors.New("unreadable form")
)

// form parses a POST's form: the body only, never the URL's query.
func form(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return errForm
	}
	return nil
}

// ctxTransmit bounds a transmission.
func (k *kiosk) ctxTransmit(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), k.cfg.TransmitTimeout)
}

// serveActaPDF serves the printable copies of the zero tape or the final
// acta, once the terminal has made it: both are public.
func (k *kiosk) serveActaPDF(kind acta.Kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		msg, err := k.term.Acta(kind)
		if err != nil {
			k.serveError(w, r, err)
			return
		}
		switch {
		case msg == nil && kind == acta.Zero:
			k.fail(w, r, http.StatusNotFound, "There is no zero tape yet: the polls are not open.")
			return
		case msg == nil:
			k.fail(w, r, http.StatusNotFound, "There is no final acta yet: the polls are not closed.")
			return
		}
		pdf, err := k.actaPDF(msg, printing.Lang(kioskLang(r)))
		if err != nil {
			k.serveError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", fmt.Sprintf("inline; filename=%q", fmt.Sprintf("%s-%s.pdf", kind, k.def.Stations[0].ID)))
		w.Write(pdf)
	}
}

// actaPDF is a signed acta of the terminal as printed, in a language.
func (k *kiosk) actaPDF(msg []byte, lang printing.Lang) ([]byte, error) {
	sa, err := acta.Open(msg, k.def)
	if err != nil {
		return nil, err
	}
	return printing.PDF(sa, k.def, lang)
}

// printTape prints an acta of the terminal on its printer, as the tape
// that the poll worker posts: the zero tape when the polls open. It is
// public, unlike a voucher; one that fails to print can still be printed
// from its PDF on the worker's page.
func (k *kiosk) printTape(kind acta.Kind, lang printing.Lang) error {
	if k.cfg.Print == nil {
		return errNoPrinter
	}
	msg, err := k.term.Acta(kind)
	if err == nil && msg == nil {
		err = fmt.Errorf("no %s acta", kind)
	}
	var pdf []byte
	if err == nil {
		pdf, err = k.actaPDF(msg, lang)
	}
	if err == nil {
		err = k.cfg.Print(pdf)
	}
	if err != nil {
		k.log.Warn("kiosk: tape not printed", "kind", kind, "err", err)
	}
	return err
}
