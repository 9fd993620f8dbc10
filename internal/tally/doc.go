// Package tally holds the figures of a count and reads them from the sources
// that give them without signatures.
//
// A tally is one source's count of one polling station: registered voters,
// ballots cast, and for each contest on the station's ballot the votes of
// every candidate, blank and null. [Figures] holds it compactly, laid out by
// the station's ballot in the election definition; a figure a source does
// not give is [Unknown]. [FromActa] takes the figures of a signed acta;
// [Figures.Differs] and [Figures.Impossible] compare and check them.
//
// Two readers turn other sources into figures, each station checked against
// the definition and each problem an error naming the source and the line or
// station:
//
//   - [ReadCSV] reads a spreadsheet of station counts, such as an observers'
//     collection, through a [Mapping] of its columns ([ParseMapping]).
//   - [ParseAnnounced] reads the tallying center's announced figures, the
//     JSON of /v1/announced or its CSV (doc/spec/api.md).
//
// [Fetch] reads a source from a file or an http(s) URL, through an
// [HTTPClient] that gives up on a server that stalls, so that an unreachable
// source is said to be unread rather than waited for forever.
//
// Package verify reconciles these with the signed actas and the log;
// package audit checks them against hand counts. Only Fetch does I/O; the
// readers read the bytes or reader given.
package tally
