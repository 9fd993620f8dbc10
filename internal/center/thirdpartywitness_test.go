package center_test

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/tlog"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// cosignatureKey returns a note verifier key in the C2SP cosignature/v1
// form (key type 0x04) that witnesses' key generators print.
func cosignatureKey(t testing.TB, vkey string) string {
	t.Helper()
	k, err := fnote.VKeyToCosignatureV1(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// waitPolicyCheckpoint waits for a published checkpoint of at least size entries
// and checks it against the election's policy, as machines and verifiers
// do.
func waitPolicyCheckpoint(t testing.TB, c *center.Center, def *election.Definition, size uint64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		cp, err := c.Ledger().Published(context.Background())
		if err == nil && cp.Size >= size {
			if _, err := tlog.ElectionPolicy(def).Check(cp.Raw); err != nil {
				t.Fatalf("published checkpoint of size %d fails the election's policy: %v\n%s", cp.Size, err, cp.Raw)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no published checkpoint of size %d: %v", size, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestCosignatureFormWitnessKeys: log witness keys written in the
// cosignature/v1 form, in the definition (logwitness PARTY KEY) and in the
// center's witness list (-witness KEY@URL), as witness software prints them.
func TestCosignatureFormWitnessKeys(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 2})
	text := strings.Replace(string(f.Text), f.Log["pa"].Public, cosignatureKey(t, f.Log["pa"].Public), 1)
	def, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatalf("definition with a cosignature/v1 log witness key: %v", err)
	}
	var ws []ledger.Witness
	for _, p := range []string{"pa", "pb"} {
		w, err := witness.Open(t.TempDir(), f.Log[p], []witness.Log{{Key: f.Center.Public}}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(w.Handler())
		t.Cleanup(func() { srv.Close(); w.Close() })
		key := f.Log[p].Public
		if p == "pb" {
			key = cosignatureKey(t, key) // the other form in the center's list
		}
		ws = append(ws, ledger.Witness{Key: key, URL: srv.URL})
	}
	c, err := center.Open(context.Background(), center.Config{Election: def, Key: f.Center, Dir: t.TempDir(), Witnesses: ws, Quorum: 2})
	if err != nil {
		t.Fatalf("center with cosignature/v1 witness keys: %v", err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	f.Def = def
	if _, err := c.Submit(context.Background(), finalActa(t, f, "100.1", 3, 2, 1)); err != nil {
		t.Fatal(err)
	}
	waitPolicyCheckpoint(t, c, def, 1)
}

// TestLitewitness runs a third-party C2SP tlog-witness, litewitness of
// filippo.io/torchwood (a tool of this module, pinned in go.mod), as the
// center's only log witness: it cosigns the center's checkpoints, the
// center publishes them, and the election's policy accepts them. Its key is
// enrolled as litewitness prints it, in the cosignature/v1 form. It builds
// the tool with the go command, so it is skipped in -short mode.
func TestLitewitness(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 1})
	vkey, url := startLitewitness(t, f.Center, f.Log["pa"])

	// The election enrols the key as litewitness printed it; the center's
	// only witness is litewitness.
	def, err := election.Parse([]byte(strings.Replace(string(f.Text), f.Log["pa"].Public, vkey, 1)))
	if err != nil {
		t.Fatalf("definition enrolling litewitness's key: %v", err)
	}
	f.Def = def
	c, err := center.Open(context.Background(), center.Config{Election: def, Key: f.Center, Dir: t.TempDir(),
		Witnesses: []ledger.Witness{{Key: vkey, URL: url}}, Quorum: 1})
	if err != nil {
		t.Fatalf("center with litewitness: %v", err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	// Two checkpoints past the first: the second needs a consistency proof.
	for i, st := range []string{"100.1", "100.2"} {
		if _, err := c.Submit(context.Background(), finalActa(t, f, st, 3, 2, 1)); err != nil {
			t.Fatal(err)
		}
		waitPolicyCheckpoint(t, c, def, uint64(i+1))
	}
}

// startLitewitness builds and runs litewitness, a witness of the log of
// center that cosigns with key, and returns its verifier key as it prints
// it and its URL. It skips the test in -short mode.
func startLitewitness(t *testing.T, center, key *keys.Key) (vkey, url string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs litewitness; skipped in -short mode")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build litewitness")
	}
	bin := t.TempDir()
	build := exec.Command(gobin, "build", "-o", bin+"/", "filippo.io/torchwood/cmd/litewitness", "filippo.io/torchwood/cmd/witnessctl")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building litewitness: %v\n%s", err, out)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "litewitness.db")
	origin := center.Name()
	for _, args := range [][]string{
		{"add-log", "-db", db, "-origin", origin},
		{"add-key", "-db", db, "-origin", origin, "-key", center.Public},
	} {
		if out, err := exec.Command(filepath.Join(bin, "witnessctl"), args...).CombinedOutput(); err != nil {
			t.Fatalf("witnessctl %s: %v\n%s", args[0], err, out)
		}
	}

	// litewitness signs with a key of an ssh-agent: serve one holding the
	// witness's key.
	priv := ed25519.NewKeyFromSeed(keySeed(t, key.Private))
	keyring := agent.NewKeyring()
	if err := keyring.Add(agent.AddedKey{PrivateKey: priv}); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "agent.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { agent.ServeAgent(keyring, conn); conn.Close() }()
		}
	}()
	sshPub, err := ssh.NewPublicKey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}

	pl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := pl.Addr().String()
	pl.Close()
	lw := exec.Command(filepath.Join(bin, "litewitness"), "-db", db, "-ssh-agent", sock,
		"-name", key.Name(), "-key", ssh.FingerprintSHA256(sshPub), "-listen", addr)
	stderr, err := lw.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := lw.Start(); err != nil {
		t.Fatal(err)
	}
	// The verifier key litewitness prints, and its log after; the log is
	// read to its end before the process is waited for.
	vkeys := make(chan string, 1)
	done := make(chan struct{})
	t.Cleanup(func() {
		lw.Process.Signal(os.Interrupt)
		<-done
		lw.Wait()
	})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			t.Log("litewitness: " + line)
			if _, v, ok := strings.Cut(line, "vkey="); ok {
				select {
				case vkeys <- strings.Fields(v)[0]:
				default:
				}
			}
		}
	}()
	select {
	case vkey = <-vkeys:
	case <-time.After(20 * time.Second):
		t.Fatal("litewitness printed no verifier key")
	}
	if vkey != cosignatureKey(t, key.Public) {
		t.Fatalf("litewitness's key %s, want the cosignature/v1 form of %s", vkey, key.Public)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("litewitness does not listen")
		}
	}
	return vkey, "http://" + addr
}

// keySeed returns the Ed25519 seed of a note signer key.
func keySeed(t testing.TB, skey string) []byte {
	t.Helper()
	i := strings.LastIndexByte(skey, '+')
	raw, err := base64.StdEncoding.DecodeString(skey[i+1:])
	if err != nil || len(raw) != 1+ed25519.SeedSize {
		t.Fatalf("malformed signer key")
	}
	return raw[1:]
}
