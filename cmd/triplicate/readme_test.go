package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
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
	bin := buildTriplicate(t, root)
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
	if resp.StatusCode != 200 || !strings.Contains(string(page), "13 discrepancies found") {
		t.Errorf("GET %s: %s\n%.400s", url, resp.Status, page)
	}
}

// buildTriplicate builds the command from the source into a new directory
// and returns its path.
func buildTriplicate(t *testing.T, root string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "triplicate")
	if b, err := exec.Command("go", "build", "-o", bin, filepath.Join(root, "cmd", "triplicate")).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return bin
}

// TestREADMEQuickstart runs the code blocks of the README's Quickstart
// section verbatim with sh -e, as a newcomer would from the root of a clone
// (a temporary directory holding a copy of examples/), with triplicate built
// from the source first in PATH. The only change is the center's address,
// 127.0.0.1:7300, which becomes a free port. The center the quickstart
// starts in the background is stopped when the script ends, however it ends.
func TestREADMEQuickstart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and runs an election; skipped in -short mode")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	script := quickstart(t, string(readme))
	for _, want := range []string{"triplicate keygen", "triplicate election init", "../examples/stations.csv", "../examples/template.txt",
		"triplicate center serve", "127.0.0.1:7300", "triplicate machine open", "triplicate machine vote", "triplicate machine close",
		"triplicate machine transmit", "triplicate acta cosign", "triplicate verify"} {
		if !strings.Contains(script, want) {
			t.Errorf("the README's quickstart has no %q", want)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	script = strings.ReplaceAll(script, "127.0.0.1:7300", addr)

	bin := buildTriplicate(t, root)
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "examples"), os.DirFS(filepath.Join(root, "examples"))); err != nil {
		t.Fatal(err)
	}
	// On any exit, stop the background job (the center) and wait for it,
	// so that nothing outlives the test or writes into its directory. The
	// quickstart's own kill may have stopped it already: under sh -e, a
	// kill of a process gone would make the script fail at its very end.
	wrapped := "trap 'kill $! 2>/dev/null || true; wait' EXIT\n" + script
	cmd := exec.Command("sh", "-e", "-c", wrapped)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("the quickstart ran in %v:\n%s\n%s", time.Since(start).Round(time.Millisecond), script, out)
	if err != nil || !strings.Contains(string(out), "findings: none") {
		// What the center said, which the quickstart sends to a file.
		logs, _ := os.ReadFile(filepath.Join(dir, "quickstart", "center.log"))
		t.Logf("center.log:\n%s", logs)
	}
	if err != nil {
		t.Fatalf("the README's quickstart failed: %v", err)
	}
	for _, want := range []string{"stations: 2 agree, 0 differ, 0 without any count", "findings: none", "inclusion proof verified"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the quickstart's output has no %q", want)
		}
	}
}

// quickstart returns the commands of the README's Quickstart section: its
// fenced code blocks, joined.
func quickstart(t *testing.T, readme string) string {
	t.Helper()
	_, section, ok := strings.Cut(readme, "\n## Quickstart\n")
	if !ok {
		t.Fatal("README has no '## Quickstart' section")
	}
	if i := strings.Index(section, "\n## "); i >= 0 {
		section = section[:i]
	}
	var script strings.Builder
	for _, m := range regexp.MustCompile("(?s)```[a-z]*\n(.*?)```").FindAllStringSubmatch(section, -1) {
		script.WriteString(m[1])
	}
	if script.Len() == 0 {
		t.Fatal("the README's Quickstart section has no code block")
	}
	if n := strings.Count(script.String(), "\n"); n > 30 {
		t.Errorf("the README's quickstart is %d lines, more than a quickstart's 30", n)
	}
	return script.String()
}
