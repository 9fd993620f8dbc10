package center

import (
	"errors"
	"net/http"
	"time"

	"github.com/triplicate-vote/triplicate/internal/intake"
)

// What a submission may cost the center is bounded by package intake, so
// that clients that open submissions and send their bodies slowly, or
// never, can neither exhaust its memory nor crowd out the machines: at
// most Config.MaxSubmissions bodies are read at once, one that is not whole
// within intake.FastRead moves to a lane a quarter as large where it has
// Config.SubmitTimeout, and past either bound the center answers 503 with
// Retry-After, which machines retry, and closes the connection.

const (
	// DefaultMaxSubmissions is how many submissions' bodies the center
	// reads at once unless Config.MaxSubmissions says otherwise: some
	// 20 MB of bodies at most, with the slow lane.
	DefaultMaxSubmissions = 256
	// DefaultSubmitTimeout is how long a submission in the slow lane has
	// for its body unless Config.SubmitTimeout says otherwise: even 64 KB
	// at 100 kbit/s takes 5 s.
	DefaultSubmitTimeout = 10 * time.Second
)

// ErrBusy: the center is reading as many submissions as it takes at once;
// the same submission may go through a moment later.
var ErrBusy = intake.ErrBusy

func newLimits(n int, timeout time.Duration) *intake.Limits {
	if n <= 0 {
		n = DefaultMaxSubmissions
	}
	if timeout <= 0 {
		timeout = DefaultSubmitTimeout
	}
	return intake.New(n, MaxActaBytes, timeout)
}

// readActa reads a submission's body, of at most MaxActaBytes, within the
// limits; if it cannot, the connection is closed once answered.
func (c *Center) readActa(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	msg, err := c.limits.Read(w, r)
	switch {
	case err == nil:
		return msg, nil
	case errors.Is(err, intake.ErrBusy):
		c.m.rejects.WithLabelValues("busy").Inc()
	case errors.Is(err, intake.ErrSlow):
		c.m.rejects.WithLabelValues("slow").Inc()
	}
	intake.Drop(w)
	return nil, err
}
