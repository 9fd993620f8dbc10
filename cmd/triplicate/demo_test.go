package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemo runs a small demo in process: it says it is a simulation, its
// report says so too, it names its report once, and its closing commands
// run as printed.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a simulated election day")
	}
	dir := filepath.Join(t.TempDir(), "demo")
	var out, errOut bytes.Buffer
	if code := run([]string{"demo", "-stations", "12", "-scan", "1", "-out", dir}, &out, &errOut); code != 0 {
		t.Fatalf("exit status %d\n%s\n%s", code, out.String(), errOut.String())
	}
	text := out.String()
	for _, want := range []string{
		"simulated figures on the real tables of the Distrito Capital",
		"SIMULATED FIGURES",
		"\n  " + selfCommand() + " verify -election ",
		"\n  " + selfCommand() + " report " + filepath.Join(dir, "report.json") + "\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("demo output has no %q:\n%s", want, text)
		}
	}
	if n := strings.Count(text, "report.html"); n != 1 {
		t.Errorf("demo output names report.html %d times, want once:\n%s", n, text)
	}
	data, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil || !bytes.Contains(data, []byte(`"simulated": true`)) {
		t.Errorf("report.json does not say simulated: %v", err)
	}
}

// TestSelfCommand checks the command the demo prints to run the program
// again: under go run or go test, whose executables are in the go-build
// cache, "go run ./cmd/triplicate".
func TestSelfCommand(t *testing.T) {
	exe, err := os.Executable()
	if err != nil || !strings.Contains(filepath.ToSlash(exe), "go-build") {
		t.Skipf("the test binary %s is not in the go-build cache", exe)
	}
	if got := selfCommand(); got != "go run ./cmd/triplicate" {
		t.Errorf("selfCommand() = %q, want go run ./cmd/triplicate", got)
	}
}
