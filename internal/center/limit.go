package center

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

// What a submission may cost the center is bounded, so that clients that
// open submissions and send their bodies slowly, or never, can neither
// exhaust its memory nor crowd out the machines:
//
//   - At most Config.MaxSubmissions bodies are read at once, each into a
//     buffer of MaxActaBytes reused from one to the next; a submission
//     waits its turn up to maxWait.
//   - A body has fastRead to come whole: a machine sends its acta in one
//     write, so it usually came with the headers. One that takes longer
//     moves to a lane of a quarter as many places, where it has until
//     Config.SubmitTimeout; if that lane is full, the center answers 503.
//
// So a place in the first lane is held a short while whoever holds it, and
// machines get their turn among any number of slow clients. Refused
// submissions are answered 503 with Retry-After, which machines retry, and
// their connection is closed without reading the rest of the body.

const (
	// DefaultMaxSubmissions is how many submissions' bodies the center
	// reads at once unless Config.MaxSubmissions says otherwise: some
	// 20 MB of bodies at most, with the slow lane.
	DefaultMaxSubmissions = 256
	// DefaultSubmitTimeout is how long a submission in the slow lane has
	// for its body unless Config.SubmitTimeout says otherwise: even 64 KB
	// at 100 kbit/s takes 5 s.
	DefaultSubmitTimeout = 10 * time.Second
	// fastRead is how long a body has to come whole before it moves to
	// the slow lane.
	fastRead = 100 * time.Millisecond
	// maxWait is how long a submission waits for its turn: past it, the
	// center answers 503 rather than keep the connection.
	maxWait = 100 * time.Millisecond
)

// ErrBusy: the center is reading as many submissions as it takes at once;
// the same submission may go through a moment later.
var ErrBusy = errors.New("the center is taking as many submissions as it can at once: try again")

// errSlowBody: a submission's body did not come in time.
var errSlowBody = errors.New("the acta did not come in time")

// limits is the lanes of submissions being read.
type limits struct {
	fast, slow chan struct{} // a place for each body being read
	timeout    time.Duration
}

func newLimits(n int, timeout time.Duration) *limits {
	if n <= 0 {
		n = DefaultMaxSubmissions
	}
	if timeout <= 0 {
		timeout = DefaultSubmitTimeout
	}
	return &limits{fast: make(chan struct{}, n), slow: make(chan struct{}, max(1, n/4)), timeout: timeout}
}

// drop has the server close the connection of a submission refused or cut
// short once it has answered, without reading the rest of its body (which
// net/http otherwise does, up to 256 KB, however slowly it comes).
func drop(w http.ResponseWriter) {
	w.Header().Set("Connection", "close")
	http.NewResponseController(w).SetReadDeadline(time.Now())
}

// readActa reads a submission's body, of at most MaxActaBytes, within the
// limits.
func (c *Center) readActa(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	l := c.limits
	wait := time.NewTimer(maxWait)
	select {
	case l.fast <- struct{}{}:
		wait.Stop()
	case <-wait.C:
		c.m.rejects.WithLabelValues("busy").Inc()
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
		busy bool     // moved out for want of a place in the slow lane
	)
	slow := time.AfterFunc(fastRead, func() {
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
	buf, err := readBody(w, r)
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
		c.m.rejects.WithLabelValues("busy").Inc()
		return nil, fmt.Errorf("%w (the acta did not come within %v, and as many slow ones are being read as the center takes)", ErrBusy, fastRead)
	case errors.Is(err, os.ErrDeadlineExceeded):
		c.m.rejects.WithLabelValues("slow").Inc()
		return nil, fmt.Errorf("%w: not all of it in %v", errSlowBody, l.timeout)
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

// bodies are buffers of MaxActaBytes+1 for reading bodies into: as many as
// are read at once, reused so that bodies read in turn, above all those
// refused, leave no garbage behind.
var bodies = sync.Pool{New: func() any { b := make([]byte, MaxActaBytes+1); return &b }}

// readBody reads a request's body, of at most MaxActaBytes, and returns a
// copy of its size.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	p := bodies.Get().(*[]byte)
	defer bodies.Put(p)
	buf := *p
	// The buffer has room for one byte more than MaxBytesReader lets
	// through: it ends with EOF or the error saying the body is too large.
	n, err := io.ReadFull(http.MaxBytesReader(w, r.Body, MaxActaBytes), buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	return bytes.Clone(buf[:n]), nil
}
