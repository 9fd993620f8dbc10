package main

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/simulate"
)

// Seed is every simulated election's (simulate.Config.Seed): it fixes the
// figures, and the stations each attack touches.
const Seed = 7

// observersMap is the -csv-map of the observers' CSV: the named mapping
// ve2024, spelled out, so that the vector says it all.
var observersMap = func() string {
	s := "station=CENTRO+MESA,registered=RE,ballots=VOTOS_VALIDOS+VOTOS_NULOS,president.null=VOTOS_NULOS"
	for _, c := range []string{"EG", "NM", "LM", "JABE", "JOBR", "AE", "CF", "DC", "EM", "BERA"} {
		s += ",president." + c + "=" + c
	}
	return s
}()

// attackWant is what a correct verifier finds of each attack of
// simulate.Attacks, given the stations it touched, when it reads the log,
// the copies, the announcement and the observers' CSV.
var attackWant = map[string]func(attacked []string) want{
	"honest": func([]string) want { return want{} },
	"announce": func(attacked []string) want {
		// Every station altered (five of the eleven the attack would
		// touch), totals that add them up, and so another winner.
		w := want{findings: []string{finding("totals-altered", "", true), finding("outcome-differs", "", true)}}
		for _, s := range attacked {
			w.findings = append(w.findings, finding("altered-at-center", s, true))
		}
		return w
	},
	"totals": func([]string) want {
		return want{findings: []string{finding("totals-altered", "", true), finding("outcome-differs", "", true)}}
	},
	"equivocation": func(a []string) want { return want{findings: []string{finding("equivocation", a[0], true)}} },
	// Two versions signed by the machine's key: no one is charged.
	"substitution": func(a []string) want { return want{findings: []string{finding("equivocation", a[0], true)}} },
	"miscount":     func(a []string) want { return want{findings: []string{finding("hand-count", a[0], true)}} },
	"split-view": func([]string) want {
		// The saved checkpoint and the one the announcement names (the
		// same) each show another history than the log read, which only
		// the center signs: its witness policy is not met, a problem.
		return want{findings: []string{finding("split-view", "", true), finding("split-view", "", true)}, problems: 1}
	},
	"impossible": func(a []string) want {
		return want{findings: []string{finding("impossible", a[0], false), finding("altered-at-center", a[0], true), finding("totals-altered", "", true)}}
	},
	"missing": func(a []string) want { return want{findings: []string{finding("missing", a[0], true)}} },
	// The CSV's two lines of one station are refused: a problem, no
	// finding.
	"duplicate": func([]string) want { return want{problems: 1} },
	"unsigned":  func(a []string) want { return want{findings: []string{finding("unsigned-differs", a[0], false)}} },
}

// simulated makes a vector of every attack.
func simulated() ([]vector, error) {
	var vs []vector
	if simulate.Attacks[0].Name != "honest" {
		return nil, fmt.Errorf("the first attack is %s, not honest: the edited vectors start from it", simulate.Attacks[0].Name)
	}
	for _, at := range simulate.Attacks {
		wf, ok := attackWant[at.Name]
		if !ok {
			return nil, fmt.Errorf("attack %s: no findings in the table of attackWant: add them", at.Name)
		}
		files, attacked, receipt, err := day(at.Name)
		if err != nil {
			return nil, fmt.Errorf("attack %s: %w", at.Name, err)
		}
		touched := "none"
		if len(attacked) > 0 {
			touched = strings.Join(attacked, ", ")
		}
		about := fmt.Sprintf("The attack %q of the table of attacks (doc/design/threat-model.md), in a simulated election of %d stations (seed %d): %s. The stations it touches here: %s.",
			at.Name, Stations, Seed, at.Does, touched)
		if at.Refused {
			about += " The verifier refuses both lines: neither count is taken, and the problem names the station and both lines."
		}
		vs = append(vs, vector{name: "attack-" + at.Name, files: files, want: wf(attacked), about: about})
		if at.Name == "split-view" {
			// The checkpoint saved is a machine's receipt.json.
			files = maps.Clone(files)
			delete(files, "checkpoints/saved-1")
			files["checkpoints/receipt.json"] = receipt
			vs = append(vs, vector{name: "split-view-receipt", files: files, want: wf(attacked),
				about: "The attack split-view, with a machine's receipt.json (the first station's) as the checkpoint saved before the center rewrote its log: its checkpoint is read, of whatever size the log had when the machine transmitted, and is of another history than the log read."})
		}
	}
	return vs, nil
}

// day simulates an election under an attack and returns its evidence as
// a vector's files, the stations the attack touched, and the receipt.json of
// the first station's machine.
func day(attack string) (files map[string][]byte, attacked []string, receipt []byte, err error) {
	tmp, err := os.MkdirTemp("", "genconformance-")
	if err != nil {
		return nil, nil, nil, err
	}
	defer os.RemoveAll(tmp)
	d, err := simulate.Run(context.Background(), simulate.Config{Dir: tmp, Stations: Stations, Seed: Seed, Attack: attack})
	if err != nil {
		return nil, nil, nil, err
	}
	// Stopped first: the log's files are then all written.
	d.Close()
	ev := d.Evidence
	files = map[string][]byte{"observers-map.txt": []byte(observersMap + "\n")}
	for name, path := range map[string]string{"definition.txt": ev.Definition, "announced.json": ev.Announced, "observers.csv": ev.CSV} {
		if files[name], err = os.ReadFile(path); err != nil {
			return nil, nil, nil, err
		}
	}
	// The log as the center serves it under /log/: the checkpoint and the
	// tiles, not the driver's state.
	if err := copyTree(files, "log", ev.Log); err != nil {
		return nil, nil, nil, err
	}
	// The witnesses' copies (copies/) and the auditors' hand counts
	// (hand/), both signed actas.
	for _, c := range ev.Copies {
		sub := map[string]string{"copies": "witnesses", "hand": "hand"}[filepath.Base(c)]
		if sub == "" {
			return nil, nil, nil, fmt.Errorf("copies at %s: want copies or hand", c)
		}
		if err := copyTree(files, "copies/"+sub, c); err != nil {
			return nil, nil, nil, err
		}
	}
	for i, c := range ev.Checkpoints {
		if files[fmt.Sprintf("checkpoints/saved-%d", i+1)], err = os.ReadFile(c); err != nil {
			return nil, nil, nil, err
		}
	}
	receipt, err = os.ReadFile(filepath.Join(tmp, "stations", d.Election.Def.Stations[0].ID, "receipt.json"))
	if err != nil && attack != "missing" {
		return nil, nil, nil, err
	}
	return files, d.Attacked, receipt, nil
}

// copyTree adds the files under dir, but for those whose name starts with a
// dot and those under such a directory, at prefix.
func copyTree(files map[string][]byte, prefix, dir string) error {
	return filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(e.Name(), ".") && path != dir {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if e.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		files[prefix+"/"+filepath.ToSlash(rel)] = data
		return err
	})
}
