package phone

import (
	"os/exec"
	"strings"
	"testing"
)

// The phone downloads its WebAssembly before it checks anything, so what
// it links is weighed: these packages were cut out of it, each for a size
// it cost, and must not come back by way of a new import.
var notInWasm = map[string]string{
	"crypto/x509":                      "github.com/transparency-dev/formats/note brings it (0.85 MB) for verifiers the phone does not use: verify cosignatures with internal/keys",
	"github.com/klauspost/reedsolomon": "its Leopard codes, CPU detection and flag parsing (0.41 MB) for 99 shards at most: internal/qr has the code of doc/spec/qr.md, held to the library by its tests",
	"time/tzdata":                      "the time zone database (0.39 MB): the phone reads zones from the browser's (check/zone_js.go), and election.ValidTimeZone from a list of names",
}

func TestWasmDeps(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to list the WebAssembly's packages:", err)
	}
	cmd := exec.Command("go", "list", "-deps", "./internal/checkwasm")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 20 {
		t.Fatalf("go list gave %d packages: %q", len(deps), deps)
	}
	for _, p := range deps {
		if why, ok := notInWasm[p]; ok {
			t.Errorf("the phone's WebAssembly links %s again: %s", p, why)
		}
	}
}
