//go:build !linux

package machine

import "os"

// datasync flushes a file to stable storage (F_FULLFSYNC on macOS).
func datasync(f *os.File) error { return f.Sync() }
