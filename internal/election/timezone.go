package election

import "slices"

//go:generate go run ./internal/genzones

// ValidTimeZone reports whether name may be a definition's time zone: a
// name of the time zone database of the Go release triplicate is built
// with (zonenames.go), such as America/Caracas or UTC. The list decides,
// not the zoneinfo files a machine has or lacks, so that every machine
// reads a timezone line alike: a server, a laptop, and the phone's
// WebAssembly, which carries no time zone database (0.39 MB of it) and
// reads the zone's offsets from the browser's.
// Native programs load the zone from time/tzdata (tzdata.go).
func ValidTimeZone(name string) bool {
	_, ok := slices.BinarySearch(zoneNames, name)
	return ok
}
