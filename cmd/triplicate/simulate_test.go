package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// TestAttacks runs every row of the table of attacks (doc/design/threat-model.md): the verifier
// must find exactly the attack's checks at exactly the stations it touched
// (and certify the honest election clean), or simulate exits 1.
func TestAttacks(t *testing.T) {
	data, err := os.ReadFile("../../doc/design/threat-model.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, at := range simulate.Attacks {
		t.Run(at.Name, func(t *testing.T) {
			if !strings.Contains(readme, "| `"+at.Name+"` |") {
				t.Errorf("the table of attacks in doc/design/threat-model.md has no row for %s", at.Name)
			}
			var stdout, stderr bytes.Buffer
			code := run([]string{"simulate", "-attack", at.Name, "-stations", "40", "-out", t.TempDir()}, &stdout, &stderr)
			if code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
			}
			want := "caught: the verifier found " + strings.Join(at.Checks, ", ")
			switch {
			case at.Name == "honest":
				want = "certified clean"
			case at.Refused:
				want = "refused: the verifier took neither of the rows"
			}
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, stdout.String())
			}
		})
	}
}

// TestVerifyCommand verifies a simulated day's evidence with the verify
// command, as an observer would from the files: exit status 1 with the
// findings on the terminal, and the JSON and HTML reports written.
func TestVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"simulate", "-attack", "announce", "-stations", "30", "-out", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("simulate: exit %d\n%s", code, stderr.String())
	}
	stdout.Reset()
	stderr.Reset()
	jsonOut, htmlOut := filepath.Join(dir, "bundle.json"), filepath.Join(dir, "report.html")
	code := run([]string{"verify", "-election", filepath.Join(dir, "election.txt"), "-log", filepath.Join(dir, "center", "log"),
		"-copies", filepath.Join(dir, "copies"), "-copies", filepath.Join(dir, "hand"), "-announced", filepath.Join(dir, "announced.json"),
		"-csv", filepath.Join(dir, "observers.csv"), "-json", jsonOut, "-html", htmlOut}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "verify: 12 findings, 0 things not checked") {
		t.Fatalf("verify: exit %d, stderr %q; want 1 and 12 findings (11 stations and the totals)", code, stderr.String())
	}
	for _, want := range []string{"altered-at-center  11", "totals-altered     1", "evidence bundle: " + jsonOut, "HTML report: " + htmlOut} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
	var bundle verify.Report
	data, err := os.ReadFile(jsonOut)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &bundle); err != nil || len(bundle.Findings) != 12 {
		t.Fatalf("bundle: %v, %d findings", err, len(bundle.Findings))
	}
	if html, err := os.ReadFile(htmlOut); err != nil || !strings.Contains(string(html), bundle.Findings[0].Station) {
		t.Errorf("HTML report lacks the first finding's station: %v", err)
	}

	// Nothing to verify is a usage error.
	if code := run([]string{"verify", "-election", filepath.Join(dir, "election.txt")}, &stdout, &stderr); code != 2 {
		t.Errorf("verify without sources: exit %d, want 2", code)
	}
}

// TestSimulateStream streams an election through the whole pipeline from the
// command: quiet output (not a terminal), certified clean.
func TestSimulateStream(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"simulate", "-stream", "-stations", "200", "-out", t.TempDir()}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	if !strings.Contains(out, "certified clean: 200 stations") || strings.Contains(out, "\x1b[") || strings.Count(out, "\n") > 20 {
		t.Fatalf("output:\n%s", out)
	}
	if code := run([]string{"simulate", "-stream", "-attack", "missing"}, &stdout, &stderr); code != 2 {
		t.Errorf("-stream -attack missing: exit %d, want 2 (usage)", code)
	}
}
