package main

import (
	"fmt"
	"strings"

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
	var logURLs listFlag
	fs.Var(&logURLs, "log-url", "the `URL` of a log (a center's is http://HOST:PORT/log), whose URL/checkpoint is read first: refuse to\n"+
		"start if it carries this witness's cosignature on a checkpoint ahead of the state, as a state restored from a backup (repeat for each)")
	var listen listenFlags
	listen.register(fs, "127.0.0.1:7380")
	if err := parse(fs, args, "key", "state"); err != nil {
		return err
	}
	if len(logs) == 0 {
		return usagef("witness serve: missing -log")
	}
	if fs.NArg() > 0 {
		return usagef("witness serve: unexpected argument %q", fs.Arg(0))
	}
	if err := listen.check("witness serve"); err != nil {
		return err
	}
	key, err := keys.ReadFile(*keyPath)
	if err != nil {
		return err
	}
	origins := make([]string, len(logs))
	for i, l := range logs {
		origins[i] = strings.SplitN(l.Key, "+", 2)[0]
	}
	ctx, stop, logger := c.serving()
	defer stop()
	return witness.Serve(ctx, witness.ServeConfig{State: *stateDir, Key: key, Logs: logs, LogURLs: logURLs, Addr: listen.addr, TLSCert: listen.cert, TLSKey: listen.key,
		Logger: logger,
		Listening: func(url string) {
			fmt.Fprintf(c.stdout, "witness %s for %s listening on %s; the center's flag for it: -witness %s@%s\n",
				key.Name(), strings.Join(origins, ", "), url, key.Public, url)
		}})
}
