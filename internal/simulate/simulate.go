// Package simulate runs whole elections for demos, tests and benchmarks:
// real stations and vote counts from embedded data, machines that vote,
// close and print, witnesses that cosign, and scans of the printed sheets.
// [Attacks] lists the attacks a day can suffer; package
// [github.com/triplicate-vote/triplicate/internal/simulate/check] holds the
// verifier's report of a day to its attack.
package simulate

import (
	_ "embed"
)

// VE2024Template is the header of an election definition for Venezuela's 2024
// presidential election: its contest, candidates and parties, with no keys.
//
//go:embed data/ve2024-template.txt
var VE2024Template []byte

// VE2024Capital is the per-table results of the Distrito Capital in Venezuela's
// 2024 presidential election, from the observers' collection; see data/README.md.
//
//go:embed data/ve2024-dtto-capital.csv
var VE2024Capital []byte
