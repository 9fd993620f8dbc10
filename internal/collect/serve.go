package collect

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/web/phone"
)

// ServeConfig is what Serve runs with.
type ServeConfig struct {
	Election        string // the election definition's file
	Dir             string // where kept actas go
	Center          string // the tallying center's URL, whose answers the phones compare with; optional
	Party           string // if set, keep only actas a witness of this party cosigned, and uploads signed by its witness keys
	Keys            string // if set, a file of the keys that may upload (ReadKeys), instead of the party's
	Addr            string
	TLSCert, TLSKey string
	Logger          *slog.Logger
	Listening       func(url string, pin phone.Pin) // called once listening
}

// Serve runs the collection server until ctx ends.
func Serve(ctx context.Context, cfg ServeConfig) error {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	text, err := os.ReadFile(cfg.Election)
	if err != nil {
		return err
	}
	def, err := election.Parse(text)
	if err != nil {
		return err
	}
	app, err := phone.New(text)
	if err != nil {
		return err
	}
	c, err := Open(cfg.Dir, def)
	if err != nil {
		return err
	}
	if cfg.Keys != "" {
		data, err := os.ReadFile(cfg.Keys)
		if err != nil {
			return err
		}
		vkeys, err := ReadKeys(cfg.Keys, data)
		if err != nil {
			return err
		}
		if err := c.Enrol(vkeys, "the keys of "+cfg.Keys); err != nil {
			return fmt.Errorf("%s: %w", cfg.Keys, err)
		}
	}
	if cfg.Party != "" {
		if err := c.OnlyParty(cfg.Party); err != nil {
			return fmt.Errorf("%s: %w", cfg.Election, err)
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           c.Handler(app, cfg.Center, logger),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	scheme := "http"
	if cfg.TLSCert != "" {
		scheme = "https"
	}
	if cfg.Listening != nil {
		cfg.Listening(scheme+"://"+ln.Addr().String(), app.Pin())
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
