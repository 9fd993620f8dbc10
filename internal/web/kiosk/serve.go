package kiosk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/triplicate-vote/triplicate/internal/machine"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// minPIN is the fewest characters a PIN may have: with the kiosk's lockout,
// six digits take years to guess.
const minPIN = 6

// CheckPIN checks a poll worker's PIN: one line of text, at least six
// characters.
func CheckPIN(pin string) error {
	switch {
	case !utf8.ValidString(pin) || strings.ContainsAny(pin, "\r\n"):
		return errors.New("the PIN must be one line of text")
	case utf8.RuneCountInString(pin) < minPIN:
		return fmt.Errorf("the PIN has %d characters, want at least %d", utf8.RuneCountInString(pin), minPIN)
	}
	return nil
}

// Serve serves a terminal's kiosk (its pages, and their scripts and
// styles under /assets/) on addr until ctx ends or the server fails; a vote
// being cast then finishes: its record is on disk before its voucher
// leaves. listening, if not nil, is told the server's URL once it listens.
func Serve(ctx context.Context, t *machine.Terminal, addr string, cfg Config, listening func(url string)) error {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := kioskServer(t, cfg)
	if listening != nil {
		listening("http://" + ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err = <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
	case <-ctx.Done():
		cfg.Logger.Info("shutting down")
	}
	sctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	if serr := srv.Shutdown(sctx); err == nil {
		err = serr
	}
	return err
}

// kioskServer is the kiosk's HTTP server. Its write timeout leaves a
// transmission its time.
func kioskServer(t *machine.Terminal, cfg Config) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /assets/", page.Assets())
	mux.Handle("/", New(t, cfg))
	return &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
}

// printTimeout bounds a print command: a printer that hangs fails the
// voucher's printing, which the voter may then try again.
const printTimeout = 30 * time.Second

// PrintCommand returns a kiosk's printer (Config.Print) that runs a
// shell command with a voucher's PDF on its standard input. Its error says
// how the command failed and the start of what it wrote to standard error,
// never anything of the voucher.
func PrintCommand(cmd string) func(pdf []byte) error {
	return func(pdf []byte) error {
		ctx, cancel := context.WithTimeout(context.Background(), printTimeout)
		defer cancel()
		c := exec.CommandContext(ctx, "sh", "-c", cmd)
		c.Stdin = bytes.NewReader(pdf)
		var stderr bytes.Buffer
		c.Stderr = &stderr
		if err := c.Run(); err != nil {
			msg, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
			if len(msg) > 200 {
				msg = msg[:200]
			}
			if msg != "" {
				return fmt.Errorf("print command: %v: %s", err, msg)
			}
			return fmt.Errorf("print command: %v", err)
		}
		return nil
	}
}
