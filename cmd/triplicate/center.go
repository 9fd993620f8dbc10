package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/triplicate-vote/triplicate/internal/boundaries"
	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/web/dashboard"
)

var centerServeCommand = &command{
	name: "serve",
	args: "-election FILE -key FILE -data DIR [-store postgres://...] [-log mysql://...] [-publish=false] [-addr HOST:PORT] [-witness KEY@URL... -quorum K] [-public-witness KEY@URL... -public-interval D] [-admin-token-file FILE] [-tls-cert FILE -tls-key FILE] [-report FILE]",
	short: "run the tallying center: ingest signed actas into the public log under the witness policy,\n" +
		"serve results, receipts and the log's files, and the public results dashboard at /",
	run: runCenterServe,
}

var centerRebuildCommand = &command{
	name:  "rebuild",
	args:  "-election FILE -data DIR [-store postgres://...] [-log mysql://...]",
	short: "make the center's index anew from its log alone (with the center, or every front-end, stopped)",
	run:   runCenterRebuild,
}

// witnessFlags collects -witness KEY@URL flags.
type witnessFlags []ledger.Witness

func (w *witnessFlags) String() string { return "" }

func (w *witnessFlags) Set(s string) error {
	wit, err := ledger.ParseWitness(s)
	if err != nil {
		return err
	}
	*w = append(*w, wit)
	return nil
}

func runCenterServe(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	defPath := fs.String("election", "", "election definition `file`")
	keyPath := fs.String("key", "", "the center's private key `file` (its public key must be the definition's center key)")
	dir := fs.String("data", "", "`directory` of the log, and of its index without -store")
	storeURL := storeFlag(fs)
	logURL := fs.String("log", "", "keep the log in the MySQL (MariaDB) database at `URL` (mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE),\n"+
		"which several centers, each with its own data directory, may share as front-ends of one election,\n"+
		"instead of files in the data directory")
	var listen listenFlags
	listen.register(fs, "127.0.0.1:7300")
	var witnesses witnessFlags
	fs.Var(&witnesses, "witness", "a party's log witness: its cosignature `KEY@URL` (repeat for each)")
	quorum := fs.Int("quorum", 0, "of how many parties witnesses must cosign a checkpoint before it is published (default: every party of the -witness list)")
	var public witnessFlags
	fs.Var(&public, "public-witness", "a public witness the election declares (publicwitness): its cosignature `KEY@URL`, asked to cosign\n"+
		"the slow feed, /log/checkpoint.public (repeat for each)")
	publicEvery := fs.Duration("public-interval", ledger.DefaultPublicInterval, "the least `time` between two requests to one public witness")
	tokenFile := fs.String("admin-token-file", "", "`file` holding the bearer token of the admin operations")
	report := fs.String("report", "", "a verifier's JSON report `file` (triplicate verify -json) whose findings the dashboard shows; read again when it changes, and waited for if it does not exist yet")
	keepResults := fs.Int("keep-results", center.DefaultPublishKeep, "how many publications of the results' static files (DATA/public/results/SIZE/, one a published log size) to keep")
	publish := fs.Bool("publish", true, "write the results' static files (DATA/public/results/) and serve them under /public/; with several\n"+
		"front-ends of one shared log, give -publish=false to all but the one the CDN's /public/ origin points at")
	publishEvery := fs.Duration("publish-interval", center.DefaultPublishInterval, "the least `time` between two publications of the results' static files")
	if err := parse(fs, args, "key", "data"); err != nil {
		return err
	}
	if *keepResults < 1 {
		return usagef("center serve: -keep-results must be at least 1")
	}
	if *publishEvery <= 0 {
		return usagef("center serve: -publish-interval must be positive")
	}
	if *publicEvery < time.Second {
		return usagef("center serve: -public-interval must be at least 1s: public witnesses take about a request a second per log at most")
	}
	if err := listen.check("center serve"); err != nil {
		return err
	}
	def, err := readElection(*defPath)
	if err != nil {
		return err
	}
	key, err := keys.ReadFile(*keyPath)
	if err != nil {
		return err
	}
	shapes, err := boundaries.Read(def, filepath.Dir(*defPath))
	if err != nil {
		return fmt.Errorf("%s: %w", *defPath, err)
	}
	if *report != "" {
		if err := dashboard.CheckReport(*report, def.ID); err != nil {
			return err
		}
	}
	ctx, stop, logger := c.serving()
	defer stop()
	return center.Serve(ctx, center.ServeConfig{
		Config: center.Config{Election: def, Key: key, Dir: *dir, Store: *storeURL, Log: *logURL, Witnesses: witnesses, Quorum: *quorum,
			PublicWitnesses: public, PublicInterval: *publicEvery,
			Logger: logger, PublishKeep: *keepResults, PublishInterval: *publishEvery, NoPublish: !*publish},
		Addr: listen.addr, TLSCert: listen.cert, TLSKey: listen.key, AdminTokenFile: *tokenFile,
		Site: func(ctr *center.Center) http.Handler {
			return dashboard.New(ctr, dashboard.Options{Report: *report, Boundaries: shapes, Logger: logger})
		},
		Listening: func(url string) {
			fmt.Fprintf(c.stdout, "center of election %s listening on %s (log origin %s, %d witnesses, quorum %d)\n",
				def.ID, url, key.Name(), len(witnesses), *quorum)
		},
	})
}

func runCenterRebuild(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	defPath := fs.String("election", "", "election definition `file`")
	dir := fs.String("data", "", "`directory` of the log, and of its index without -store (not needed with both -log and -store)")
	storeURL := storeFlag(fs)
	logURL := fs.String("log", "", "read the log from the MySQL (MariaDB) database at `URL` (mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE)\n"+
		"that the front-ends share, with every front-end stopped")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *dir == "" && (*logURL == "" || *storeURL == "") {
		if err := requireFlags(fs, "data"); err != nil {
			return err
		}
	}
	def, err := readElection(*defPath)
	if err != nil {
		return err
	}
	n, err := center.Rebuild(context.Background(), center.Config{Election: def, Dir: *dir, Store: *storeURL, Log: *logURL})
	if err != nil {
		return err
	}
	// Not the URLs themselves: they may hold a password.
	from, into := "its log", "the index of "+*dir
	if *logURL != "" {
		from = "the shared log"
	}
	if *dir == "" {
		into = "the index"
	}
	if *storeURL != "" {
		into += " in PostgreSQL"
	}
	fmt.Fprintf(c.stdout, "rebuilt %s from %d entries of %s\n", into, n, from)
	return nil
}

// storeFlag is the -store flag of center serve and center rebuild.
func storeFlag(fs *flag.FlagSet) *string {
	return fs.String("store", "", "keep the index in the PostgreSQL database at `URL` (postgres://...), in the schema its\n"+
		"schema parameter names (default triplicate_ELECTIONID), instead of SQLite in the data directory")
}
