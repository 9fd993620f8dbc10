package kiosk

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"sync"
	"time"
)

// The poll worker's PIN starts the worker's session (kiosk_session.go),
// which opening and closing the polls, enabling ballots and transmitting
// need. Three wrong PINs in a row are forgiven; the fourth, and each wrong
// PIN after it, locks the kiosk's PIN out for a while, twice as long each
// time, so that guessing a PIN of six digits takes years. The right PIN
// resets the count. While locked out, no PIN is checked, the right one
// included.
const (
	pinFreeTries = 3 // wrong PINs in a row that do not lock
	pinLockFirst = 30 * time.Second
	pinLockMax   = 15 * time.Minute
)

var (
	errNoPIN    = errors.New("no PIN given")
	errWrongPIN = errors.New("wrong PIN")
)

// lockedError is a PIN refused because of the wrong ones before it.
type lockedError struct{ wait time.Duration }

func (e *lockedError) Error() string { return "too many wrong PINs: locked for " + e.wait.String() }

// seconds returns how long the lock lasts, in whole seconds, rounded up.
func (e *lockedError) seconds() int { return int((e.wait + time.Second - 1) / time.Second) }

type pinGuard struct {
	sum [32]byte // SHA-256 of the PIN, compared in constant time

	mu       sync.Mutex
	failures int       // wrong PINs in a row
	until    time.Time // no PIN is checked before then
	now      func() time.Time
}

func newPINGuard(pin string) *pinGuard {
	return &pinGuard{sum: sha256.Sum256([]byte(pin)), now: time.Now}
}

// check returns nil for the right PIN, and errNoPIN, errWrongPIN or a
// *lockedError otherwise.
func (g *pinGuard) check(pin string) error {
	if pin == "" {
		return errNoPIN
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	if now.Before(g.until) {
		return &lockedError{g.until.Sub(now)}
	}
	sum := sha256.Sum256([]byte(pin))
	if subtle.ConstantTimeCompare(sum[:], g.sum[:]) == 1 {
		g.failures = 0
		return nil
	}
	g.failures++
	if g.failures <= pinFreeTries {
		return errWrongPIN
	}
	lock := pinLockMax
	if n := g.failures - pinFreeTries - 1; n < 10 {
		lock = min(pinLockFirst<<n, pinLockMax)
	}
	g.until = now.Add(lock)
	return &lockedError{lock}
}
