package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"k8s.io/klog/v2"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/machine"
	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// demoCenter runs two parties' log witnesses and the tallying center on
// loopback, has every terminal transmit its final acta over HTTP and keep its
// receipt, and returns the center's totals and the size of the last published
// checkpoint.
func demoCenter(ctx context.Context, out string, e *simulate.Election) (*center.Result, uint64, error) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	klog.SetSlogLogger(quiet) // Tessera's logs
	var ws []ledger.Witness
	for _, lw := range e.Def.LogWitnesses {
		k := e.Log[lw.Party]
		w, err := witness.Open(filepath.Join(out, "witness-"+lw.Party), k, []witness.Log{{Key: e.Center.Public}}, quiet)
		if err != nil {
			return nil, 0, err
		}
		defer w.Close()
		url, stop, err := serveLoopback(w.Handler())
		if err != nil {
			return nil, 0, err
		}
		defer stop()
		ws = append(ws, ledger.Witness{Key: k.Public, URL: url})
	}
	c, err := center.Open(ctx, center.Config{Election: e.Def, Key: e.Center, Dir: filepath.Join(out, "center"),
		Witnesses: ws, Quorum: len(ws), Logger: quiet})
	if err != nil {
		return nil, 0, err
	}
	url, stop, err := serveLoopback(c.Handler(nil))
	if err != nil {
		c.Close(ctx)
		return nil, 0, err
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	var wg sync.WaitGroup
	next := make(chan simulate.Table)
	errc := make(chan error, len(e.Tables))
	for range 256 { // machines transmitting at once
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range next {
				errc <- transmitStation(ctx, filepath.Join(out, "stations", t.Station), url, client)
			}
		}()
	}
	for _, t := range e.Tables {
		next <- t
	}
	close(next)
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			stop()
			c.Close(ctx)
			return nil, 0, err
		}
	}
	res, _ := c.Result(ctx, "")
	stop()
	if err := c.Close(ctx); err != nil {
		return nil, 0, err
	}
	cp, err := c.Ledger().Published(ctx)
	if err != nil {
		return nil, 0, err
	}
	return res, cp.Size, nil
}

func transmitStation(ctx context.Context, dir, url string, client *http.Client) error {
	t, err := machine.Load(dir, machine.Options{NoSync: true})
	if err != nil {
		return err
	}
	defer t.Close()
	_, err = t.Transmit(ctx, url, client)
	return err
}

// serveLoopback serves h on a free port of 127.0.0.1 until stop is called.
func serveLoopback(h http.Handler) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// checkTotals compares the center's totals with the real tally sheets.
func checkTotals(res *center.Result, e *simulate.Election) error {
	for _, x := range res.Contests[0].Candidates {
		want := 0
		for _, t := range e.Tables {
			want += t.Votes[x.ID]
		}
		if x.Votes != want {
			return fmt.Errorf("the center counts %d votes for %s, the tally sheets %d", x.Votes, x.ID, want)
		}
	}
	if res.StationsReported != len(e.Tables) {
		return fmt.Errorf("the center has %d of %d stations", res.StationsReported, len(e.Tables))
	}
	return nil
}
