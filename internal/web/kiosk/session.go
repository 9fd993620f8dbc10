package kiosk

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
)

// The poll worker logs in on the worker's page with the PIN, once, and
// gets a session: a random token in a cookie that only the worker's
// addresses receive (Path=/worker), that no script reads (HttpOnly) and
// that no other site's page sends (SameSite=Strict). It lasts until the
// worker logs out, the polls close, or the browser ends. A voter never
// types the PIN, nor sees a link to the worker's page: the worker opens it
// by its address, on the kiosk's screen or on a device of their own.

const (
	sessionCookie = "worker"
	sessionPath   = "/worker"
	maxSessions   = 4 // the worker's devices; the oldest session ends first
)

// sessions are the poll worker's sessions, as SHA-256 sums of their
// tokens, under the kiosk's lock.
type sessions [][32]byte

// start starts a session and returns its token.
func (s *sessions) start() string {
	token := randomToken()
	if len(*s) == maxSessions {
		*s = (*s)[1:]
	}
	*s = append(*s, sha256.Sum256([]byte(token)))
	return token
}

// find returns the index of a token's session, or -1, comparing with each
// in constant time.
func (s sessions) find(token string) int {
	sum := sha256.Sum256([]byte(token))
	found := -1
	for i := range s {
		if subtle.ConstantTimeCompare(sum[:], s[i][:]) == 1 {
			found = i
		}
	}
	return found
}

// session returns the request's session token if it is a session of the
// poll worker, else errNoSession.
func (k *kiosk) session(r *http.Request) (string, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return "", errNoSession
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.sessions.find(c.Value) < 0 {
		return "", errNoSession
	}
	return c.Value, nil
}

// asWorker reads a poll worker's form and checks its session.
func (k *kiosk) asWorker(r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	_, err := k.session(r)
	return err
}

func setSession(w http.ResponseWriter, token string) {
	c := &http.Cookie{Name: sessionCookie, Value: token, Path: sessionPath, HttpOnly: true, SameSite: http.SameSiteStrictMode}
	if token == "" {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// serveLogin starts a session for the right PIN.
func (k *kiosk) serveLogin(w http.ResponseWriter, r *http.Request) {
	if err := form(r); err != nil {
		k.serveError(w, r, err)
		return
	}
	err := k.pin.check(r.PostForm.Get("pin"))
	var le *lockedError
	switch {
	case errors.Is(err, errWrongPIN):
		k.log.Warn("kiosk: wrong PIN")
	case errors.As(err, &le):
		k.log.Warn("kiosk: wrong PINs, locked", "for", le.wait)
	}
	if err != nil {
		k.serveError(w, r, err)
		return
	}
	k.mu.Lock()
	token := k.sessions.start()
	k.mu.Unlock()
	k.log.Info("kiosk: poll worker logged in")
	setSession(w, token)
	k.backToWorker(w, r)
}

// serveLogout ends the request's session.
func (k *kiosk) serveLogout(w http.ResponseWriter, r *http.Request) {
	if err := form(r); err != nil {
		k.serveError(w, r, err)
		return
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		k.mu.Lock()
		if i := k.sessions.find(c.Value); i >= 0 {
			k.sessions = append(k.sessions[:i], k.sessions[i+1:]...)
			k.log.Info("kiosk: poll worker logged out")
		}
		k.mu.Unlock()
	}
	setSession(w, "")
	k.backToWorker(w, r)
}

// backToWorker answers a poll worker's form with the worker's page, in the
// form's language: a reload then shows the page again and sends nothing.
func (k *kiosk) backToWorker(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, kioskLang(r).In("/worker"), http.StatusSeeOther)
}

// randomToken returns 32 random bytes, as text.
func randomToken() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
