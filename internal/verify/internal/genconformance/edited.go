package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"strings"
)

// edited makes the vectors that edit an honest simulated election's
// evidence (the files of the vector attack-honest).
func edited(honest map[string][]byte) ([]vector, error) {
	var vs []vector
	for _, e := range []struct {
		name, about string
		edit        func(files map[string][]byte) (want, error)
	}{
		{"truncated-announcement", "The center announces its log cut short: log_size one below the log, the station of the last entry left out, and totals recomputed without it, so that they are the sum of what the announcement covers. An honest announcement that lags its log looks the same, so nothing is proven against the center, but the run is not clean: a problem names the station not held against the announcement.",
			truncate},
		{"tampered-log", "One character of the machine signature of the first entry of the log's last entry bundle is changed: the entries no longer hash to the checkpoint's root, so no entry's inclusion is proven, and the entry's signature fails. The substitution rests on the log alone and is unproven; the station is still counted from its witnesses' copy. The root is a problem.",
			tamper},
		{"tampered-log-alone", "The tampered log of tampered-log, given alone: its entries are not proven, so they are no evidence of anything: no count from them, and every station is missing (no source gives a count), unproven.",
			func(files map[string][]byte) (want, error) {
				w, err := tamper(files)
				for name := range files {
					if !strings.HasPrefix(name, "log/") && name != "definition.txt" {
						delete(files, name)
					}
				}
				for _, s := range stations(files) {
					w.findings = append(w.findings, finding("missing", s, false))
				}
				return w, err
			}},
		{"truncated-log", "The log's last entry bundle is gone, so the log cannot be read to the end: a problem naming where reading stopped, and no station is missing from it. The copies, the announcement and the observers' CSV still agree.",
			func(files map[string][]byte) (want, error) {
				name, err := lastBundle(files)
				delete(files, name)
				return want{problems: 1}, err
			}},
		{"case-folded-json", `The announcement gives one candidate's votes twice, under the keys "votes" and "Votes", which differ only in case: a reader that folds case (Go's encoding/json) would take one of them silently. It is not an announcement: a problem, the source unread, and nothing claimed from it; the log and the copies agree.`,
			func(files map[string][]byte) (want, error) {
				return want{problems: 1}, replace(files, "announced.json", `"votes": `, `"Votes": 1, "votes": `)
			}},
		{"unknown-candidate", `The announced totals give 9 votes to a candidate "ZED" that the definition's contest lacks: a problem naming it. The stations' figures and the totals of the definition's candidates are right, so there is no finding.`,
			unknownCandidate},
	} {
		files := maps.Clone(honest)
		w, err := e.edit(files)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.name, err)
		}
		vs = append(vs, vector{name: e.name, about: e.about, files: files, want: w})
	}
	return vs, nil
}

// stations returns the stations of the vector's definition.
func stations(files map[string][]byte) []string {
	var out []string
	for _, line := range strings.Split(string(files["definition.txt"]), "\n") {
		if rest, ok := strings.CutPrefix(line, "station "); ok {
			id, _, _ := strings.Cut(rest, " ")
			out = append(out, id)
		}
	}
	return out
}

// replace replaces the first old in a file by new.
func replace(files map[string][]byte, name, old, new string) error {
	data := files[name]
	if !bytes.Contains(data, []byte(old)) {
		return fmt.Errorf("%s has no %q", name, old)
	}
	files[name] = bytes.Replace(data, []byte(old), []byte(new), 1)
	return nil
}

// truncate cuts the announcement short by its last station (the station
// of the log's last entry).
func truncate(files map[string][]byte) (want, error) {
	var a map[string]any
	if err := json.Unmarshal(files["announced.json"], &a); err != nil {
		return want{}, err
	}
	stations := a["stations"].([]any)
	last, lastAt := -1.0, 0
	for i, s := range stations {
		if idx := s.(map[string]any)["index"].(float64); idx > last {
			last, lastAt = idx, i
		}
	}
	dropped := stations[lastAt].(map[string]any)
	a["stations"] = append(stations[:lastAt:lastAt], stations[lastAt+1:]...)
	a["log_size"] = last
	votes := map[string]float64{}
	for _, c := range dropped["contests"].([]any) {
		ct := c.(map[string]any)
		for _, x := range ct["candidates"].([]any) {
			votes[x.(map[string]any)["id"].(string)] = x.(map[string]any)["votes"].(float64)
		}
		votes["blank"], votes["null"] = ct["blank"].(float64), ct["null"].(float64)
	}
	for _, c := range a["totals"].([]any) {
		tc := c.(map[string]any)
		for _, x := range tc["candidates"].([]any) {
			x.(map[string]any)["votes"] = x.(map[string]any)["votes"].(float64) - votes[x.(map[string]any)["id"].(string)]
		}
		tc["blank"], tc["null"] = tc["blank"].(float64)-votes["blank"], tc["null"].(float64)-votes["null"]
	}
	out, err := json.MarshalIndent(a, "", " ")
	if err != nil {
		return want{}, err
	}
	files["announced.json"] = out
	// An announcement that lags its log looks the same: a problem, no proof.
	return want{problems: 1}, nil
}

// tamper changes one character of the first machine signature in the log's
// last entry bundle.
func tamper(files map[string][]byte) (want, error) {
	name, err := lastBundle(files)
	if err != nil {
		return want{}, err
	}
	data := bytes.Clone(files[name])
	const sig = "\n— ve2024/machine/"
	at := bytes.Index(data, []byte(sig))
	if at < 0 {
		return want{}, fmt.Errorf("%s has no machine signature", name)
	}
	_, rest, _ := strings.Cut(string(data[bytes.LastIndex(data[:at], []byte("\nstation "))+1:]), "station ")
	station, _, _ := strings.Cut(rest, "\n")
	i := at + len(sig)
	i += bytes.IndexByte(data[i:], ' ') + 20
	if data[i] == 'A' {
		data[i] = 'B'
	} else {
		data[i] = 'A'
	}
	files[name] = data
	return want{findings: []string{finding("substitution", station, false)}, problems: 1}, nil
}

// lastBundle returns the name of the log's last entry bundle: of a log of
// fewer than 256 entries, the partial bundle of its full size.
func lastBundle(files map[string][]byte) (string, error) {
	name, size := "", 0
	for f := range files {
		rest, ok := strings.CutPrefix(f, "log/tile/entries/000.p/")
		if n, err := strconv.Atoi(rest); ok && err == nil && n > size {
			name, size = f, n
		}
	}
	if name == "" {
		return "", fmt.Errorf("no partial entry bundle in the log: a vector's log has fewer than 256 entries")
	}
	return name, nil
}

// unknownCandidate adds a candidate the definition lacks to the announced
// totals.
func unknownCandidate(files map[string][]byte) (want, error) {
	var a map[string]any
	if err := json.Unmarshal(files["announced.json"], &a); err != nil {
		return want{}, err
	}
	t := a["totals"].([]any)[0].(map[string]any)
	t["candidates"] = append(t["candidates"].([]any), map[string]any{"id": "ZED", "name": "Zed", "votes": 9})
	out, err := json.MarshalIndent(a, "", " ")
	if err != nil {
		return want{}, err
	}
	files["announced.json"] = out
	return want{problems: 1}, nil
}
