package machine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

// SetupFiles sets up the state directory dir, as [Setup] does, from the
// election definition and machine key files named: "triplicate machine open"
// and "machine serve" with -election, -station and -key. A key that does not
// fit the station is an error naming keyPath.
func SetupFiles(dir, defPath, station, keyPath string) error {
	def, err := election.ReadFile(defPath)
	if err != nil {
		return err
	}
	key, err := keys.ReadFile(keyPath)
	if err != nil {
		return err
	}
	if err := Setup(dir, def, station, key.Private); err != nil {
		return fmt.Errorf("%s: %w", keyPath, err)
	}
	return nil
}

// Use loads the terminal of the state directory dir, runs fn on it and
// releases it. A directory that is not a station's state says how to set
// one up.
func Use(dir string, fn func(*Terminal) error) error {
	if _, err := os.Stat(filepath.Join(dir, "election.txt")); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s is not a station's state directory (set one up with 'triplicate machine open -dir %s -election FILE -station ID -key FILE')", dir, dir)
	}
	t, err := Load(dir, Options{})
	if err != nil {
		return err
	}
	defer t.Close()
	return fn(t)
}
