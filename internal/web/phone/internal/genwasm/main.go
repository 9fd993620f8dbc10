// Command genwasm builds the phone app's WebAssembly (package check, by way
// of internal/checkwasm) into assets/check.wasm.br, compresses the vendored
// zxing_reader.wasm beside it into assets/zxing_reader.wasm.br, and copies
// wasm_exec.js, the loader of the same Go release, beside them. `go
// generate ./internal/web/phone/` runs it from that directory;
// TestWasmUpToDate runs the same build and fails if the committed files
// differ.
//
// The built file is committed, not built on demand: go:embed needs it when
// the triplicate binary is compiled, and a fresh clone must build with `go
// build` alone. Both WebAssembly files are committed as brotli (quality 11)
// because that is how they travel to a browser, which takes brotli over
// HTTPS (check.wasm: 5.4 MB as built, 1.08 MB as brotli, 1.48 MB as gzip), and
// compressing 5.4 MB that well takes some twenty seconds: too long for a
// server's start. Package phone decodes them once and serves them as
// check.wasm and zxing_reader.wasm, negotiating the encoding (see its doc).
//
// With -check it writes nothing and fails if a committed file differs from
// what it would write; a .br file is compared by what it decodes to, so a
// new release of the brotli package, which may compress differently, does
// not make it stale.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/andybalholm/brotli"
)

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
	zxing, err := os.ReadFile("assets/zxing_reader.wasm")
	if err != nil {
		fail(err)
	}
	stale := false
	for _, f := range []struct {
		name   string
		data   []byte
		brotli bool // written compressed as brotli
	}{
		{"assets/check.wasm.br", wasm, true},
		{"assets/zxing_reader.wasm.br", zxing, true},
		{"assets/wasm_exec.js", loader, false},
		{"assets/check.wasm.goversion", []byte(runtime.Version() + "\n"), false},
	} {
		if *check {
			old, err := os.ReadFile(f.name)
			if err == nil && f.brotli {
				old, err = io.ReadAll(brotli.NewReader(bytes.NewReader(old)))
			}
			if err != nil || !bytes.Equal(old, f.data) {
				fmt.Fprintf(os.Stderr, "genwasm: %s is not what %s builds: run go generate ./internal/web/phone/\n", f.name, runtime.Version())
				stale = true
			}
			continue
		}
		data := f.data
		if f.brotli {
			data = Brotli(data)
		}
		if err := os.WriteFile(f.name, data, 0o644); err != nil {
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

// Brotli compresses as well as brotli can (quality 11, its default window
// of 4 MB: the largest, 16 MB, came out larger on check.wasm).
func Brotli(data []byte) []byte {
	var b bytes.Buffer
	w := brotli.NewWriterLevel(&b, brotli.BestCompression)
	w.Write(data)
	w.Close()
	return b.Bytes()
}
