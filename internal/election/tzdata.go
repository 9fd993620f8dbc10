//go:build !(js && wasm)

package election

// Every native program that reads a definition can load the zone its
// timezone line names, zoneinfo files or not. The phone's WebAssembly
// leaves the database out (see ValidTimeZone).
import _ "time/tzdata"
