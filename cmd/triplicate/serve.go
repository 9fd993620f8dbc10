package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
)

// serve serves srv on ln, with TLS if cert is set, until ctx ends (a signal)
// or the server fails. It returns the server's error, or nil if ctx ended;
// the caller shuts the server down.
func serve(ctx context.Context, srv *http.Server, ln net.Listener, cert, key string, logger *slog.Logger) error {
	errc := make(chan error, 1)
	go func() {
		if cert != "" {
			errc <- srv.ServeTLS(ln, cert, key)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
		logger.Info("shutting down")
		return nil
	}
}
