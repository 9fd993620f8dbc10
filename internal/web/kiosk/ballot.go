package kiosk

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// The ballot form: one field for each contest, named contestField plus the
// contest's id (ids never hold a colon), whose value is a candidate's id,
// "blank" or "null"; a contest left out is blank, as the terminal counts it.
// A contest of N votes a ballot may give the field up to N times, once for
// each candidate chosen (or once, the ids joined by "+" as the terminal
// takes them), or once "null". And the field "token": the ballot's
// one-time token.
const (
	contestField = "c:"
	tokenField   = "token"
)

// Errors of a ballot form, mapped to pages in one place (kiosk.go).
var (
	errNoToken    = errors.New("ballot form without a token")
	errBadToken   = errors.New("ballot token not issued by this terminal")
	errCast       = errors.New("ballot already cast")
	errNotEnabled = errors.New("ballot not enabled, or cancelled")
)

// ballotError is a ballot form that asks for what the ballot does not have.
// Nothing of such a form is counted.
type ballotError struct {
	problem string // one of the ballot* constants
	field   string // the form field, or the contest's id
	value   string // the candidate asked for
}

const (
	ballotUnknownField   = "unknown field"
	ballotUnknownContest = "unknown contest"
	ballotUnknownChoice  = "unknown candidate"
	ballotTwice          = "contest chosen twice"
	ballotTooMany        = "more candidates than votes"
	ballotMixed          = "blank or null with candidates"
)

func (e *ballotError) Error() string {
	return fmt.Sprintf("ballot form: %s %q %q", e.problem, e.field, e.value)
}

// parseBallot reads a submitted ballot form against the ballot: every
// contest's choice, the left-out contests blank, and the form's token,
// unchecked. It refuses any field it does not know, a contest or candidate
// not on the ballot, and a contest given more than once.
func parseBallot(form url.Values, ballot []*election.Contest) (choices map[string]string, token string, err error) {
	choices = make(map[string]string, len(ballot))
	for key, values := range form {
		if key == tokenField {
			if len(values) != 1 {
				return nil, "", &ballotError{ballotUnknownField, page.Clip(key, 40), ""}
			}
			token = values[0]
			continue
		}
		id, ok := strings.CutPrefix(key, contestField)
		if !ok {
			return nil, "", &ballotError{ballotUnknownField, page.Clip(key, 40), ""}
		}
		c := contestOf(ballot, id)
		if c == nil {
			return nil, "", &ballotError{ballotUnknownContest, page.Clip(id, 40), ""}
		}
		if acta.VotesPerBallot(c) > 1 {
			choice, err := multiChoice(c, values)
			if err != nil {
				return nil, "", err
			}
			choices[c.ID] = choice
			continue
		}
		if len(values) != 1 {
			return nil, "", &ballotError{ballotTwice, c.ID, ""}
		}
		if !onBallot(c, values[0]) {
			return nil, "", &ballotError{ballotUnknownChoice, c.ID, page.Clip(values[0], 40)}
		}
		choices[c.ID] = values[0]
	}
	for _, c := range ballot {
		if _, ok := choices[c.ID]; !ok {
			choices[c.ID] = "blank"
		}
	}
	if token == "" {
		return nil, "", errNoToken
	}
	return choices, token, nil
}

func contestOf(ballot []*election.Contest, id string) *election.Contest {
	for _, c := range ballot {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// multiChoice reads the values of a contest of several votes a ballot:
// the candidates chosen, each once, at most as many as the contest's votes,
// in the ballot's order joined by "+"; or "blank" or "null" alone. A blank
// or null vote with candidates, an empty id, or a candidate twice is
// refused: nothing is guessed.
func multiChoice(c *election.Contest, values []string) (string, error) {
	var ids []string
	for _, v := range values {
		ids = append(ids, strings.Split(v, "+")...)
	}
	if len(ids) == 1 && (ids[0] == "blank" || ids[0] == "null") {
		return ids[0], nil
	}
	chosen := make([]bool, len(c.Candidates))
	for _, id := range ids {
		i := slices.IndexFunc(c.Candidates, func(x election.Candidate) bool { return x.ID == id })
		switch {
		case id == "blank" || id == "null":
			if len(slices.DeleteFunc(slices.Clone(ids), func(x string) bool { return x != id })) > 1 {
				return "", &ballotError{ballotTwice, c.ID, ""}
			}
			return "", &ballotError{ballotMixed, c.ID, id}
		case i < 0:
			return "", &ballotError{ballotUnknownChoice, c.ID, page.Clip(id, 40)}
		case chosen[i]:
			return "", &ballotError{ballotTwice, c.ID, ""}
		}
		chosen[i] = true
	}
	if len(ids) > acta.VotesPerBallot(c) {
		return "", &ballotError{ballotTooMany, c.ID, fmt.Sprint(acta.VotesPerBallot(c))}
	}
	var out []string
	for i, x := range c.Candidates {
		if chosen[i] {
			out = append(out, x.ID)
		}
	}
	return strings.Join(out, "+"), nil
}

func onBallot(c *election.Contest, choice string) bool {
	if choice == "blank" || choice == "null" {
		return true
	}
	for _, x := range c.Candidates {
		if x.ID == choice {
			return true
		}
	}
	return false
}

// Ballot tokens make a ballot form count at most once: a double click, a
// reload of the confirmation, or going back and confirming again finds its
// token spent. A token is a random nonce and its HMAC under a key the kiosk
// draws when it starts, so the kiosk keeps nothing for the forms it hands
// out, only the nonces of the ballots cast — in no order, with no time, and
// unrelated to the vouchers' serials. A kiosk started again takes none of
// the old tokens.
type tokens struct {
	key   [32]byte
	spent map[[16]byte]bool // under the kiosk's lock
}

func newTokens() *tokens {
	t := &tokens{spent: map[[16]byte]bool{}}
	rand.Read(t.key[:])
	return t
}

// issue returns a new token.
func (t *tokens) issue() string {
	var b [32]byte
	rand.Read(b[:16])
	copy(b[16:], t.mac(b[:16]))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (t *tokens) mac(nonce []byte) []byte {
	m := hmac.New(sha256.New, t.key[:])
	m.Write([]byte("triplicate kiosk ballot\n"))
	m.Write(nonce)
	return m.Sum(nil)[:16]
}

// check returns the nonce of a token this kiosk issued and that is not
// spent, or errBadToken or errCast.
func (t *tokens) check(token string) ([16]byte, error) {
	var nonce [16]byte
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != 32 || !hmac.Equal(b[16:], t.mac(b[:16])) {
		return nonce, errBadToken
	}
	copy(nonce[:], b)
	if t.spent[nonce] {
		return nonce, errCast
	}
	return nonce, nil
}
