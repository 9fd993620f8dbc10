package election

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

// MachineKeys makes a machine key for each station as [Build] asks for one,
// named ELECTION/machine/STATION, and writes their private keys into a new
// directory, one STATION.key file each, all or none.
type MachineKeys struct {
	dir, id string
	private map[string]string // by station
}

// NewMachineKeys returns the machine keys of the election a template
// declares, to be written into dir. It refuses a directory that already
// holds files: new machine keys are not mixed with old ones.
func NewMachineKeys(dir string, template []byte) (*MachineKeys, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("%s already holds files: not mixing new machine keys with old ones", dir)
	}
	return &MachineKeys{dir: dir, id: TemplateID(template), private: map[string]string{}}, nil
}

// Key makes a station's key pair, keeps its private key and returns its
// public key: the keyFor of [Build].
func (m *MachineKeys) Key(station string) (vkey string, err error) {
	skey, vkey, err := keys.Generate(nil, m.id+"/machine/"+station)
	m.private[station] = skey
	return vkey, err
}

// Write writes the private keys into the directory, all or none: into a
// temporary directory beside it first (keys.WriteFile syncs each key),
// renamed into place at the end, durably.
func (m *MachineKeys) Write() error {
	parent := filepath.Dir(filepath.Clean(m.dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(m.dir)+".*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for station, skey := range m.private {
		if err := keys.WriteFile(filepath.Join(tmp, station+".key"), skey); err != nil {
			return err
		}
	}
	os.Remove(m.dir) // an empty directory, if any; a full one was refused
	return durable.Rename(tmp, m.dir)
}
