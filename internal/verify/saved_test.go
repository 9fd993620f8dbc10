package verify_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/tlog"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// TestSavedReceipt gives the verifier a machine's receipt.json as a saved
// checkpoint: its checkpoint is read, and held against the log like any
// other (here a log the center rewrote: a split view, whose evidence is the
// checkpoint itself, not the receipt's JSON). Anything else that is not a
// checkpoint is a problem that says what a checkpoint file is.
func TestSavedReceipt(t *testing.T) {
	d := day(t, 10, "split-view")
	cp, err := os.ReadFile(d.Evidence.Checkpoints[0])
	if err != nil {
		t.Fatal(err)
	}
	receipt, err := json.MarshalIndent(tlog.Receipt{Index: 0, Checkpoint: string(cp), Proof: [][]byte{make([]byte, 32)}}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	v := verify.New(d.Election.Def)
	v.AddLog(context.Background(), verify.LogSource{Location: d.Evidence.Log, Saved: []verify.SavedCheckpoint{
		{Name: "receipt.json", Raw: receipt},
		{Name: "notes.txt", Raw: []byte("my checkpoint\n")},
		{Name: "other.json", Raw: []byte(`{"size": 3}`)},
	}})
	r := v.Report(context.Background())
	split := 0
	for _, f := range r.Findings {
		if f.Check != verify.CheckSplitView {
			continue
		}
		split++
		if f.Evidence[0].Source != "receipt.json" || f.Evidence[0].Checkpoint != string(cp) {
			t.Errorf("split view evidence %+v, want the receipt's checkpoint", f.Evidence[0])
		}
	}
	if split != 1 {
		t.Errorf("%d split-view findings, want 1: %v", split, r.Findings)
	}
	var all []string
	for _, p := range r.Problems {
		all = append(all, p.String())
	}
	text := strings.Join(all, "\n")
	t.Logf("problems:\n%s", text)
	for _, want := range []string{
		"notes.txt: not a checkpoint (",
		"other.json: JSON, but not a machine's receipt (",
		"or a machine's receipt.json",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("problems lack %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "receipt.json: ") {
		t.Errorf("a problem with the receipt:\n%s", text)
	}
}
