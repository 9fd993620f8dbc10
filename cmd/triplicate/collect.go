package main

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/triplicate-vote/triplicate/internal/collect"
	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/web/phone"
)

var collectServeCommand = &command{
	name: "serve",
	args: "-election FILE -dir DIR [-party ID] [-keys FILE] [-center URL] [-addr HOST:PORT] [-tls-cert FILE -tls-key FILE]",
	short: "run a party's collection server: serve its witnesses the phone app and keep the actas\n" +
		"they send, each only if it verifies, in DIR (a source for verify -copies)",
	run: runCollectServe,
}

func runCollectServe(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	electionFile := fs.String("election", "", "the election definition `file`; the app pins its SHA-256")
	dir := fs.String("dir", "", "the `directory` the actas received are kept in")
	party := fs.String("party", "", "keep only actas a witness of this party `ID` cosigned (its enrolled keys are who may add copies)")
	keysFile := fs.String("keys", "", "take uploads signed only by the witness keys in this `file` (one a line), instead of the party's in the definition")
	centerURL := fs.String("center", "", "the tallying center's `URL`: its answers are relayed to the phones, which compare their actas with its log")
	var listen listenFlags
	listen.register(fs, "127.0.0.1:7390")
	if err := parse(fs, args, "election", "dir"); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("collect serve: unexpected argument %q", fs.Arg(0))
	}
	if err := listen.check("collect serve"); err != nil {
		return err
	}
	ctx, stop, logger := c.serving()
	defer stop()
	return collect.Serve(ctx, collect.ServeConfig{Election: *electionFile, Dir: *dir, Center: *centerURL, Party: *party, Keys: *keysFile, Addr: listen.addr, TLSCert: listen.cert, TLSKey: listen.key,
		Logger: logger,
		Listening: func(url string, pin phone.Pin) {
			fmt.Fprintf(c.stdout, "collecting actas of election %s in %s; the witnesses' app is at %s/ (definition SHA-256 %s)\n", pin.ID, *dir, url, pin.SHA256)
		}})
}

var collectAppCommand = &command{
	name: "app",
	args: "-election FILE -o DIR",
	short: "write the witnesses' phone app as plain static files, for any web host, each with its brotli and gzip\n" +
		"beside it (NAME.br, NAME.gz) for a host that serves them with Content-Encoding: it reads, checks,\n" +
		"cosigns and keeps actas offline as served by collect serve; sending needs collect serve",
	run: runCollectApp,
}

func runCollectApp(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	electionFile := fs.String("election", "", "the election definition `file`; the app pins its SHA-256")
	out := fs.String("o", "", "the `directory` to write the app's files to")
	if err := parse(fs, args, "election", "o"); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("collect app: unexpected argument %q", fs.Arg(0))
	}
	text, err := os.ReadFile(*electionFile)
	if err != nil {
		return err
	}
	app, err := phone.New(text)
	if err != nil {
		return fmt.Errorf("%s: %w", *electionFile, err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	files, compressed := app.Files(), app.Compressed()
	for _, set := range []map[string][]byte{files, compressed} {
		for _, name := range slices.Sorted(maps.Keys(set)) {
			if err := durable.WriteFile(filepath.Join(*out, name), set[name], 0o644); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(c.stdout, "wrote the app of election %s (definition SHA-256 %s) to %s: %d files, and %d of them compressed beside them (NAME.br, NAME.gz) for a host that serves them so\n",
		app.Pin().ID, app.Pin().SHA256, *out, len(files), len(compressed))
	return nil
}
