package election_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

// TestMachineKeys makes two stations' keys, named for the template's
// election, writes them into an empty directory and reads them back; a
// directory that holds files is refused.
func TestMachineKeys(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	m, err := election.NewMachineKeys(dir, []byte("triplicate election v1\nid e1\n"))
	if err != nil {
		t.Fatal(err)
	}
	public := map[string]string{}
	for _, st := range []string{"S1", "S2"} {
		vkey, err := m.Key(st)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(vkey, "e1/machine/"+st+"+") {
			t.Errorf("station %s: public key %s, want the name e1/machine/%s", st, vkey, st)
		}
		public[st] = vkey
	}
	if err := m.Write(); err != nil {
		t.Fatal(err)
	}
	for st, vkey := range public {
		k, err := keys.ReadFile(filepath.Join(dir, st+".key"))
		if err != nil || k.Public != vkey {
			t.Errorf("station %s: read back %v, %v; want public key %s", st, k, err, vkey)
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 {
		t.Errorf("%d entries beside the key directory, want it alone (no temporary left)", len(entries))
	}
	if _, err := election.NewMachineKeys(dir, nil); err == nil || !strings.Contains(err.Error(), "already holds files") {
		t.Errorf("a directory of old keys: %v", err)
	}
}
