package machine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/strictjson"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// ErrRefused is wrapped by the errors of a center that refused the acta for
// good: retrying cannot help.
var ErrRefused = errors.New("refused by the center")

// Transmission is what Transmit did.
type Transmission struct {
	Index    uint64        // the acta's log entry
	Status   string        // what the center made of it: accepted, duplicate, same-count
	Receipt  *tlog.Receipt // the checkpoint that covers it, and the proof
	LogSize  uint64        // the size of that checkpoint
	Attempts int           // requests it took to deliver the acta
}

// Transmit sends the final acta to the tallying center at center (its base
// URL), retrying with exponential backoff while the center cannot be reached
// or is busy, until ctx ends; a machine that cannot reach the center keeps its
// acta and can transmit again later. Once the center has logged the acta,
// Transmit waits for a published checkpoint that covers it, checks it against
// the election's log policy (signed by the center key it enrols, cosigned by a
// quorum of the log witnesses it enrols), and keeps the receipt in the state
// directory (receipt.json). Transmitting again is harmless: the center gives
// the same log entry for the same acta.
func (t *Terminal) Transmit(ctx context.Context, center string, client *http.Client) (*Transmission, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.phase != PhaseClosed {
		return nil, fmt.Errorf("station %s: polls %s: the final acta is transmitted after closing", t.st.ID, t.phase)
	}
	if t.def.Center == "" {
		return nil, fmt.Errorf("election %s enrols no center key to check receipts with", t.def.ID)
	}
	msg, err := os.ReadFile(t.path(finalFile))
	if err != nil {
		return nil, err
	}
	base, err := url.Parse(strings.TrimSuffix(center, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") {
		return nil, fmt.Errorf("center URL %q: want http:// or https://", center)
	}
	tr := &Transmission{}
	var sub struct {
		Index  uint64 `json:"index"`
		Status string `json:"status"`
	}
	err = retry(ctx, &tr.Attempts, func() (bool, error) {
		body, code, err := do(ctx, client, http.MethodPost, base.JoinPath("v1/actas").String(), msg)
		switch {
		case err != nil:
			return true, err
		case code == http.StatusOK:
			return false, strictjson.UnmarshalPart(body, &sub)
		case code == http.StatusTooManyRequests || code >= 500:
			return true, fmt.Errorf("center: %d %s", code, reason(body))
		}
		return false, fmt.Errorf("station %s: %w: %d %s", t.st.ID, ErrRefused, code, reason(body))
	})
	if err != nil {
		return nil, err
	}
	tr.Index, tr.Status = sub.Index, sub.Status
	var attempts int
	err = retry(ctx, &attempts, func() (bool, error) {
		body, code, err := do(ctx, client, http.MethodGet, base.JoinPath("v1/receipts", strconv.FormatUint(tr.Index, 10)).String()+"?wait=10s", nil)
		switch {
		case err != nil:
			return true, err
		case code == http.StatusOK:
			return false, strictjson.Unmarshal(body, &tr.Receipt)
		case code == http.StatusServiceUnavailable || code == http.StatusTooManyRequests || code >= 500:
			return true, fmt.Errorf("center: %d %s", code, reason(body))
		}
		return false, fmt.Errorf("receipt of log entry %d: %d %s", tr.Index, code, reason(body))
	})
	if err != nil {
		return nil, err
	}
	cp, err := tr.Receipt.Verify(msg, tlog.ElectionPolicy(t.def))
	if err != nil {
		return nil, fmt.Errorf("station %s: the center's receipt does not hold: %w", t.st.ID, err)
	}
	tr.LogSize = cp.Size
	j, err := json.MarshalIndent(tr.Receipt, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeFile(t.dir, receiptFile, 0o644, !t.o.NoSync, append(j, '\n')); err != nil {
		return nil, err
	}
	return tr, nil
}

// retry calls fn until it succeeds, fails for good, or ctx ends, waiting
// longer after each failure that may pass (200 ms, doubling, at most 10 s,
// with jitter).
func retry(ctx context.Context, attempts *int, fn func() (again bool, err error)) error {
	wait := 200 * time.Millisecond
	for {
		*attempts++
		again, err := fn()
		if err == nil || !again {
			return err
		}
		d := wait/2 + rand.N(wait)
		select {
		case <-ctx.Done():
			return fmt.Errorf("giving up after %d attempts: %w (last: %v)", *attempts, ctx.Err(), err)
		case <-time.After(d):
		}
		wait = min(2*wait, 10*time.Second)
	}
}

func do(ctx context.Context, client *http.Client, method, url string, body []byte) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return b, resp.StatusCode, err
}

// reason returns what a center's answer says: its JSON message, or its
// first line.
func reason(b []byte) string {
	var m struct {
		Message string `json:"message"`
	}
	if strictjson.UnmarshalPart(b, &m) == nil && m.Message != "" {
		return m.Message
	}
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return s
}
