package election

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A gzipped definition that inflates past the bound (a decompression
// bomb: here 64 KB of zeros for a bound of 16 KB) is refused with its
// name and the reason, before it is read whole; one within it is read.
func TestReadFileRefusesDecompressionBomb(t *testing.T) {
	defer func(old int) { maxGunzipped = old }(maxGunzipped)
	maxGunzipped = 16 << 10
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		var b bytes.Buffer
		z := gzip.NewWriter(&b)
		z.Write(data)
		z.Close()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	bomb := write("bomb.txt.gz", make([]byte, 64<<10))
	if _, err := ReadFile(bomb); err == nil || !strings.Contains(err.Error(), "bomb.txt.gz") || !strings.Contains(err.Error(), "once gunzipped") {
		t.Errorf("a decompression bomb: %v", err)
	}
	// Within the bound it is parsed (and refused here as no definition,
	// for being zeros, not for its size).
	small := write("small.txt.gz", make([]byte, 1<<10))
	if _, err := ReadFile(small); err == nil || strings.Contains(err.Error(), "once gunzipped") {
		t.Errorf("1 KB of zeros: %v", err)
	}
}
