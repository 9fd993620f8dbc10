package machine

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// closedStation returns a station that voted and closed, and its fixture.
func closedStation(t *testing.T) (*Terminal, string, *electiontest.Fixture) {
	f := electiontest.New(electiontest.Options{})
	dir := filepath.Join(t.TempDir(), "100.1")
	if err := Setup(dir, f.Def, "100.1", f.Machines["100.1"].Private); err != nil {
		t.Fatal(err)
	}
	term := load(t, dir, Options{NoSync: true})
	if _, err := term.Transmit(context.Background(), "http://127.0.0.1:1", http.DefaultClient); err == nil {
		t.Fatal("transmitted before the polls opened")
	}
	if _, err := term.Open(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"ALBA", "BRUNO", "ALBA"} {
		if _, err := term.Vote(map[string]string{"president": c}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := term.ClosePolls(); err != nil {
		t.Fatal(err)
	}
	return term, dir, f
}

func TestTransmit(t *testing.T) {
	term, dir, f := closedStation(t)
	ctx := context.Background()
	c, err := center.Open(ctx, center.Config{Election: f.Def, Key: f.Center, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	// The center comes up only after the machine has started trying.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	go func() {
		time.Sleep(700 * time.Millisecond)
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Error(err)
			return
		}
		http.Serve(ln, c.Handler(nil))
	}()
	tr, err := term.Transmit(ctx, "http://"+addr, http.DefaultClient)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Index != 1 || tr.Status != "accepted" || tr.Attempts < 2 || tr.LogSize < 2 {
		t.Fatalf("transmission %+v: want entry 1 (entry 0 is the definition), accepted, after retries", tr)
	}
	if _, err := os.Stat(filepath.Join(dir, receiptFile)); err != nil {
		t.Fatal(err)
	}
	// Again: the same entry.
	tr, err = term.Transmit(ctx, "http://"+addr, http.DefaultClient)
	if err != nil || tr.Index != 1 || tr.Status != "duplicate" {
		t.Fatalf("second transmission: %+v, %v", tr, err)
	}
}

func TestTransmitRefusedOrUnreachable(t *testing.T) {
	term, _, _ := closedStation(t)
	// A center that does not know the machine's key refuses for good.
	other := electiontest.New(electiontest.Options{Seed: "other"})
	c, err := center.Open(context.Background(), center.Config{Election: other.Def, Key: other.Center, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	srv := httptest.NewServer(c.Handler(nil))
	defer srv.Close()
	if _, err := term.Transmit(context.Background(), srv.URL, http.DefaultClient); !errors.Is(err, ErrRefused) {
		t.Fatalf("transmit to a center of another election: %v, want ErrRefused", err)
	}
	// Nobody listening: it keeps trying until the context ends.
	ctx, cancel := context.WithTimeout(context.Background(), 800*time.Millisecond)
	defer cancel()
	if _, err := term.Transmit(ctx, "http://127.0.0.1:1", http.DefaultClient); err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("transmit to nobody: %v", err)
	}
}
