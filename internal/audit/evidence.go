package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Evidence is a file of an audit's directory that an entry of its trail
// commits to, as a log that carries the files (package auditlog) holds it,
// so that the audit can be recomputed from that log alone.
type Evidence struct {
	Name string // its name in the directory
	Data []byte
}

// EvidenceOf returns the files of dir that the trail's entry e commits to,
// as they are now: for the first entry the definition and the announcement
// the audit started from; for a state, audit.json if it is still that
// state (a later save has moved it on otherwise, and a later state entry
// carries it); for polls, the record, which must have the digest logged;
// for a report, report.json if it is still that report, and every hand
// acta in DIR/hand (named hand/NAME.acta), which a batch comparison's
// report is measured from and the trail does not log one by one. Board
// events name no file: the trail line is the whole of them.
func EvidenceOf(dir string, e *TrailEntry) ([]Evidence, error) {
	var out []Evidence
	add := func(name string) ([]byte, error) {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil {
			out = append(out, Evidence{name, data})
		}
		return data, err
	}
	if e.Seq == 1 {
		if _, err := add(electionFile); err != nil {
			return nil, err
		}
		found := false
		for _, name := range []string{"announced.json", "announced.csv"} {
			if _, err := add(name); err == nil {
				found = true
			} else if !errors.Is(err, os.ErrNotExist) {
				return nil, err
			}
		}
		if !found {
			return nil, fmt.Errorf("%s: the audit's copy of the announcement is missing", dir)
		}
	}
	switch e.Kind {
	case "state":
		a, err := Load(dir)
		if err != nil {
			return nil, err
		}
		now, _ := json.Marshal(stateEntry(a))
		then, _ := json.Marshal(e.State)
		if bytes.Equal(now, then) {
			if _, err := add(StateFile); err != nil {
				return nil, err
			}
		}
	case "polls":
		data, err := add(e.File)
		if err != nil {
			return nil, err
		}
		if got := SHA256(data); got != e.SHA256 {
			return nil, fmt.Errorf("%s: %s has SHA-256 %s, the trail logged %s: the record was altered", filepath.Join(dir, TrailFile), e.File, got, e.SHA256)
		}
	case "report":
		data, err := os.ReadFile(filepath.Join(dir, reportFile))
		if err != nil {
			return nil, err
		}
		if SHA256(data) == e.SHA256 {
			out = append(out, Evidence{reportFile, data})
		}
		actas, err := filepath.Glob(filepath.Join(dir, HandDir, "*.acta"))
		if err != nil {
			return nil, err
		}
		slices.Sort(actas)
		for _, a := range actas {
			if _, err := add(HandDir + "/" + filepath.Base(a)); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
