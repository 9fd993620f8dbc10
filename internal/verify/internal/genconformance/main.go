// Command genconformance writes the verifier's conformance vectors in
// doc/spec/vectors/verify: one directory a vector, holding the evidence of
// a small election (its definition, the center's log as its static files,
// the signed copies, the announcement, an observers' CSV, saved
// checkpoints) and want.txt, the exact findings a correct verifier must
// produce from it (doc/spec/verify.md, "Conformance vectors").
//
// Every row of the table of attacks (simulate.Attacks) is a vector, from a
// simulated election of five stations under that attack; the other vectors
// are honest evidence edited by hand, each an attack or a defect found
// before: a forgery made with a stolen machine key, two zero tapes, two
// hand counts that disagree, an announcement cut short, a tampered log, an
// announcement whose JSON keys differ only in case, announced totals with
// a candidate the definition lacks.
//
// The want.txt files are written from the table in this command, by hand,
// not from what the verifier says: they are what the trust model says a
// correct verifier must find. The figures and stations are the same on
// every run (simulate.Config.Seed, and fixed keys and times for the vectors
// of electiontest's election), but a simulated election draws its keys and
// takes its times afresh, and its log's order follows the machines'
// transmissions: running this again rewrites those vectors with other
// bytes and the same findings. It removes every vector directory first, so
// that a vector dropped from the table goes.
//
//	go run ./internal/verify/internal/genconformance
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Stations is the size of every simulated election: small, so that the
// vectors keep the repository light.
const Stations = 5

// vector is one conformance vector: its files, by path inside its
// directory, and what a correct verifier must find.
type vector struct {
	name  string
	about string            // what the vector is, for about.txt
	files map[string][]byte // by slash-separated path
	want  want
}

// want is the contents of want.txt.
type want struct {
	findings []string // "CHECK STATION proven|unproven"
	problems int
}

// finding is a line of want.txt; station "" is "-".
func finding(check, station string, proven bool) string {
	if station == "" {
		station = "-"
	}
	return fmt.Sprintf("%s %s %s", check, station, map[bool]string{true: "proven", false: "unproven"}[proven])
}

// text is want.txt: the findings sorted, the problems' count, the verdict.
func (w want) text() string {
	lines := slices.Clone(w.findings)
	slices.Sort(lines)
	verdict := "clean"
	if len(lines) > 0 || w.problems > 0 {
		verdict = "not clean"
	}
	lines = append(lines, fmt.Sprintf("problems %d", w.problems), "verdict "+verdict)
	return strings.Join(lines, "\n") + "\n"
}

func main() {
	dir := flag.String("dir", "doc/spec/vectors/verify", "output directory")
	flag.Parse()
	var vs []vector
	sim, err := simulated()
	if err != nil {
		log.Fatal(err)
	}
	vs = append(vs, sim...)
	ed, err := edited(sim[0].files)
	if err != nil {
		log.Fatal(err)
	}
	vs = append(vs, ed...)
	fx, err := forgeries()
	if err != nil {
		log.Fatal(err)
	}
	vs = append(vs, fx...)

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	old, err := os.ReadDir(*dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range old {
		if o.IsDir() {
			if err := os.RemoveAll(filepath.Join(*dir, o.Name())); err != nil {
				log.Fatal(err)
			}
		}
	}
	for _, v := range vs {
		files := map[string][]byte{"about.txt": []byte(v.about + "\n"), "want.txt": []byte(v.want.text())}
		for p, data := range v.files {
			files[p] = data
		}
		for p, data := range files {
			path := filepath.Join(*dir, v.name, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				log.Fatal(err)
			}
			if err := os.WriteFile(path, data, 0o644); err != nil {
				log.Fatal(err)
			}
		}
	}
	fmt.Printf("wrote %d vectors to %s\n", len(vs), *dir)
}
