package witness

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/triplicate-vote/triplicate/internal/keys"
)

// ServeConfig is how [Serve] runs a witness as an HTTP server.
type ServeConfig struct {
	State string // directory of the latest checkpoint cosigned for each log (see Open)
	Key   *keys.Key
	Logs  []Log
	// LogURLs are logs whose published checkpoint is checked against the
	// state before serving (see Witness.CheckLog): a state restored from a
	// backup is refused.
	LogURLs         []string
	Addr            string // host:port to listen on
	TLSCert, TLSKey string // files, both or neither; neither for plain HTTP
	Logger          *slog.Logger
	// Listening, if set, is told the server's URL once it listens.
	Listening func(url string)
}

// Serve opens the witness and serves it until ctx ends or the server fails;
// a request being answered then finishes: its checkpoint is on disk before
// its cosignature leaves.
func Serve(ctx context.Context, cfg ServeConfig) error {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	w, err := Open(cfg.State, cfg.Key, cfg.Logs, logger)
	if err != nil {
		return err
	}
	defer w.Close()
	for _, u := range cfg.LogURLs {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := w.CheckLog(cctx, http.DefaultClient, u)
		cancel()
		if err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           w.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       2 * time.Minute, // the log keeps its connection alive between checkpoints
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	scheme := "http"
	if cfg.TLSCert != "" {
		scheme = "https"
	}
	if cfg.Listening != nil {
		cfg.Listening(scheme + "://" + ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() {
		if cfg.TLSCert != "" {
			errc <- srv.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err = <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
	case <-ctx.Done():
		logger.Info("shutting down")
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if serr := srv.Shutdown(sctx); err == nil {
		err = serr
	}
	return err
}
