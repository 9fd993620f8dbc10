package witness

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/keys"
)

// Client is the log's side of C2SP tlog-witness with one witness: it asks
// the witness to cosign a checkpoint, with a consistency proof from the
// size the witness last cosigned. Tessera does the same for the witnesses
// every published checkpoint waits for; Client is for those the log asks
// only now and then (public witnesses, which take about a request a second
// per log at most), so it never sends a request on its own: a 409 with the
// witness's size is returned as a [*ConflictError], and the size is used by
// the next request the caller chooses to send.
type Client struct {
	url      string // of the add-checkpoint endpoint
	verifier note.Verifier
	http     *http.Client

	mu   sync.Mutex
	size uint64 // the size the witness last cosigned, as far as the log knows
}

// maxResponse bounds what is read of a witness's answer: a cosignature line
// or a size, or a short error.
const maxResponse = 16 << 10

// NewClient returns a client of the witness with the given key (its note
// key, or the cosignature/v1 key made from it) that serves C2SP
// tlog-witness at root (root/add-checkpoint).
func NewClient(key, root string, hc *http.Client) (*Client, error) {
	v, err := keys.NewCosignatureVerifier(key)
	if err != nil {
		return nil, fmt.Errorf("witness key %q: %v", key, err)
	}
	u, err := url.Parse(root)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("witness %s: want an http:// or https:// URL, have %q", v.Name(), root)
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{url: u.JoinPath("add-checkpoint").String(), verifier: v, http: hc}, nil
}

// Name is the name of the witness's key.
func (c *Client) Name() string { return c.verifier.Name() }

// Verifier checks the witness's cosignatures.
func (c *Client) Verifier() note.Verifier { return c.verifier }

// Size returns the size the witness last cosigned, as far as the client
// knows: 0 until it learns better.
func (c *Client) Size() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// SetSize sets the size the witness last cosigned, as a checkpoint saved
// with its cosignature says, so that a restarted log needs no 409 first.
func (c *Client) SetSize(n uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.size = n
}

// AddCheckpoint asks the witness to cosign a checkpoint of size entries,
// signed by the log, and returns its cosignature line ("— name base64\n"),
// checked. proof makes a consistency proof from an older size to size.
func (c *Client) AddCheckpoint(ctx context.Context, checkpoint []byte, size uint64, proof func(ctx context.Context, from uint64) ([][]byte, error)) ([]byte, error) {
	old := c.Size()
	if old > size {
		// The witness is ahead of this checkpoint: asking cannot succeed.
		return nil, fmt.Errorf("witness %s cosigned a checkpoint of %d entries, more than %d", c.Name(), old, size)
	}
	var body bytes.Buffer
	fmt.Fprintf(&body, "old %d\n", old)
	if old > 0 && old < size {
		hashes, err := proof(ctx, old)
		if err != nil {
			return nil, fmt.Errorf("consistency proof from %d to %d entries: %v", old, size, err)
		}
		for _, h := range hashes {
			body.WriteString(base64.StdEncoding.EncodeToString(h) + "\n")
		}
	}
	body.WriteString("\n")
	body.Write(checkpoint)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, &body)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("witness %s: %v", c.Name(), err)
	}
	defer resp.Body.Close()
	rb, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return nil, fmt.Errorf("witness %s: reading its answer: %v", c.Name(), err)
	}
	switch {
	case resp.StatusCode == http.StatusOK:
		signed := append(append([]byte{}, checkpoint...), rb...)
		n, err := note.Open(signed, note.VerifierList(c.verifier))
		if late := keys.LateCosignature(signed, c.verifier); err != nil && late != nil {
			err = fmt.Errorf("%w: %v", err, late)
		}
		if err != nil || len(n.Sigs) != 1 {
			return nil, fmt.Errorf("witness %s answered with no valid cosignature (%v): %.200q", c.Name(), err, rb)
		}
		c.SetSize(size)
		return fmt.Appendf(nil, "— %s %s\n", n.Sigs[0].Name, n.Sigs[0].Base64), nil
	case resp.StatusCode == http.StatusConflict && resp.Header.Get("Content-Type") == "text/x.tlog.size":
		s, ok := strings.CutSuffix(string(rb), "\n")
		n, err := strconv.ParseUint(s, 10, 64)
		if !ok || err != nil || strconv.FormatUint(n, 10) != s {
			return nil, fmt.Errorf("witness %s: 409 with a malformed size %.40q", c.Name(), rb)
		}
		c.SetSize(n)
		origin, _, _ := bytes.Cut(checkpoint, []byte("\n"))
		return nil, &ConflictError{Origin: string(origin), Old: old, Size: n}
	}
	return nil, fmt.Errorf("witness %s: %s: %.200s", c.Name(), resp.Status, strings.TrimSpace(string(rb)))
}
