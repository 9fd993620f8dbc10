package phone

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// The committed WebAssembly is what the Go of this checkout builds: a
// change to the acta rules that is not rebuilt into the app fails here.
// The build is reproducible only with the same Go release, so with another
// one the test skips, saying which; CI has the recorded one.
func TestWasmUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the app's WebAssembly (about 30 s): skipped in -short")
	}
	recorded, err := os.ReadFile("assets/check.wasm.goversion")
	if err != nil {
		t.Fatal(err)
	}
	if v := strings.TrimSpace(string(recorded)); v != runtime.Version() && os.Getenv("CI") == "" {
		t.Skipf("assets/check.wasm.br was built by %s, this is %s: the bytes would differ", v, runtime.Version())
	}
	out, err := exec.Command("go", "run", "./internal/genwasm", "-check").CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}
