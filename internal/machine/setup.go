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

// Setup makes the state directory of the machine of a station: dir must not
// exist or be empty. skey is the machine's private key in signed-note signer
// form ("PRIVATE+KEY+name+hash+keydata", as in a key file); its public key
// must be the one def enrols for the station.
//
// The directory gets the private key (machine.key, readable by its owner
// only) and the election definition restricted to what the machine needs
// (election.txt): the election's header, the contests of the station's
// ballot, the parties and their witnesses, the auditors, the station's areas
// and the station itself, and the whole definition's digest (a part, see
// doc/spec/election.md). It is a valid definition on its own, and every acta
// the machine signs is valid against it as against the whole one: the actas
// name the whole definition's digest.
func Setup(dir string, def *election.Definition, station, skey string) error {
	st := def.Station(station)
	if st == nil {
		return fmt.Errorf("election %s has no station %q", def.ID, station)
	}
	if st.Observer() {
		return st.NoMachine()
	}
	key, err := keys.Parse(skey)
	if err != nil {
		return fmt.Errorf("station %s: machine key: %v", station, err)
	}
	if key.Public != st.Machine {
		return fmt.Errorf("station %s: key %s is not the machine key election %s enrols for it (%s)", station, key.Public, def.ID, st.Machine)
	}
	text, err := restrict(def, st)
	if err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s: not empty (a station's state directory must start empty)", dir)
	}
	// Only the terminal may watch which slot a vote goes to.
	if err := os.Chmod(dir, 0o700); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := writeFile(d, defFile, 0o644, true, text); err != nil {
		return err
	}
	if err := keys.WriteFile(filepath.Join(dir, keyFile), skey); err != nil {
		return err
	}
	return d.Sync()
}

// restrict returns the text of the definition of one station.
func restrict(def *election.Definition, st *election.Station) ([]byte, error) {
	d := &election.Definition{
		ID:       def.ID,
		Name:     def.Name,
		Levels:   def.Levels,
		Whole:    def.Digest(), // what the actas it signs name
		Contests: def.Ballot(st),
		Parties:  def.Parties,
		Auditors: def.Auditors,
		Center:   def.Center,

		LogWitnesses:   def.LogWitnesses,
		LogQuorum:      def.LogQuorum,
		LogGroups:      def.LogGroups,
		LogQuorumGroup: def.LogQuorumGroup,

		PublicWitnesses:   def.PublicWitnesses,
		PublicQuorum:      def.PublicQuorum,
		PublicQuorumGroup: def.PublicQuorumGroup,

		Areas:    def.AreaPath(st.Area),
		Stations: []*election.Station{st},
	}
	text := d.Marshal()
	if _, err := election.Parse(text); err != nil {
		return nil, fmt.Errorf("station %s: the definition restricted to it does not parse: %v", st.ID, err)
	}
	return text, nil
}
