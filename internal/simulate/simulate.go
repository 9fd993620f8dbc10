// Package simulate runs whole elections for demos, tests and benchmarks:
// real stations and vote counts from embedded data, machines that vote,
// close and print, witnesses that cosign, and scans of the printed sheets.
//
// It has two pipelines:
//
//   - [Run] simulates one election day in a directory, up to the 1,534 real
//     tables of the embedded data: terminals that vote, sign and print,
//     party witnesses that cosign and keep copies, transmission to a real
//     center, hand counts, the observers' collection, and one of the
//     [Attacks]. It keeps every piece of evidence (the [Day]) for the
//     verifier; "triplicate demo" and "triplicate simulate" (up to 1,534
//     stations) use it.
//   - [Stream] runs an honest election of any number of stations (the
//     embedded tables, cycled, as [NewStreamElection] defines them) through
//     bounded queues — generate, vote, sign, cosign, transmit, log, verify —
//     so that memory does not grow with the stations, and times each stage;
//     "triplicate simulate" uses it with -stream or more than 1,534
//     stations, as do the large benchmarks.
//
// [fraud.Election] (package internal/simulate/fraud) makes only per-station figures, of an honest election or
// of one stuffed at a share of its stations in the ways Klimek et al. and
// Kobak et al. describe, to calibrate package forensics' indicators.
//
// Package [github.com/triplicate-vote/triplicate/internal/simulate/check]
// holds a day to its attack: the verifier must find exactly what the attack
// leaves.
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
