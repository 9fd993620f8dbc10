package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADME runs the first command of the README's first screen exactly as
// it is written there, from the repository's root, and checks that the
// second is the test command. The demo writes under TMPDIR, which the test
// points at its own directory.
func TestREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the demo; skipped in -short mode")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)```\n(.*?)```").FindSubmatch(readme)
	if block == nil {
		t.Fatal("README has no code block")
	}
	var cmds []string
	for _, line := range strings.Split(string(block[1]), "\n") {
		if cmd, _, _ := strings.Cut(line, "#"); strings.TrimSpace(cmd) != "" {
			cmds = append(cmds, strings.TrimSpace(cmd))
		}
	}
	if len(cmds) != 2 || cmds[1] != "go test ./..." {
		t.Fatalf("README's first code block is %q, want the demo command and 'go test ./...'", cmds)
	}
	args := strings.Fields(cmds[0])
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = root
	tmp := t.TempDir()
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	out, err := cmd.CombinedOutput()
	t.Logf("%s\n%s", cmds[0], out)
	if err != nil {
		t.Fatalf("%s: %v", cmds[0], err)
	}
	for _, want := range []string{"verified", "scanned", "The verifier proved all 11 altered stations", "the outcome flips", "The report: "} {
		if !strings.Contains(string(out), want) {
			t.Errorf("demo output has no %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(tmp, "triplicate-demo", "election.txt")); err != nil {
		t.Errorf("demo left no election definition: %v", err)
	}
}
