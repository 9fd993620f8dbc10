package demo

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/verify"
)

// TestProgress checks the demo's progress: plain lines when not on a
// terminal (none for a step just done: its own line follows), a redrawn bar
// on one.
func TestProgress(t *testing.T) {
	var b bytes.Buffer
	p := &progress{w: &b, start: time.Now()}
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
	p = &progress{w: &b, start: time.Now(), last: time.Now(), every: time.Hour}
	p.count("vote", 1, 3)
	if b.Len() != 0 {
		t.Errorf("a plain line before its time: %q", b.String())
	}
	p = &progress{w: &b, terminal: true, start: time.Now()}
	p.count("transmit", 2, 4)
	if got := b.String(); !strings.HasPrefix(got, "\r\x1b[2K") || !strings.Contains(got, "transmitting") || !strings.Contains(got, "███████████████···············") || !strings.Contains(got, "2/4") || strings.Contains(got, "\n") {
		t.Errorf("terminal progress: %q", got)
	}
}

// TestClearDir clears a directory the demo made, makes a missing one, and
// refuses one holding files it did not make, leaving them.
func TestClearDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	if err := clearDir(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "old"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := clearDir(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "old")); err == nil {
		t.Error("the demo's old file survived clearing")
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "mine"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := clearDir(other); err == nil || !strings.Contains(err.Error(), "not a directory the demo made") {
		t.Errorf("clearing a directory the demo did not make: %v", err)
	}
	if _, err := os.Stat(filepath.Join(other, "mine")); err != nil {
		t.Errorf("the user's file: %v", err)
	}
}

// TestFlips checks the end of the closing sentence: nothing when the
// outcome holds, the new winner when it flips, the tie when it ties.
func TestFlips(t *testing.T) {
	o := verify.Outcome{Flips: true, AnnouncedWinner: "NM", AnnouncedMargin: 100, CorrectedWinner: "EG", CorrectedMargin: 728}
	for _, tc := range []struct {
		outcomes []verify.Outcome
		want     string
	}{
		{nil, ""},
		{[]verify.Outcome{{AnnouncedWinner: "EG"}}, ""},
		{[]verify.Outcome{o}, ", and that the outcome flips: NM was announced the winner by 100 votes; the actas make EG the winner by 728"},
	} {
		if got := flips(&verify.Report{Outcomes: tc.outcomes}); got != tc.want {
			t.Errorf("flips(%+v) = %q, want %q", tc.outcomes, got, tc.want)
		}
	}
	o.Tie, o.Tied = true, []string{"EG", "NM"}
	if got := flips(&verify.Report{Outcomes: []verify.Outcome{o}}); !strings.HasSuffix(got, "the actas tie EG, NM") {
		t.Errorf("a tie: %q", got)
	}
}

// TestShellQuote: the closing commands' paths run as printed in a POSIX
// shell, spaces and quotes in them too.
func TestShellQuote(t *testing.T) {
	for _, path := range []string{"/tmp/plain/dir_1.x-y", "/tmp/sp ace/election.txt", "/tmp/it's/x", "/tmp/$HOME`x`"} {
		out, err := exec.Command("sh", "-c", "printf %s "+shellQuote(path)).Output()
		if err != nil || string(out) != path {
			t.Errorf("%q quoted as %s reads back as %q, %v", path, shellQuote(path), out, err)
		}
	}
	if q := shellQuote("/tmp/plain/dir"); q != "/tmp/plain/dir" {
		t.Errorf("a plain path quoted: %s", q)
	}
}
