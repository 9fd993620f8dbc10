package simulate

import (
	"os"
	"strconv"
	"strings"
)

// PeakRSS resets the process's peak resident memory (Linux: VmHWM, reset by
// writing 5 to /proc/self/clear_refs) and returns a function that reads it:
// the most memory the process held in between, measured without sampling.
// Where the kernel offers neither, the memory reads 0 and logf says why:
// benchmarks pass their b.Logf.
func PeakRSS(logf func(format string, args ...any)) (read func() uint64) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		logf("cannot reset the peak memory: %v", err)
		return func() uint64 { return 0 }
	}
	return func() uint64 {
		status, err := os.ReadFile("/proc/self/status")
		if err != nil {
			return 0
		}
		for _, line := range strings.Split(string(status), "\n") {
			if kb, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				n, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(kb, "kB")), 10, 64)
				return n << 10
			}
		}
		return 0
	}
}
