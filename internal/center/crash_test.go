package center_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/transparency-dev/formats/log"
	fnote "github.com/transparency-dev/formats/note"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/tessera/client"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/tlog"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

const crashStations = 1500

// TestCrashChild is the center process of TestCrash; it runs only when that
// test starts it.
func TestCrashChild(t *testing.T) {
	dir, addr := os.Getenv("CRASH_CENTER_DIR"), os.Getenv("CRASH_CENTER_ADDR")
	if dir == "" {
		t.Skip("the center process of TestCrash")
	}
	f := electiontest.New(electiontest.Options{Stations: crashStations, LogWitnesses: 1})
	w := []ledger.Witness{{Key: f.Log["pa"].Public, URL: os.Getenv("CRASH_WITNESS_URL")}}
	c, err := center.Open(context.Background(), center.Config{Election: f.Def, Key: f.Center, Dir: dir, Witnesses: w, Quorum: 1})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	http.Serve(ln, c.Handler(nil)) // until killed
}

// TestCrash kills the center with SIGKILL while machines transmit, restarts
// it (its log's checkpoints cosigned by a party's witness that lives through
// the kills), and checks that every acknowledged acta is in the log at the index it
// was acknowledged with, that every checkpoint published before a kill is
// consistent with the last one, and that the results equal those of a center
// that was never interrupted.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a center process; skipped in -short mode")
	}
	f := electiontest.New(electiontest.Options{Stations: crashStations, LogWitnesses: 1})
	actas := make([][]byte, crashStations)
	for i := range actas {
		actas[i] = finalActa(t, f, fmt.Sprintf("100.%d", i+1), i%7, i%5, i%3)
	}
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	// A party's witness, which lives through the center's crashes: every
	// checkpoint must be consistent with what it cosigned before.
	wit, err := witness.Open(t.TempDir(), f.Log["pa"], []witness.Log{{Key: f.Center.Public}}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer wit.Close()
	wsrv := httptest.NewServer(wit.Handler())
	defer wsrv.Close()

	var child *exec.Cmd
	start := func() {
		child = exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
		child.Env = append(os.Environ(), "CRASH_CENTER_DIR="+dir, "CRASH_CENTER_ADDR="+addr, "CRASH_WITNESS_URL="+wsrv.URL)
		if err := child.Start(); err != nil {
			t.Fatal(err)
		}
	}
	start()

	// Machines: each sends its acta until the center acknowledges it.
	acked := make([]uint64, crashStations)
	var wg sync.WaitGroup
	next := make(chan int)
	hc := &http.Client{Timeout: 5 * time.Second}
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				for {
					resp, err := hc.Post("http://"+addr+"/v1/actas", "text/plain", bytes.NewReader(actas[i]))
					if err != nil {
						time.Sleep(20 * time.Millisecond)
						continue
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						t.Errorf("station %d: %d %s", i+1, resp.StatusCode, body)
						break
					}
					var r center.SubmitResponse
					json.Unmarshal(body, &r)
					acked[i] = r.Index
					break
				}
			}
		}()
	}
	// Meanwhile, keep every checkpoint published, and kill the center now
	// and then.
	var checkpoints [][]byte
	done := make(chan struct{})
	go func() {
		for i := range actas {
			next <- i
		}
		close(next)
		wg.Wait()
		close(done)
	}()
	kills := 0
	rnd := rand.New(rand.NewPCG(1, 2))
loop:
	for {
		select {
		case <-done:
			break loop
		case <-time.After(time.Duration(30+rnd.IntN(150)) * time.Millisecond):
		}
		if cp := fetch(hc, "http://"+addr+"/log/checkpoint"); cp != nil {
			checkpoints = append(checkpoints, cp)
		}
		if kills < 4 {
			child.Process.Kill()
			child.Wait()
			kills++
			start()
		}
	}
	// Let the last checkpoint cover everything, then stop.
	var final []byte
	v, _ := note.NewVerifier(f.Center.Public)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cp := fetch(hc, "http://"+addr+"/log/checkpoint"); cp != nil {
			if c, _, _, err := log.ParseCheckpoint(cp, v.Name(), v); err == nil && c.Size >= crashStations+1 { // and entry 0, the definition
				final = cp
				break
			}
		}
	}
	var got center.Result
	resp, err := hc.Get("http://" + addr + "/v1/results")
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	child.Process.Kill()
	child.Wait()
	if final == nil {
		t.Fatal("no checkpoint covered every acta")
	}
	t.Logf("%d actas acknowledged across %d kills; %d checkpoints seen", crashStations, kills, len(checkpoints))
	if kills < 2 {
		t.Fatalf("the machines were done after %d kills: the test killed too late to test anything", kills)
	}

	// Every acknowledged acta is in the log, at its index.
	fc, _, _, err := log.ParseCheckpoint(final, v.Name(), v)
	if err != nil {
		t.Fatal(err)
	}
	if fc.Size != crashStations+1 { // and entry 0, the definition
		t.Errorf("the log has %d entries for %d actas: some were logged twice", fc.Size, crashStations)
	}
	cv, err := fnote.NewVerifierForCosignatureV1(mustCosigKey(t, f.Log["pa"].Public))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := log.ParseCheckpoint(final, v.Name(), v, cv); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(final, []byte("— "+cv.Name()+" ")) {
		t.Error("the last checkpoint carries no cosignature of the witness")
	}
	files := client.FileFetcher{Root: filepath.Join(dir, "log")}
	entries := map[uint64][]byte{}
	if err := tlog.Entries(context.Background(), files.ReadEntryBundle, 0, fc.Size, fc.Size, func(i uint64, data []byte) error {
		entries[i] = data
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i, idx := range acked {
		if !bytes.Equal(entries[idx], actas[i]) {
			t.Errorf("station %d was acknowledged as entry %d, which holds something else", i+1, idx)
		}
	}
	// Every checkpoint seen is consistent with the last.
	pb, err := client.NewProofBuilder(context.Background(), fc.Size, files.ReadTile)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range checkpoints {
		old, _, _, err := log.ParseCheckpoint(raw, v.Name(), v)
		if err != nil {
			t.Fatal(err)
		}
		if old.Size == 0 {
			continue
		}
		p, err := pb.ConsistencyProof(context.Background(), old.Size, fc.Size)
		if err != nil {
			t.Fatal(err)
		}
		if err := proof.VerifyConsistency(rfc6962.DefaultHasher, old.Size, fc.Size, p, old.Hash, fc.Hash); err != nil {
			t.Errorf("checkpoint of size %d is not consistent with the last, of size %d: %v", old.Size, fc.Size, err)
		}
	}

	// The results are those of a center that was never interrupted (its log
	// is another history of the same origin: another witness state).
	ctx := context.Background()
	wit2, err := witness.Open(t.TempDir(), f.Log["pa"], []witness.Log{{Key: f.Center.Public}}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer wit2.Close()
	wsrv2 := httptest.NewServer(wit2.Handler())
	defer wsrv2.Close()
	c, err := center.Open(ctx, center.Config{Election: f.Def, Key: f.Center, Dir: t.TempDir(),
		Witnesses: []ledger.Witness{{Key: f.Log["pa"].Public, URL: wsrv2.URL}}, Quorum: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	submitAll(t, c, actas)
	want, _ := c.Result(ctx, "")
	if g, w := mustJSON(got), mustJSON(want); g != w {
		t.Fatalf("results after %d kills:\n%s\nuninterrupted:\n%s", kills, g, w)
	}
}

// submitAll submits actas from 32 machines at once.
func submitAll(t testing.TB, c *center.Center, actas [][]byte) {
	var wg sync.WaitGroup
	next := make(chan []byte)
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range next {
				if _, err := c.Submit(context.Background(), a); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	for _, a := range actas {
		next <- a
	}
	close(next)
	wg.Wait()
}

func mustCosigKey(t *testing.T, vkey string) string {
	k, err := fnote.VKeyToCosignatureV1(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func fetch(hc *http.Client, url string) []byte {
	resp, err := hc.Get(url)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil
	}
	b, _ := io.ReadAll(resp.Body)
	return b
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
