package ledger_test

import (
	"context"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// TestPolicyCountsParties: a quorum counts the parties of the witnesses, not
// their keys, and a group that the witnesses given cannot meet is refused.
func TestPolicyCountsParties(t *testing.T) {
	key := electiontest.Key("ledger", "test/center")
	a1 := ledger.Witness{Key: electiontest.Key("ledger", "test/logwitness/a1").Public, URL: "http://127.0.0.1:1", Party: "pa"}
	a2 := ledger.Witness{Key: electiontest.Key("ledger", "test/logwitness/a2").Public, URL: "http://127.0.0.1:2", Party: "pa"}
	b := ledger.Witness{Key: electiontest.Key("ledger", "test/logwitness/b").Public, URL: "http://127.0.0.1:3", Party: "pb"}
	for _, c := range []struct {
		cfg  ledger.Config
		want string
	}{
		{ledger.Config{Witnesses: []ledger.Witness{a1, a2}, Quorum: 2}, "witness quorum 2 of 1 parties (2 witnesses): want 1 to 1"},
		{ledger.Config{Witnesses: []ledger.Witness{a1, a2, b}, Quorum: 3}, "witness quorum 3 of 2 parties (3 witnesses): want 1 to 2"},
		{ledger.Config{Witnesses: []ledger.Witness{a1, a2}, Groups: []tlog.Group{{Name: "both", Threshold: 2, Members: []string{"pa", "pb"}}}},
			"witness group both needs 2 of pa pb, but the witnesses given are of only 1 of them"},
	} {
		c.cfg.Dir, c.cfg.Key = t.TempDir(), key
		_, err := ledger.Open(context.Background(), c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Open with %d witnesses, quorum %d, groups %v: %v; want %q", len(c.cfg.Witnesses), c.cfg.Quorum, c.cfg.Groups, err, c.want)
		}
	}
}

// TestPolicyRefusesMistypedKeyHash: a witness key whose key hash is not its
// own, in either form, is refused by name: the library's verifier behind
// Tessera's policy would take it, the witness cosign, and every check of
// the log's checkpoints then fail.
func TestPolicyRefusesMistypedKeyHash(t *testing.T) {
	key := electiontest.Key("ledger", "test/center")
	wk := electiontest.Key("ledger", "test/logwitness/a1")
	ck, err := keys.CosignatureKey(wk.Public)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{wk.Public, ck} {
		name, rest, _ := strings.Cut(k, "+")
		_, data, _ := strings.Cut(rest, "+")
		bad := name + "+00000000+" + data
		_, err := ledger.Open(context.Background(), ledger.Config{Dir: t.TempDir(), Key: key, Quorum: 1,
			Witnesses: []ledger.Witness{{Key: bad, URL: "http://127.0.0.1:1", Party: "pa"}}})
		if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "key hash") {
			t.Errorf("witness key %s: %v", bad, err)
		}
	}
}
