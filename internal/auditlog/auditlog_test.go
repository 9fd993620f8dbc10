package auditlog_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/transparency-dev/tessera/client"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/auditlog"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

const seed = "12345678901234567890"

// witnessedAudit is an ALPHA audit of a fixture's election, announced with
// a seed commitment and run to its end, its trail published step by step
// in its log, which a party's witness cosigns as the election requires. It
// returns the audit's directory, the election, and the checkpoint
// published after the first step (the commitment alone).
func witnessedAudit(t *testing.T) (string, *election.Definition, []byte) {
	t.Helper()
	f := electiontest.New(electiontest.Options{Seed: "auditlog", Stations: 6, Registered: 400, LogWitnesses: 1})
	def := f.Def
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	w, err := witness.Open(t.TempDir(), f.Log["pa"], []witness.Log{{Key: f.Auditor.Public}}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	wsrv := httptest.NewServer(w.Handler())
	t.Cleanup(func() { wsrv.Close(); w.Close() })

	rng := rand.New(rand.NewPCG(3, 4))
	paper := map[string][]string{}
	var ann strings.Builder
	ann.WriteString(`{"election":"test","stations":[`)
	for i, st := range def.Stations {
		v := [5]int{260, 90, 30, 10, 10}
		if i > 0 {
			ann.WriteString(",")
		}
		fmt.Fprintf(&ann, `{"station":%q,"index":0,"registered":%d,"ballots":%d,"contests":[{"id":"president","candidates":[{"id":"ALBA","votes":%d},{"id":"BRUNO","votes":%d},{"id":"CORA","votes":%d}],"blank":%d,"null":%d}]}`,
			st.ID, st.Registered, v[0]+v[1]+v[2]+v[3]+v[4], v[0], v[1], v[2], v[3], v[4])
		var box []string
		for j, name := range []string{"ALBA", "BRUNO", "CORA", "blank", "null"} {
			for range v[j] {
				box = append(box, name)
			}
		}
		rng.Shuffle(len(box), func(i, j int) { box[i], box[j] = box[j], box[i] })
		paper[st.ID] = box
	}
	ann.WriteString("]}")

	ctx := context.Background()
	dir := t.TempDir()
	au, err := audit.Commit(dir, def, "announced.json", []byte(ann.String()), audit.ALPHA, audit.SHA256([]byte(seed)), 0.05)
	if err != nil {
		t.Fatal(err)
	}
	l, err := auditlog.Open(ctx, dir, def, f.Auditor, []ledger.Witness{{Key: f.Log["pa"].Public, URL: wsrv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	publish := func() []byte {
		t.Helper()
		if _, err := l.Publish(ctx, dir); err != nil {
			t.Fatal(err)
		}
		n, err := l.Integrated(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		r, err := l.Receipt(wctx, n-1)
		if err != nil {
			t.Fatal(err)
		}
		return []byte(r.Checkpoint)
	}
	committed := publish()
	if err := au.Reveal(seed); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		round, _, err := au.Sample()
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		b.WriteString("station,ballot,president\n")
		for _, d := range round.Draws {
			fmt.Fprintf(&b, "%s,%d,%s\n", d.Station, d.Ballot, paper[d.Station][d.Ballot-1])
		}
		polls, errs := audit.ReadPolls(strings.NewReader(b.String()), "polls.csv", def)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if _, errs := au.Poll(f.Auditor, polls); len(errs) > 0 {
			t.Fatal(errs)
		}
		r, _, err := au.Status()
		if err != nil {
			t.Fatal(err)
		}
		publish()
		if r.Decision != "next round" {
			break
		}
	}
	if err := l.Close(ctx); err != nil {
		t.Fatal(err)
	}
	return dir, def, committed
}

// TestVerify recomputes a witnessed audit from its log alone, on disk and
// over HTTP, against a checkpoint saved after its commitment; then a log
// cut back to that checkpoint is still consistent but is refused against
// one saved later, an entry altered is refused against the checkpoint,
// and a checkpoint not cosigned is refused.
func TestVerify(t *testing.T) {
	dir, def, committed := witnessedAudit(t)
	logDir := filepath.Join(dir, auditlog.Dir)
	ctx := context.Background()
	res, err := auditlog.Verify(ctx, def, client.FileFetcher{Root: logDir}, committed, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	want, err := audit.VerifyTrail(dir)
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Decision != "confirmed" || res.Report.Decision != want.Decision || res.Report.Contests[0].Risk != want.Contests[0].Risk {
		t.Errorf("recomputed from the log: %s %+v, from the directory: %s %+v", res.Report.Decision, res.Report.Contests, want.Decision, want.Contests)
	}
	trail, _ := audit.ReadTrail(filepath.Join(dir, audit.TrailFile))
	if res.Checkpoint.Size != uint64(len(trail)) {
		t.Errorf("checkpoint of size %d, the trail has %d entries", res.Checkpoint.Size, len(trail))
	}

	srv := httptest.NewServer(ledger.Handler(logDir))
	defer srv.Close()
	src, err := auditlog.Location(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auditlog.Verify(ctx, def, src, res.Raw, t.TempDir()); err != nil {
		t.Errorf("over HTTP: %v", err)
	}

	// A log whose checkpoint is the one saved at the commitment: a trail cut
	// to that point, consistent with the commitment, refused against the
	// checkpoint saved at the end.
	cut := t.TempDir()
	if err := os.CopyFS(cut, os.DirFS(logDir)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cut, "checkpoint"), committed, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := auditlog.Verify(ctx, def, client.FileFetcher{Root: cut}, res.Raw, t.TempDir()); !errors.Is(err, auditlog.ErrCut) || !strings.Contains(err.Error(), "the trail was cut") {
		t.Errorf("a cut log against the checkpoint saved at the end: %v", err)
	}

	// An entry altered: its bundle no longer hashes to the checkpoint.
	altered := t.TempDir()
	if err := os.CopyFS(altered, os.DirFS(logDir)); err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(altered, "tile", "entries", "000.p", fmt.Sprint(res.Checkpoint.Size))
	data, err := os.ReadFile(bundle)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(data), `"decision":"confirmed"`, `"decision":"confirmeD"`, 1) // the same length: the bundle still parses
	if changed == string(data) {
		t.Fatal("no decision in the log's last bundle")
	}
	os.WriteFile(bundle, []byte(changed), 0o644)
	if _, err := auditlog.Verify(ctx, def, client.FileFetcher{Root: altered}, nil, t.TempDir()); err == nil || !strings.Contains(err.Error(), "an entry was altered") {
		t.Errorf("an entry altered: %v", err)
	}

	// A checkpoint without the witness's cosignature.
	bare := t.TempDir()
	if err := os.CopyFS(bare, os.DirFS(logDir)); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(res.Raw), "\n")
	os.WriteFile(filepath.Join(bare, "checkpoint"), []byte(strings.Join(lines[:len(lines)-2], "")), 0o644)
	if _, err := auditlog.Verify(ctx, def, client.FileFetcher{Root: bare}, nil, t.TempDir()); err == nil || !strings.Contains(err.Error(), "witness cosignatures") {
		t.Errorf("a checkpoint not cosigned: %v", err)
	}
}

// TestPublishCutTrail refuses to publish a trail shorter than its log or
// one that does not continue it, and adds nothing twice when published
// again.
func TestPublishCutTrail(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "cut", Stations: 2, Registered: 100})
	ann := fmt.Sprintf(`{"election":"test","stations":[{"station":%q,"index":0,"registered":100,"ballots":10,"contests":[{"id":"president","candidates":[{"id":"ALBA","votes":6},{"id":"BRUNO","votes":3},{"id":"CORA","votes":1}],"blank":0,"null":0}]},{"station":%q,"index":0,"registered":100,"ballots":10,"contests":[{"id":"president","candidates":[{"id":"ALBA","votes":6},{"id":"BRUNO","votes":3},{"id":"CORA","votes":1}],"blank":0,"null":0}]}]}`,
		f.Def.Stations[0].ID, f.Def.Stations[1].ID)
	ctx := context.Background()
	dir := t.TempDir()
	au, err := audit.Commit(dir, f.Def, "announced.json", []byte(ann), audit.ALPHA, audit.SHA256([]byte(seed)), 0.05)
	if err != nil {
		t.Fatal(err)
	}
	if err := au.Reveal(seed); err != nil {
		t.Fatal(err)
	}
	if err := au.Save(); err != nil {
		t.Fatal(err)
	}
	l, err := auditlog.Open(ctx, dir, f.Def, f.Auditor, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := l.Publish(ctx, dir); n != 2 || err != nil {
		t.Fatalf("published %d: %v, want 2", n, err)
	}
	if n, err := l.Publish(ctx, dir); n != 0 || err != nil {
		t.Fatalf("published again %d: %v, want 0", n, err)
	}
	if err := l.Close(ctx); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, audit.TrailFile)
	data, _ := os.ReadFile(path)

	// A trail whose second line is altered, the chain remade and a line
	// added: refused, as it does not continue the log.
	lines := strings.SplitAfter(string(data), "\n")
	second := strings.Replace(lines[1], `"risk_limit":0.05`, `"risk_limit":0.5`, 1)
	third := fmt.Sprintf(`{"seq":3,"prev":%q,"kind":"report","sha256":"x","report":{"decision":"confirmed","risks":{}}}`+"\n", audit.SHA256([]byte(strings.TrimSuffix(second, "\n"))))
	os.WriteFile(path, []byte(lines[0]+second+third), 0o644)
	if l, err = auditlog.Open(ctx, dir, f.Def, f.Auditor, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Publish(ctx, dir); err == nil || !strings.Contains(err.Error(), "trail.log:2 is not entry 1 of the log in "+filepath.Join(dir, auditlog.Dir)+": the trail was altered") {
		t.Errorf("an altered trail published: %v", err)
	}
	l.Close(ctx)

	os.WriteFile(path, []byte(lines[0]), 0o644)
	if l, err = auditlog.Open(ctx, dir, f.Def, f.Auditor, nil); err != nil {
		t.Fatal(err)
	}
	defer l.Close(ctx)
	if _, err := l.Publish(ctx, dir); err == nil || !strings.Contains(err.Error(), "trail.log has 1 entries, the log in "+filepath.Join(dir, auditlog.Dir)+" 2: the trail was cut") {
		t.Errorf("a cut trail published: %v", err)
	}
}

// TestVerifyOtherHistory refuses a log that is not the continuation of a
// checkpoint saved earlier though as long: another history signed by the
// same auditor (here, two audits of other risk limits).
func TestVerifyOtherHistory(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "history", Stations: 2, Registered: 100})
	ann := fmt.Sprintf(`{"election":"test","stations":[{"station":%q,"index":0,"registered":100,"ballots":10,"contests":[{"id":"president","candidates":[{"id":"ALBA","votes":6},{"id":"BRUNO","votes":3},{"id":"CORA","votes":1}],"blank":0,"null":0}]},{"station":%q,"index":0,"registered":100,"ballots":10,"contests":[{"id":"president","candidates":[{"id":"ALBA","votes":6},{"id":"BRUNO","votes":3},{"id":"CORA","votes":1}],"blank":0,"null":0}]}]}`,
		f.Def.Stations[0].ID, f.Def.Stations[1].ID)
	ctx := context.Background()
	published := func(limit float64) string {
		dir := t.TempDir()
		if _, err := audit.Commit(dir, f.Def, "announced.json", []byte(ann), audit.ALPHA, audit.SHA256([]byte(seed)), limit); err != nil {
			t.Fatal(err)
		}
		l, err := auditlog.Open(ctx, dir, f.Def, f.Auditor, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.Publish(ctx, dir); err != nil {
			t.Fatal(err)
		}
		if err := l.Close(ctx); err != nil {
			t.Fatal(err)
		}
		return filepath.Join(dir, auditlog.Dir)
	}
	a, b := published(0.05), published(0.1)
	saved, err := os.ReadFile(filepath.Join(a, "checkpoint"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auditlog.Verify(ctx, f.Def, client.FileFetcher{Root: b}, saved, t.TempDir()); !errors.Is(err, auditlog.ErrCut) || !strings.Contains(err.Error(), "its first 1 entries are not those of the checkpoint saved earlier") {
		t.Errorf("another history against a saved checkpoint: %v", err)
	}
	if _, err := auditlog.Verify(ctx, f.Def, client.FileFetcher{Root: a}, saved, t.TempDir()); err != nil {
		t.Errorf("the same history: %v", err)
	}
}
