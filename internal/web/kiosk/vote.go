package kiosk

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/machine"
	"github.com/triplicate-vote/triplicate/internal/printing"
)

// A voter's way through the kiosk: the screen waits (GET /) until the poll
// worker enables a ballot, then shows it; the review of the choices (POST
// /review), back to the ballot to change them (POST /ballot), and the vote
// cast (POST /cast), whose answer is the voucher, printed; the screen then
// waits for the next ballot. The review is a POST too, though it changes
// nothing: choices never go in an address, which the browser would keep in
// its history.

// ballotPage is the ballot form, with choices made if the voter came back
// from the review to change them.
type ballotPage struct {
	Token    string
	Contests []ballotContest
}

type ballotContest struct {
	Name    string
	Field   string
	Votes   int // how many candidates a ballot may choose: checkboxes if more than one
	Options []ballotOption
}

type ballotOption struct {
	Value   string
	Name    string // the candidate's name; "" for blank and null
	Checked bool
}

func (k *kiosk) newBallotPage(token string, choices map[string]string) *ballotPage {
	p := &ballotPage{Token: token}
	for _, c := range k.ballot {
		bc := ballotContest{Name: c.Name, Field: contestField + c.ID, Votes: acta.VotesPerBallot(c)}
		for _, x := range c.Candidates {
			bc.Options = append(bc.Options, ballotOption{Value: x.ID, Name: x.Name})
		}
		if bc.Votes == 1 {
			bc.Options = append(bc.Options, ballotOption{Value: "blank"})
		}
		bc.Options = append(bc.Options, ballotOption{Value: "null"})
		for i := range bc.Options {
			bc.Options[i].Checked = slices.Contains(strings.Split(choices[c.ID], "+"), bc.Options[i].Value)
		}
		p.Contests = append(p.Contests, bc)
	}
	return p
}

// reviewPage repeats the choices, and carries them on to the cast or back
// to the ballot.
type reviewPage struct {
	Token   string
	Choices []reviewChoice
}

type reviewChoice struct {
	Contest string // name
	Field   string
	Value   string
	Name    string // the candidate's name; "" for blank and null
}

// screenPage is the voter's screen when it shows no ballot: before the
// polls open, waiting for the poll worker to enable a ballot, or after the
// polls close. State is what serveState answers while it shows.
type screenPage struct {
	State string
}

// The states of the voter's screen.
const (
	screenNew     = "new"
	screenWaiting = "waiting"
	screenBallot  = "ballot"
	screenClosed  = "closed"
)

// screen returns what the voter's screen shows, and the enabled ballot's
// token when it shows a ballot.
func (k *kiosk) screen() (state, token string) {
	switch k.term.Status().Phase {
	case machine.PhaseNew:
		return screenNew, ""
	case machine.PhaseClosed:
		return screenClosed, ""
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.enabled == "" {
		return screenWaiting, ""
	}
	return screenBallot, k.enabled
}

// serveScreen is the voter's screen: the enabled ballot, the same however
// often it is loaded, or a page that waits for one.
func (k *kiosk) serveScreen(w http.ResponseWriter, r *http.Request) {
	state, token := k.screen()
	var title string
	switch state {
	case screenBallot:
		k.pages.Render(w, r, http.StatusOK, "ballot.html", "Ballot", k.newBallotPage(token, nil))
		return
	case screenNew:
		title = "The polls are not open yet"
	case screenClosed:
		title = "The polls are closed"
	default:
		title = "Waiting for the poll worker to enable a ballot"
	}
	k.pages.Render(w, r, http.StatusOK, "screen.html", title, &screenPage{State: state})
}

// serveState tells the voter's screen (kiosk.js) when to load itself
// again: it answers the screen's state, and nothing of the ballot.
func (k *kiosk) serveState(w http.ResponseWriter, r *http.Request) {
	state, _ := k.screen()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	fmt.Fprintln(w, state)
}

// readBallot reads a submitted ballot and checks that the polls are open
// and that its token is the enabled ballot's.
func (k *kiosk) readBallot(r *http.Request) (map[string]string, string, error) {
	if err := form(r); err != nil {
		return nil, "", err
	}
	choices, token, err := parseBallot(r.PostForm, k.ballot)
	if err != nil {
		return nil, "", err
	}
	if err := phaseError(k.term.Status(), machine.PhaseOpen); err != nil {
		return nil, "", err
	}
	k.mu.Lock()
	_, err = k.checkBallot(token)
	k.mu.Unlock()
	if err != nil {
		return nil, "", err
	}
	return choices, token, nil
}

// checkBallot returns the nonce of the enabled ballot's token, or
// errBadToken, errCast or errNotEnabled. The kiosk's lock is held.
func (k *kiosk) checkBallot(token string) ([16]byte, error) {
	nonce, err := k.tokens.check(token)
	if err != nil {
		return nonce, err
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(k.enabled)) != 1 {
		return nonce, errNotEnabled
	}
	return nonce, nil
}

func (k *kiosk) serveBallot(w http.ResponseWriter, r *http.Request) {
	choices, token, err := k.readBallot(r)
	if err != nil {
		k.serveError(w, r, err)
		return
	}
	k.pages.Render(w, r, http.StatusOK, "ballot.html", "Ballot", k.newBallotPage(token, choices))
}

func (k *kiosk) serveReview(w http.ResponseWriter, r *http.Request) {
	choices, token, err := k.readBallot(r)
	if err != nil {
		k.serveError(w, r, err)
		return
	}
	p := &reviewPage{Token: token}
	for _, c := range k.ballot {
		p.Choices = append(p.Choices, reviewChoice{Contest: c.Name, Field: contestField + c.ID, Value: choices[c.ID], Name: candidateName(c, choices[c.ID])})
	}
	k.pages.Render(w, r, http.StatusOK, "review.html", "Check your vote", p)
}

// serveCast casts the ballot, then prints its voucher: the printer never
// loses or doubles a vote, and a voucher that did not print can be printed
// again (serveReprint).
func (k *kiosk) serveCast(w http.ResponseWriter, r *http.Request) {
	v, enables, err := k.cast(r)
	if err != nil {
		k.serveError(w, r, err)
		return
	}
	k.renderVoucher(w, r, v, enables, k.printVoucher(v, printing.Lang(kioskLang(r))))
}

// cast casts a submitted ballot, the enabled one, and spends its token, at
// most once for a token however many times and at once it is sent. It
// returns the voucher, and how many ballots had been enabled then.
func (k *kiosk) cast(r *http.Request) (*machine.Voucher, uint64, error) {
	if err := form(r); err != nil {
		return nil, 0, err
	}
	choices, token, err := parseBallot(r.PostForm, k.ballot)
	if err != nil {
		return nil, 0, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := phaseError(k.term.Status(), machine.PhaseOpen); err != nil {
		return nil, 0, err
	}
	nonce, err := k.checkBallot(token)
	if err != nil {
		return nil, 0, err
	}
	v, err := k.term.Vote(choices)
	if err != nil {
		return nil, 0, err
	}
	k.tokens.spent[nonce] = true
	k.enabled = ""
	return v, k.enables, nil
}

// candidateName returns the names of the candidates of a choice, joined
// by " + " where it chooses several; "" for blank and null.
func candidateName(c *election.Contest, choice string) string {
	var names []string
	for _, id := range strings.Split(choice, "+") {
		for _, x := range c.Candidates {
			if x.ID == id {
				names = append(names, x.Name)
			}
		}
	}
	return strings.Join(names, " + ")
}

// phaseError returns why a terminal in the phase of s cannot do what needs
// the phase want, as the terminal's own errors, or nil.
func phaseError(s machine.Status, want machine.Phase) error {
	switch {
	case s.Phase == want:
		return nil
	case s.Phase == machine.PhaseNew:
		return machine.ErrNotOpen
	case s.Phase == machine.PhaseOpen && want == machine.PhaseClosed:
		return errNotClosed
	case s.Phase == machine.PhaseOpen:
		return machine.ErrAlreadyOpen
	}
	return machine.ErrClosed
}
