package center

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"k8s.io/klog/v2"
)

// ServeConfig is how [Serve] runs a center as an HTTP server: the center's
// Config, where to listen, and what to serve beside the center's own paths.
type ServeConfig struct {
	Config
	Addr            string // host:port to listen on
	TLSCert, TLSKey string // files, both or neither; neither for plain HTTP
	// AdminTokenFile holds the admin operations' bearer token (at least 16
	// characters), if Config.AdminToken is empty.
	AdminTokenFile string
	// Site serves every address but the center's own — its API under /v1/,
	// the log's files under /log/, the results' under /public/, /healthz and
	// /metrics —: the public dashboard. It is made once the center is open.
	Site func(*Center) http.Handler
	// Listening, if set, is told the server's URL once it listens.
	Listening func(url string)
}

// Serve opens the center and serves it until ctx ends or the server fails.
// Then it stops taking requests and ends those waiting for a receipt, stops
// the log once a checkpoint covers every acknowledged acta, and closes the
// index. The logger (Config.Logger) also takes Tessera's logs.
func Serve(ctx context.Context, cfg ServeConfig) error {
	if cfg.AdminTokenFile != "" && cfg.AdminToken == "" {
		b, err := os.ReadFile(cfg.AdminTokenFile)
		if err != nil {
			return err
		}
		if cfg.AdminToken = strings.TrimSpace(string(b)); len(cfg.AdminToken) < 16 {
			return fmt.Errorf("%s: the admin token must be at least 16 characters", cfg.AdminTokenFile)
		}
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	klog.SetSlogLogger(logger) // Tessera logs through klog
	if len(cfg.Witnesses) == 0 {
		logger.Warn("no witnesses: checkpoints are published without any party's cosignature")
	}
	if len(cfg.Election.PublicWitnesses) > 0 && len(cfg.PublicWitnesses) == 0 {
		logger.Warn("the election declares public witnesses, but none is given: no slow feed (/log/checkpoint.public)")
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	cfg.Registry = reg
	ctr, err := Open(ctx, cfg.Config)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		ctr.Close(context.Background())
		return err
	}
	// Requests run under a context that shutting down cancels, so that
	// receipts being waited for end at once instead of holding the server.
	reqCtx, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()
	mux := http.NewServeMux()
	api := ctr.Handler(reg)
	for _, p := range []string{"/v1/", "/log/", "/public/", "/healthz", "/metrics"} {
		mux.Handle(p, api)
	}
	if cfg.Site != nil {
		mux.Handle("/", cfg.Site(ctr))
	}
	srv := &http.Server{
		Handler:           mux,
		BaseContext:       func(net.Listener) context.Context { return reqCtx },
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      90 * time.Second, // receipts may wait up to a minute
		IdleTimeout:       2 * time.Minute,
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
	cancelRequests()
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if serr := srv.Shutdown(sctx); serr != nil {
		logger.Warn("requests still running at shutdown", "err", serr)
	}
	cctx, cancelClose := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancelClose()
	if cerr := ctr.Close(cctx); err == nil {
		err = cerr
	}
	return err
}
