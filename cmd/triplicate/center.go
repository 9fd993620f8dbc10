package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"k8s.io/klog/v2"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/machine"
	"github.com/triplicate-vote/triplicate/internal/web/dashboard"
)

var centerServeCommand = &command{
	name: "serve",
	args: "-election FILE -key FILE -data DIR [-store postgres://...] [-log mysql://...] [-publish=false] [-addr HOST:PORT] [-witness KEY@URL... -quorum K] [-admin-token-file FILE] [-tls-cert FILE -tls-key FILE] [-report FILE]",
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

var machineTransmitCommand = &command{
	name:  "transmit",
	args:  "-dir DIR -center URL [-timeout D]",
	short: "send the final acta to the tallying center, retrying until it is logged, and keep the receipt",
	run:   runMachineTransmit,
}

// witnessFlags collects -witness KEY@URL flags.
type witnessFlags []ledger.Witness

func (w *witnessFlags) String() string { return "" }

// Set splits KEY@URL where the URL's scheme begins: a key's name may hold
// an @, and so may a URL.
func (w *witnessFlags) Set(s string) error {
	i := strings.Index(s, "@http://")
	if j := strings.Index(s, "@https://"); i < 0 || (j >= 0 && j < i) {
		i = j
	}
	if i <= 0 {
		return fmt.Errorf("want KEY@URL with an http:// or https:// URL, have %q", s)
	}
	*w = append(*w, ledger.Witness{Key: s[:i], URL: s[i+1:]})
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
	addr := fs.String("addr", "127.0.0.1:7300", "`address` to listen on")
	var witnesses witnessFlags
	fs.Var(&witnesses, "witness", "a party's log witness: its cosignature `KEY@URL` (repeat for each)")
	quorum := fs.Int("quorum", 0, "of how many parties witnesses must cosign a checkpoint before it is published (default: every party of the -witness list)")
	tokenFile := fs.String("admin-token-file", "", "`file` holding the bearer token of the admin operations")
	cert := fs.String("tls-cert", "", "TLS certificate `file`")
	tlsKey := fs.String("tls-key", "", "TLS key `file`")
	report := fs.String("report", "", "a verifier's JSON report `file` (triplicate verify -json) whose findings the dashboard's station pages show, read again when it changes")
	keepResults := fs.Int("keep-results", center.DefaultPublishKeep, "how many publications of the results' static files (DATA/public/results/SIZE/, one a published log size) to keep")
	publish := fs.Bool("publish", true, "write the results' static files (DATA/public/results/) and serve them under /public/; with several\n"+
		"front-ends of one shared log, give -publish=false to all but the one the CDN's /public/ origin points at")
	publishEvery := fs.Duration("publish-interval", center.DefaultPublishInterval, "the least `time` between two publications of the results' static files")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *keepResults < 1 {
		return usagef("center serve: -keep-results must be at least 1")
	}
	if *publishEvery <= 0 {
		return usagef("center serve: -publish-interval must be positive")
	}
	if err := required(fs, "key", "data"); err != nil {
		return err
	}
	if (*cert == "") != (*tlsKey == "") {
		return usagef("center serve: give both -tls-cert and -tls-key, or neither")
	}
	def, err := readElection(*defPath)
	if err != nil {
		return err
	}
	key, err := keys.ReadFile(*keyPath)
	if err != nil {
		return err
	}
	var token string
	if *tokenFile != "" {
		b, err := os.ReadFile(*tokenFile)
		if err != nil {
			return err
		}
		if token = strings.TrimSpace(string(b)); len(token) < 16 {
			return fmt.Errorf("%s: the admin token must be at least 16 characters", *tokenFile)
		}
	}
	if *report != "" {
		if err := dashboard.CheckReport(*report, def.ID); err != nil {
			return err
		}
	}
	logger := slog.New(slog.NewJSONHandler(c.stderr, nil))
	klog.SetSlogLogger(logger) // Tessera logs through klog
	if len(witnesses) == 0 {
		logger.Warn("no witnesses: checkpoints are published without any party's cosignature")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	ctr, err := center.Open(ctx, center.Config{
		Election: def, Key: key, Dir: *dir, Store: *storeURL, Log: *logURL, Witnesses: witnesses, Quorum: *quorum,
		AdminToken: token, Logger: logger, Registry: reg, PublishKeep: *keepResults, PublishInterval: *publishEvery, NoPublish: !*publish,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		ctr.Close(context.Background())
		return err
	}
	// Requests run under a context that shutting down cancels, so that
	// receipts being waited for end at once instead of holding the server.
	reqCtx, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()
	srv := &http.Server{
		Handler:           withDashboard(ctr.Handler(reg), dashboard.New(ctr, dashboard.Options{Report: *report, Logger: logger})),
		BaseContext:       func(net.Listener) context.Context { return reqCtx },
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      90 * time.Second, // receipts may wait up to a minute
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	scheme := "http"
	if *cert != "" {
		scheme = "https"
	}
	fmt.Fprintf(c.stdout, "center of election %s listening on %s://%s (log origin %s, %d witnesses, quorum %d)\n",
		def.ID, scheme, ln.Addr(), key.Name(), len(witnesses), *quorum)
	err = serve(ctx, srv, ln, *cert, *tlsKey, logger)
	// Stop taking requests and end those waiting; then stop the log, once a
	// checkpoint covers every acknowledged acta; then close the index.
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

// withDashboard routes the center's API, its log's and results' files, its
// health and metrics to api, and every other address to the dashboard.
func withDashboard(api, dashboard http.Handler) http.Handler {
	mux := http.NewServeMux()
	for _, p := range []string{"/v1/", "/log/", "/public/", "/healthz", "/metrics"} {
		mux.Handle(p, api)
	}
	mux.Handle("/", dashboard)
	return mux
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
		if err := required(fs, "data"); err != nil {
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

func runMachineTransmit(c *cli, self *command, args []string) error {
	var centerURL string
	var timeout time.Duration
	_, dir, err := dirFlags(c, self, args, func(fs *flag.FlagSet) {
		fs.StringVar(&centerURL, "center", "", "the tallying center's `URL`")
		fs.DurationVar(&timeout, "timeout", 10*time.Minute, "how long to keep trying")
	})
	if err != nil {
		return err
	}
	if centerURL == "" {
		return usagef("machine transmit: missing -center URL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return onTerminal(dir, func(t *machine.Terminal) error {
		tr, err := t.Transmit(ctx, centerURL, &http.Client{Timeout: 30 * time.Second})
		if err != nil {
			return err
		}
		st := t.Status()
		fmt.Fprintf(c.stdout, "station %s: final acta logged as entry %d (%s) after %d attempts\n", st.Station, tr.Index, tr.Status, tr.Attempts)
		fmt.Fprintf(c.stdout, "receipt: published checkpoint of %d entries, inclusion proof verified; kept in %s/receipt.json\n", tr.LogSize, dir)
		return nil
	})
}
