package audit

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// Collected is what observers collected for a quick count: where to read
// it.
type Collected struct {
	Copies []string // files or directories of signed actas (final ones count)
	CSVs   []string // unsigned figures, by station
	CSVMap string   // the CSVs' columns (see tally.ParseMapping)
	// Announced is the center's announced figures (a file or URL), to hold
	// against the estimate; empty for none.
	Announced string
}

// ReadCollected reads the counts collected, by station, and the
// announcement if one is named. A station with two different counts keeps
// the signed one. It returns what could not be read beside the counts; an
// announcement that cannot be read at all is an error.
func ReadCollected(ctx context.Context, def *election.Definition, c Collected) (map[string]tally.Figures, *tally.Announcement, []string, error) {
	counts := map[string]tally.Figures{}
	var problems []string
	for _, name := range c.CSVs {
		m, err := tally.ParseMapping(c.CSVMap, def)
		if err != nil {
			problems = append(problems, fmt.Sprintf("-csv-map: %v", err))
			break
		}
		f, err := os.Open(name)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		rows, errs := tally.ReadCSV(f, name, def, m)
		f.Close()
		for _, err := range errs {
			problems = append(problems, err.Error())
		}
		for _, r := range rows {
			counts[r.Station] = r.Figures
		}
	}
	for _, root := range c.Copies {
		err := walkFiles(root, func(path string) {
			msg, err := os.ReadFile(path)
			if err != nil {
				problems = append(problems, err.Error())
				return
			}
			sa, err := acta.Open(msg, def)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", path, err))
				return
			}
			if sa.Kind == acta.Final {
				counts[def.Station(sa.Station).ID] = tally.FromActa(sa.Acta)
			}
		})
		if err != nil {
			problems = append(problems, err.Error())
		}
	}
	if c.Announced == "" {
		return counts, nil, problems, nil
	}
	data, err := tally.Fetch(ctx, c.Announced, nil)
	if err != nil {
		return nil, nil, problems, err
	}
	ann, ps := tally.ParseAnnounced(def, c.Announced, data)
	if ann == nil {
		return nil, nil, problems, fmt.Errorf("%s", ps[0])
	}
	for _, p := range ps {
		problems = append(problems, p.Error())
	}
	return counts, ann, problems, nil
}

// walkFiles calls fn with each regular file under root (or root itself),
// skipping hidden files.
func walkFiles(root string, fn func(path string)) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
			fn(path)
		}
		return nil
	})
}
