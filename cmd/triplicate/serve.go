package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// listenFlags are the -addr, -tls-cert and -tls-key flags of a server.
type listenFlags struct{ addr, cert, key string }

func (l *listenFlags) register(fs *flag.FlagSet, addr string) {
	fs.StringVar(&l.addr, "addr", addr, "`address` to listen on")
	fs.StringVar(&l.cert, "tls-cert", "", "TLS certificate `file`")
	fs.StringVar(&l.key, "tls-key", "", "TLS key `file`")
}

// check reports a usage error for a TLS certificate without its key, or
// the other way round.
func (l *listenFlags) check(cmd string) error {
	if (l.cert == "") != (l.key == "") {
		return usagef("%s: give both -tls-cert and -tls-key, or neither", cmd)
	}
	return nil
}

// serving returns what a server runs with: a context that an interrupt or
// SIGTERM ends, and a JSON logger on stderr.
func (c *cli) serving() (context.Context, context.CancelFunc, *slog.Logger) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	return ctx, stop, slog.New(slog.NewJSONHandler(c.stderr, nil))
}
