package simulate

import (
	"io"
	"log/slog"
	"sync"

	"k8s.io/klog/v2"
)

var quietOnce sync.Once

// QuietTessera sends Tessera's logs (it logs through klog) nowhere, once a
// process: klog's logger is global, and setting it again while an earlier
// election's log still runs — several simulations in one test binary — is
// a data race.
func QuietTessera() {
	quietOnce.Do(func() { klog.SetSlogLogger(slog.New(slog.NewTextHandler(io.Discard, nil))) })
}
