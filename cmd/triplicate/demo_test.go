package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

// TestDemoProgress checks the demo's progress: plain lines when not on a
// terminal (none for a step just done: its own line follows), a redrawn bar
// on one.
func TestDemoProgress(t *testing.T) {
	var b bytes.Buffer
	p := &demoProgress{w: &b, start: time.Now()}
	for i := 1; i <= 3; i++ {
		p.count("vote", i, 3)
	}
	p.count("scan", 1, 8)
	want := "voting, signing, printing: 1/3 stations\n"
	if got := b.String(); !strings.Contains(got, want) || !strings.Contains(got, "voting, signing, printing: 2/3 stations\n") ||
		strings.Contains(got, "3/3") || !strings.Contains(got, "scanning: 1/8 printed sheets\n") || strings.Contains(got, "\r") {
		t.Errorf("plain progress:\n%s", got)
	}
	b.Reset()
	p = &demoProgress{w: &b, start: time.Now(), last: time.Now(), every: time.Hour}
	p.count("vote", 1, 3)
	if b.Len() != 0 {
		t.Errorf("a plain line before its time: %q", b.String())
	}
	p = &demoProgress{w: &b, terminal: true, start: time.Now()}
	p.count("transmit", 2, 4)
	if got := b.String(); !strings.HasPrefix(got, "\r\x1b[2K") || !strings.Contains(got, "transmitting") || !strings.Contains(got, "███████████████···············") || !strings.Contains(got, "2/4") || strings.Contains(got, "\n") {
		t.Errorf("terminal progress: %q", got)
	}
}
