package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

var witnessServeCommand = &command{
	name: "serve",
	args: "-key FILE -log VKEY... -state DIR [-log-url URL...] [-addr HOST:PORT] [-tls-cert FILE -tls-key FILE]",
	short: "run a party's log witness: cosign the center's checkpoints (C2SP tlog-witness) only if\n" +
		"consistent with all it cosigned before; prints the center's -witness flag for it",
	run: runWitnessServe,
}

// urlFlags collects repeated string flags.
type urlFlags []string

func (u *urlFlags) String() string { return "" }

func (u *urlFlags) Set(s string) error {
	*u = append(*u, s)
	return nil
}

// logFlags collects -log VKEY flags.
type logFlags []witness.Log

func (l *logFlags) String() string { return "" }

func (l *logFlags) Set(vkey string) error {
	*l = append(*l, witness.Log{Key: vkey})
	return nil
}

func runWitnessServe(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	keyPath := fs.String("key", "", "the witness's private key `file`")
	var logs logFlags
	fs.Var(&logs, "log", "the public key `VKEY` of a log to cosign for, whose name is the log's origin (repeat for each)")
	stateDir := fs.String("state", "", "`directory` of the latest checkpoint cosigned for each log: lose it and the witness must be retired")
	var logURLs urlFlags
	fs.Var(&logURLs, "log-url", "the `URL` of a log (a center's is http://HOST:PORT/log), whose URL/checkpoint is read first: refuse to\n"+
		"start if it carries this witness's cosignature on a checkpoint ahead of the state, as a state restored from a backup (repeat for each)")
	addr := fs.String("addr", "127.0.0.1:7380", "`address` to listen on")
	cert := fs.String("tls-cert", "", "TLS certificate `file`")
	tlsKey := fs.String("tls-key", "", "TLS key `file`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "key", "state"); err != nil {
		return err
	}
	if len(logs) == 0 {
		return usagef("witness serve: missing -log")
	}
	if fs.NArg() > 0 {
		return usagef("witness serve: unexpected argument %q", fs.Arg(0))
	}
	if (*cert == "") != (*tlsKey == "") {
		return usagef("witness serve: give both -tls-cert and -tls-key, or neither")
	}
	key, err := keys.ReadFile(*keyPath)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(c.stderr, nil))
	w, err := witness.Open(*stateDir, key, logs, logger)
	if err != nil {
		return err
	}
	defer w.Close()
	for _, u := range logURLs {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := w.CheckLog(ctx, http.DefaultClient, u)
		cancel()
		if err != nil {
			return err
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", *addr)
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
	if *cert != "" {
		scheme = "https"
	}
	origins := make([]string, len(logs))
	for i, l := range logs {
		origins[i] = strings.SplitN(l.Key, "+", 2)[0]
	}
	url := fmt.Sprintf("%s://%s", scheme, ln.Addr())
	fmt.Fprintf(c.stdout, "witness %s for %s listening on %s; the center's flag for it: -witness %s@%s\n",
		key.Name(), strings.Join(origins, ", "), url, key.Public, url)
	err = serve(ctx, srv, ln, *cert, *tlsKey, logger)
	// A request being answered finishes: its checkpoint is on disk before
	// its cosignature leaves.
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if serr := srv.Shutdown(sctx); err == nil {
		err = serr
	}
	return err
}
