package tally

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

// MaxAnnouncement is the largest announcement the verifier reads (1 GiB:
// a country's stations in JSON).
const MaxAnnouncement = 1 << 30

// Fetch reads a file or an http(s) URL, at most MaxAnnouncement bytes. A nil
// client is HTTPClient(DefaultTimeout).
func Fetch(ctx context.Context, location string, client *http.Client) ([]byte, error) {
	var r io.Reader
	if strings.HasPrefix(location, "http://") || strings.HasPrefix(location, "https://") {
		if client == nil {
			client = defaultClient
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, location, nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %s", location, resp.Status)
		}
		r = resp.Body
	} else {
		f, err := os.Open(location)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxAnnouncement+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxAnnouncement {
		return nil, fmt.Errorf("larger than %d bytes", MaxAnnouncement)
	}
	return data, nil
}
