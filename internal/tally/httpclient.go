package tally

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// DefaultTimeout is how long the verifier waits on a server that sends
// nothing, when its caller gives no client of its own.
const DefaultTimeout = 30 * time.Second

// defaultClient is the client of a nil LogSource.Client or Fetch client.
var defaultClient = HTTPClient(DefaultTimeout)

// HTTPClient returns a client that gives up on a request when the server
// sends nothing for stall: no connection, no response, or no more of the
// body. A slow server that keeps sending is waited for (a country's
// announcement is large); one that stalls is not.
func HTTPClient(stall time.Duration) *http.Client {
	return &http.Client{Transport: &stallTransport{base: http.DefaultTransport, stall: stall}}
}

// stallTransport cancels a request that makes no progress for stall.
type stallTransport struct {
	base  http.RoundTripper
	stall time.Duration
}

func (t *stallTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancelCause(req.Context())
	stalled := fmt.Errorf("%s sent nothing for %v", req.URL.Host, t.stall)
	timer := time.AfterFunc(t.stall, func() { cancel(stalled) })
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		timer.Stop()
		if context.Cause(ctx) == stalled {
			err = stalled
		}
		cancel(nil)
		return nil, err
	}
	timer.Reset(t.stall)
	resp.Body = &stallBody{body: resp.Body, ctx: ctx, cancel: cancel, timer: timer, stall: t.stall, stalled: stalled}
	return resp, nil
}

// stallBody restarts its request's timer at every read that brings bytes.
type stallBody struct {
	body    io.ReadCloser
	ctx     context.Context
	cancel  context.CancelCauseFunc
	timer   *time.Timer
	stall   time.Duration
	stalled error
	once    sync.Once
}

func (b *stallBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	if n > 0 {
		b.timer.Reset(b.stall)
	}
	if err != nil && err != io.EOF && context.Cause(b.ctx) == b.stalled {
		err = b.stalled
	}
	return n, err
}

func (b *stallBody) Close() error {
	b.once.Do(func() {
		b.timer.Stop()
		b.cancel(nil)
	})
	return b.body.Close()
}
