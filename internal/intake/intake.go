// Package intake reads HTTP request bodies within bounds, so that clients
// that open requests and send their bodies slowly, or never, can neither
// exhaust a server's memory nor crowd out the clients it serves:
//
//   - At most n bodies are read at once, each into a buffer of the largest
//     size allowed, reused from one to the next; a request waits its turn
//     up to [MaxWait].
//   - A body has [FastRead] to come whole: a machine or a log sends its
//     request in one write, so it usually came with the headers. One that
//     takes longer moves to a lane of a quarter as many places, where it
//     has the slow timeout; if that lane is full, it is refused.
//
// So a place in the first lane is held a short while whoever holds it, and
// honest clients get their turn among any number of slow ones. A refused
// request should be answered 503 with Retry-After, after [Drop], so that
// its connection is closed without net/http reading the rest of its body
// (which it otherwise does, up to 256 KB, however slowly it comes).
package intake

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"
)

const (
	// FastRead is how long a body has to come whole before it moves to
	// the slow lane.
	FastRead = 100 * time.Millisecond
	// MaxWait is how long a request waits for its turn: past it, it is
	// refused rather than keep its connection.
	MaxWait = 100 * time.Millisecond
)

var (
	// ErrBusy: as many bodies are being read as the server takes at once;
	// the same request may go through a moment later.
	ErrBusy = errors.New("the server is reading as many requests as it takes at once: try again")
	// ErrSlow: a body in the slow lane did not come whole in time.
	ErrSlow = errors.New("the request's body did not come in time")
)

// Limits is the lanes of bodies being read.
type Limits struct {
	fast, slow chan struct{} // a place for each body being read
	timeout    time.Duration
	max        int64
	buffers    sync.Pool
}

// New returns limits of n bodies of at most max bytes read at once, and
// timeout for a slow one.
func New(n int, max int64, timeout time.Duration) *Limits {
	l := &Limits{fast: make(chan struct{}, n), slow: make(chan struct{}, (n+3)/4), timeout: timeout, max: max}
	l.buffers.New = func() any { b := make([]byte, max+1); return &b }
	return l
}

// Drop has the server close the connection of a request refused or cut
// short once it has answered, without reading the rest of its body.
func Drop(w http.ResponseWriter) {
	w.Header().Set("Connection", "close")
	http.NewResponseController(w).SetReadDeadline(time.Now())
}

// Read reads a request's body within the limits. A body larger than the
// limits' max is an *http.MaxBytesError.
func (l *Limits) Read(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	wait := time.NewTimer(MaxWait)
	select {
	case l.fast <- struct{}{}:
		wait.Stop()
	case <-wait.C:
		return nil, ErrBusy
	case <-r.Context().Done():
		wait.Stop()
		return nil, r.Context().Err()
	}
	// Without read deadlines (a ResponseWriter not of net/http's server)
	// the server's own timeouts bound the read.
	rc := http.NewResponseController(w)
	deadlines := rc.SetReadDeadline(time.Now().Add(l.timeout)) == nil
	var (
		mu   sync.Mutex
		lane = l.fast // the lane whose place this body holds; nil once done
		busy bool     // cut short for want of a place in the slow lane
	)
	slow := time.AfterFunc(FastRead, func() {
		mu.Lock()
		defer mu.Unlock()
		if lane == nil {
			return
		}
		select {
		case l.slow <- struct{}{}:
			<-l.fast
			lane = l.slow
		default:
			if deadlines {
				busy = true
				rc.SetReadDeadline(time.Now()) // the read fails at once
			}
		}
	})
	buf, err := l.read(w, r)
	slow.Stop()
	mu.Lock()
	if lane != nil {
		<-lane
		lane = nil
	}
	mu.Unlock()
	switch {
	case err == nil:
	case busy:
		return nil, fmt.Errorf("%w (the body did not come within %v, and as many slow ones are being read as it takes)", ErrBusy, FastRead)
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, fmt.Errorf("%w: not all of it in %v", ErrSlow, l.timeout)
	default:
		return nil, err
	}
	if deadlines {
		// The connection's next request is the server's to time.
		if err := rc.SetReadDeadline(time.Time{}); err != nil {
			return nil, err
		}
	}
	return buf, nil
}

// read reads a request's body, of at most l.max bytes, into a reused
// buffer, and returns a copy of its size.
func (l *Limits) read(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	p := l.buffers.Get().(*[]byte)
	defer l.buffers.Put(p)
	// The buffer has room for one byte more than MaxBytesReader lets
	// through: it ends with EOF or the error saying the body is too large.
	n, err := io.ReadFull(http.MaxBytesReader(w, r.Body, l.max), *p)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	return bytes.Clone((*p)[:n]), nil
}
