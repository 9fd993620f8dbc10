package machine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

// TestSetupFilesUse sets up a state directory from the definition and key
// files, uses its terminal and releases it; a directory that is not a
// station's state says how to set one up, and a key of another station is
// refused naming its file.
func TestSetupFilesUse(t *testing.T) {
	f, def, skey := testElection(t, electiontest.Options{})
	root := t.TempDir()
	defPath, keyPath, otherPath := filepath.Join(root, "election.txt"), filepath.Join(root, "m.key"), filepath.Join(root, "other.key")
	if err := os.WriteFile(defPath, def.Marshal(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := keys.WriteFile(keyPath, skey); err != nil {
		t.Fatal(err)
	}
	if err := keys.WriteFile(otherPath, f.Machines["100.2"].Private); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "100.1")
	err := Use(dir, func(*Terminal) error { t.Fatal("used a terminal that is not there"); return nil })
	if err == nil || !strings.Contains(err.Error(), "is not a station's state directory (set one up with 'triplicate machine open -dir "+dir) {
		t.Errorf("no state directory: %v", err)
	}
	if err := SetupFiles(filepath.Join(root, "x"), defPath, "100.1", otherPath); err == nil || !strings.HasPrefix(err.Error(), otherPath+": ") {
		t.Errorf("another station's key: %v", err)
	}
	if err := SetupFiles(dir, defPath, "100.1", keyPath); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second time, the first released the directory
		if err := Use(dir, func(term *Terminal) error {
			if s := term.Status(); s.Station != "100.1" || s.Phase != PhaseNew {
				t.Errorf("status %+v", s)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
}
