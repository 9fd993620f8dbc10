package simulate_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// TestStream streams an election of more stations than the embedded tables
// end to end, and the verifier certifies it clean from the center's log.
func TestStream(t *testing.T) {
	if e, err := simulate.VE2024(0, nil); err != nil || len(e.Tables) != simulate.EmbeddedTables {
		t.Fatalf("the embedded data: %v, want %d tables", err, simulate.EmbeddedTables)
	}
	n := 3000
	if testing.Short() {
		n = 300
	}
	var out bytes.Buffer
	var rep *verify.Report
	check := func(ctx context.Context, def *election.Definition, logDir string) error {
		v := verify.New(def)
		v.AddLog(ctx, verify.LogSource{Location: logDir})
		rep = v.Report(ctx)
		return nil
	}
	r, err := simulate.Stream(context.Background(), simulate.StreamConfig{Dir: t.TempDir(), Stations: n, Seed: 1, Progress: &out, Verify: check})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(out.String())
	if !rep.Clean() || rep.Agreeing != n || rep.Log == nil || !rep.Log.Complete || r.Logged != uint64(n)+1 {
		t.Fatalf("not clean: %d agree of %d, logged %d, %d findings, problems %v", rep.Agreeing, n, r.Logged, len(rep.Findings), rep.Problems)
	}
	if len(r.Def.Stations) != n || n > 1534 && r.Def.Stations[1534].ID != r.Def.Stations[0].ID+"-1" {
		t.Fatalf("definition: %d stations, the 1,535th %s", len(r.Def.Stations), r.Def.Stations[min(n-1, 1534)].ID)
	}
	for _, s := range r.Stages {
		if s.Name != "define" && s.Name != "verify" && s.Done.Load() != int64(n) {
			t.Errorf("stage %s: %d done of %d", s.Name, s.Done.Load(), n)
		}
	}
	var b bytes.Buffer
	r.WriteStages(&b)
	t.Log(b.String())
}
