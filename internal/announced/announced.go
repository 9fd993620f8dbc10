// Package announced is the tallying center's signed announcement of one
// station's figures (doc/spec/announced.md): what the center says it
// counted for a station at one size of its log, signed with the center's
// key, so that whoever relays it cannot change it unseen and the center
// cannot deny it.
//
// The body is canonical text, one encoding for each announcement:
//
//	triplicate announced v1
//	election test
//	definition c207102884ba0abd7d35ff1f9fb4ad6b851015408ec312657a6001843cf01d57
//	size 12
//	root 5b1f0a8d2c3e4f5061728394a5b6c7d8e9f00112233445566778899aabbccddee
//	station 100.1
//	index 5
//	registered 500
//	ballots 10
//	contest president
//	candidate ALBA 6
//	candidate BRUNO 3
//	candidate CORA 0
//	blank 0
//	null 1
//
// and the signed note is that body, a blank line and one signature line,
// the center's (C2SP signed-note). [Sign] makes one; [Open] checks one
// against the election definition; [Split] cuts a bundle of them (as
// GET /v1/announced?format=signed serves them) into notes. Two signed
// announcements of one station at one log size that differ, or of one log
// size with different roots, are the center's equivocation:
// [Equivocation] says which.
package announced

import (
	"errors"
)

// Errors that Open wraps, so that callers can tell the kinds of failure
// apart.
var (
	// ErrMalformed: the body is not an announcement in its one encoding.
	ErrMalformed = errors.New("malformed announcement")
	// ErrSignature: the note is not signed by the definition's center key
	// alone, or the signature does not verify.
	ErrSignature = errors.New("announcement not signed by the center")
	// ErrMismatch: the announcement's election, definition, station,
	// registered voters or ballot are not the definition's.
	ErrMismatch = errors.New("announcement does not match the election definition")
)

// Announcement is one station's announced figures at one size of the log.
type Announcement struct {
	Election   string
	Definition [32]byte // the digest of the election definition
	Size       uint64   // the log size the figures are of
	Root       [32]byte // the log's root hash at that size
	Station    string
	Index      uint64 // the log entry of the station's acta; below Size
	Registered int
	Ballots    int
	Contests   []Contest // the station's ballot, in the definition's order
}

// Contest is the announced count of one contest at a station.
type Contest struct {
	ID         string
	Candidates []Candidate // every candidate, in the definition's order
	Blank      int
	Null       int
}

// Candidate is one candidate's announced votes.
type Candidate struct {
	ID    string
	Votes int
}

// Signed is an announcement whose signature has been checked.
type Signed struct {
	*Announcement
	Body []byte // the signed body
	Msg  []byte // the whole signed note, verbatim
}
