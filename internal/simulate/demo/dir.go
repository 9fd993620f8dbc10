package demo

import (
	"fmt"
	"os"
	"path/filepath"
)

// marker marks a directory the demo made, so that it may clear it.
const marker = ".triplicate-demo"

// clearDir empties dir if the demo made it, and makes it; it refuses a
// directory that holds files the demo did not make.
func clearDir(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, marker)); err == nil {
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	} else if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty and not a directory the demo made: not clearing it", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, marker), nil, 0o644)
}
