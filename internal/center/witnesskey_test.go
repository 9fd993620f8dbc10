package center_test

import (
	"context"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/ledger"
)

// mistyped is a verifier key with another key hash: the same name and
// public key, which comparing key bytes does not tell from the key.
func mistyped(t *testing.T, vkey string) string {
	t.Helper()
	name, rest, _ := strings.Cut(vkey, "+")
	hash, data, _ := strings.Cut(rest, "+")
	bad := "00000000"
	if hash == bad {
		bad = "ffffffff"
	}
	return name + "+" + bad + "+" + data
}

// TestWitnessKeyHashMistyped: a witness key whose key hash is not its own
// would be cosigned (the witness signs with the right one) and then fail
// every check of the log's checkpoints; the center refuses it at once,
// naming it, in either form and as a log or a public witness.
func TestWitnessKeyHashMistyped(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 1, PublicWitnesses: 1})
	good := ledger.Witness{Key: f.Log["pa"].Public, URL: "http://127.0.0.1:1"}
	for _, k := range []*keys.Key{f.Log["pa"], f.Public["pw1"]} {
		ck, err := keys.CosignatureKey(k.Public)
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{mistyped(t, k.Public), mistyped(t, ck)} {
			c := center.Config{Election: f.Def, Key: f.Center, Dir: t.TempDir(), Witnesses: []ledger.Witness{good}}
			if k == f.Log["pa"] {
				c.Witnesses = []ledger.Witness{{Key: key, URL: good.URL}}
			} else {
				c.PublicWitnesses = []ledger.Witness{{Key: key, URL: good.URL}}
			}
			ctr, err := center.Open(context.Background(), c)
			if err == nil {
				ctr.Close(context.Background())
			}
			if err == nil || !strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), "key hash") {
				t.Errorf("witness key %s: %v", key, err)
			}
		}
	}
}
