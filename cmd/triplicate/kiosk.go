package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/triplicate-vote/triplicate/internal/machine"
	"github.com/triplicate-vote/triplicate/internal/web/kiosk"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

var machineServeCommand = &command{
	name: "serve",
	args: "-dir DIR [-addr HOST:PORT] [-pin-file FILE] [-print-command CMD] [-center URL] [-election FILE -station ID -key FILE]",
	short: "serve the station's terminal as a kiosk page: voters select, review and cast, and the kiosk prints\n" +
		"their voucher with -print-command (sh -c CMD, the voucher's PDF on its stdin); the poll worker logs in\n" +
		"at /worker with a PIN, read from -pin-file or $TRIPLICATE_PIN (never a flag's value, which ps shows),\n" +
		"to open the polls, enable each voter's ballot, close and transmit. -election, -station and -key set up\n" +
		"DIR, as for open.",
	run: runMachineServe,
}

// pinEnv names the environment variable that may hold the poll worker's PIN.
const pinEnv = "TRIPLICATE_PIN"

// minPIN is the fewest characters a PIN may have: with the kiosk's lockout,
// six digits take years to guess.
const minPIN = 6

func runMachineServe(c *cli, self *command, args []string) error {
	var set setupFlags
	var addr, pinFile, printCmd, centerURL string
	_, dir, err := dirFlags(c, self, args, func(fs *flag.FlagSet) {
		set.register(fs)
		fs.StringVar(&addr, "addr", "127.0.0.1:8090", "`address` to listen on")
		fs.StringVar(&pinFile, "pin-file", "", "`file` holding the poll worker's PIN (else $"+pinEnv+")")
		fs.StringVar(&printCmd, "print-command", "", "shell `command` that prints a voucher, its PDF on stdin, keeping no copy\n(e.g. 'lp -d voucher -o job-sheets=none -' with CUPS's PreserveJobFiles No)")
		fs.StringVar(&centerURL, "center", "", "the tallying center's `URL`, to transmit the final acta to")
	})
	if err != nil {
		return err
	}
	pin, err := readPIN(pinFile)
	if err != nil {
		return err
	}
	if err := set.setup(self, dir); err != nil {
		return err
	}
	// From before the terminal is loaded: a signal then still releases it.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return onTerminal(dir, func(t *machine.Terminal) error {
		logger := slog.New(slog.NewJSONHandler(c.stderr, nil))
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return err
		}
		cfg := kiosk.Config{PIN: pin, Center: centerURL, Logger: logger}
		if printCmd != "" {
			cfg.Print = printCommand(printCmd)
		} else {
			logger.Warn("kiosk: no -print-command: vouchers are shown and not printed")
		}
		srv := kioskServer(t, cfg)
		st := t.Status()
		fmt.Fprintf(c.stdout, "kiosk of station %s (election %s, polls %s) listening on http://%s\n", st.Station, st.Election, st.Phase, ln.Addr())
		err = serve(ctx, srv, ln, "", "", logger)
		// A vote being cast finishes: its record is on disk before its
		// voucher leaves.
		sctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
		defer cancel()
		if serr := srv.Shutdown(sctx); err == nil {
			err = serr
		}
		return err
	})
}

// kioskServer is the kiosk's HTTP server: its pages, and their scripts and
// styles under /assets/. Its write timeout leaves a transmission its time.
func kioskServer(t *machine.Terminal, cfg kiosk.Config) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /assets/", page.Assets())
	mux.Handle("/", kiosk.New(t, cfg))
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

// readPIN reads the poll worker's PIN from a file, else from $TRIPLICATE_PIN.
func readPIN(file string) (string, error) {
	var pin, from string
	switch {
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", err
		}
		pin, from = strings.TrimRight(string(b), "\r\n"), file
	case os.Getenv(pinEnv) != "":
		pin, from = os.Getenv(pinEnv), "$"+pinEnv
	default:
		return "", usagef("machine serve: give the poll worker's PIN in a file (-pin-file FILE) or in $%s", pinEnv)
	}
	switch {
	case !utf8.ValidString(pin) || strings.ContainsAny(pin, "\r\n"):
		return "", fmt.Errorf("%s: the PIN must be one line of text", from)
	case utf8.RuneCountInString(pin) < minPIN:
		return "", fmt.Errorf("%s: the PIN has %d characters, want at least %d", from, utf8.RuneCountInString(pin), minPIN)
	}
	return pin, nil
}

// printTimeout bounds a print command: a printer that hangs fails the
// voucher's printing, which the voter may then try again.
const printTimeout = 30 * time.Second

// printCommand returns a kiosk's printer that runs a shell command with a
// voucher's PDF on its standard input. Its error says how the command
// failed and the start of what it wrote to standard error, never anything
// of the voucher.
func printCommand(cmd string) func(pdf []byte) error {
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
