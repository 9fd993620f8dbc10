package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/simulate"
)

// TestAttacks runs every row of the README's table of attacks: the verifier
// must find exactly the attack's checks at exactly the stations it touched
// (and certify the honest election clean), or simulate exits 1.
func TestAttacks(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, at := range simulate.Attacks {
		t.Run(at.Name, func(t *testing.T) {
			if !strings.Contains(readme, "| `"+at.Name+"` |") {
				t.Errorf("the README's table of attacks has no row for %s", at.Name)
			}
			var stdout, stderr bytes.Buffer
			code := run([]string{"simulate", "-attack", at.Name, "-stations", "40", "-out", t.TempDir()}, &stdout, &stderr)
			if code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
			}
			want := "caught: the verifier found " + strings.Join(at.Checks, ", ")
			if at.Name == "honest" {
				want = "certified clean"
			}
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, stdout.String())
			}
		})
	}
}
