package web

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/machine"
	"github.com/triplicate-vote/triplicate/internal/printing"
)

// A voter's way through the kiosk: the ballot (GET /), the review of the
// choices (POST /review), back to the ballot to change them (POST /ballot),
// and the vote cast (POST /cast), whose answer is the voucher. The review is
// a POST too, though it changes nothing: choices never go in an address,
// which the browser would keep in its history.

// ballotPage is the ballot form, with choices made if the voter came back
// from the review to change them.
type ballotPage struct {
	Token    string
	Contests []ballotContest
}

type ballotContest struct {
	Name    string
	Field   string
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
		bc := ballotContest{Name: c.Name, Field: contestField + c.ID}
		for _, x := range c.Candidates {
			bc.Options = append(bc.Options, ballotOption{Value: x.ID, Name: x.Name})
		}
		bc.Options = append(bc.Options, ballotOption{Value: "blank"}, ballotOption{Value: "null"})
		for i := range bc.Options {
			bc.Options[i].Checked = choices[c.ID] == bc.Options[i].Value
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

// voucherPage shows a cast vote's voucher: it exists only in the response
// to the cast.
type voucherPage struct {
	Voucher *machine.Voucher
	PDF     template.URL // data: URL of the voucher's PDF
}

func (k *kiosk) serveHome(w http.ResponseWriter, r *http.Request) {
	if k.term.Status().Phase != machine.PhaseOpen {
		k.renderWorker(w, r, http.StatusOK, "Poll worker", nil)
		return
	}
	k.pages.render(w, r, http.StatusOK, "kiosk_ballot.html", "Ballot", k.newBallotPage(k.tokens.issue(), nil))
}

// readBallot reads a submitted ballot and checks that its token is one the
// kiosk gave out and not yet spent, and that the polls are open.
func (k *kiosk) readBallot(r *http.Request) (map[string]string, string, error) {
	if err := form(r); err != nil {
		return nil, "", err
	}
	choices, token, err := parseBallot(r.PostForm, k.ballot)
	if err != nil {
		return nil, "", err
	}
	k.mu.Lock()
	_, err = k.tokens.check(token)
	k.mu.Unlock()
	if err != nil {
		return nil, "", err
	}
	if err := phaseError(k.term.Status(), machine.PhaseOpen); err != nil {
		return nil, "", err
	}
	return choices, token, nil
}

func (k *kiosk) serveBallot(w http.ResponseWriter, r *http.Request) {
	choices, token, err := k.readBallot(r)
	if err != nil {
		k.serveError(w, r, err)
		return
	}
	k.pages.render(w, r, http.StatusOK, "kiosk_ballot.html", "Ballot", k.newBallotPage(token, choices))
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
	k.pages.render(w, r, http.StatusOK, "kiosk_review.html", "Check your vote", p)
}

func (k *kiosk) serveCast(w http.ResponseWriter, r *http.Request) {
	v, err := k.cast(r)
	if err != nil {
		k.serveError(w, r, err)
		return
	}
	pdf, err := printing.VoucherPDF(v)
	if err != nil {
		k.serveError(w, r, fmt.Errorf("the vote is cast, but its voucher did not print: %v", err))
		return
	}
	url := template.URL("data:application/pdf;base64," + base64.StdEncoding.EncodeToString(pdf))
	k.pages.render(w, r, http.StatusOK, "kiosk_voucher.html", "Your vote is cast", &voucherPage{Voucher: v, PDF: url})
}

// cast casts a submitted ballot and spends its token, at most once for a
// token however many times and at once it is sent.
func (k *kiosk) cast(r *http.Request) (*machine.Voucher, error) {
	if err := form(r); err != nil {
		return nil, err
	}
	choices, token, err := parseBallot(r.PostForm, k.ballot)
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	nonce, err := k.tokens.check(token)
	if err != nil {
		return nil, err
	}
	v, err := k.term.Vote(choices)
	if err != nil {
		return nil, err
	}
	k.tokens.spent[nonce] = true
	return v, nil
}

func candidateName(c *election.Contest, id string) string {
	for _, x := range c.Candidates {
		if x.ID == id {
			return x.Name
		}
	}
	return ""
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
