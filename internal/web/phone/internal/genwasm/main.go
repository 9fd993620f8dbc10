// Command genwasm builds the phone app's WebAssembly (package check, by way
// of internal/checkwasm) into assets/check.wasm.gz and copies wasm_exec.js,
// the loader of the same Go release, beside it. `go generate
// ./internal/web/phone/` runs it from that directory; TestWasmUpToDate runs
// the same build and fails if the committed files differ.
//
// The built file is committed, not built on demand: go:embed needs it when
// the triplicate binary is compiled, and a fresh clone must build with `go
// build` alone. It is gzipped because that is how it travels (1.6 MB, not
// 6 MB); the app inflates it with the browser's DecompressionStream, so it
// needs no server's Content-Encoding and reads from a cache or a plain
// static host alike.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// With -check it writes nothing and fails if a committed file differs
// from what it would write.
func main() {
	check := flag.Bool("check", false, "compare with the committed files instead of writing them")
	flag.Parse()
	wasm, err := Build()
	if err != nil {
		fail(err)
	}
	loader, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		fail(err)
	}
	stale := false
	for _, f := range []struct {
		name string
		data []byte
	}{
		{"assets/check.wasm.gz", Gzip(wasm)},
		{"assets/wasm_exec.js", loader},
		{"assets/check.wasm.goversion", []byte(runtime.Version() + "\n")},
	} {
		if *check {
			if old, err := os.ReadFile(f.name); err != nil || !bytes.Equal(old, f.data) {
				fmt.Fprintf(os.Stderr, "genwasm: %s is not what %s builds: run go generate ./internal/web/phone/\n", f.name, runtime.Version())
				stale = true
			}
			continue
		}
		if err := os.WriteFile(f.name, f.data, 0o644); err != nil {
			fail(err)
		}
	}
	if stale {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "genwasm:", err)
	os.Exit(1)
}

// Build compiles the checker to WebAssembly, reproducibly: no paths, no VCS
// stamp, no symbol table.
func Build() ([]byte, error) {
	out, err := os.CreateTemp("", "check-*.wasm")
	if err != nil {
		return nil, err
	}
	out.Close()
	defer os.Remove(out.Name())
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", out.Name(),
		"github.com/triplicate-vote/triplicate/internal/web/phone/internal/checkwasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %v\n%s", err, msg)
	}
	return os.ReadFile(out.Name())
}

// Gzip compresses deterministically: no name, no time in the header.
func Gzip(data []byte) []byte {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	w.Write(data)
	w.Close()
	return b.Bytes()
}
