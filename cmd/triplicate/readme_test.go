package main

import (
	"bufio"
	"io"
	"net/http"
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
	for _, want := range []string{"verified", "scanned", "The verifier proved all 11 altered stations", "the outcome flips", "The report: ", "triplicate report "} {
		if !strings.Contains(string(out), want) {
			t.Errorf("demo output has no %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(tmp, "triplicate-demo", "election.txt")); err != nil {
		t.Errorf("demo left no election definition: %v", err)
	}
	browseReport(t, root, string(out))
}

// browseReport runs the command the demo ends with, which serves its report
// as pages, on a free port, and reads the first page.
func browseReport(t *testing.T, root, out string) {
	m := regexp.MustCompile(`(?m)^  (?:go run \./cmd/triplicate|\S*triplicate) report (\S+)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatal("the demo does not end with the command that serves its report")
	}
	bin := filepath.Join(t.TempDir(), "triplicate")
	if b, err := exec.Command("go", "build", "-o", bin, filepath.Join(root, "cmd", "triplicate")).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	cmd := exec.Command(bin, "report", "-addr", "127.0.0.1:0", m[1])
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Signal(os.Interrupt)
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("triplicate report printed nothing: %v", err)
	}
	url := regexp.MustCompile(`http://\S+/`).FindString(line)
	if url == "" {
		t.Fatalf("triplicate report printed %q, with no address", line)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "12 discrepancies found") {
		t.Errorf("GET %s: %s\n%.400s", url, resp.Status, page)
	}
}
