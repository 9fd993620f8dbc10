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
// Readers turn other sources into figures, each station checked against
// the definition and each problem an error naming the source and the line or
// station:
//
//   - [ReadTable] reads a [Table] of per-station figures in any [Layout]:
//     wide CSV (one row a station, through a [Mapping] of its columns,
//     [ParseMapping]), long CSV (one row a station × contest × choice, as
//     most official open data is, through a [LongMapping]), JSON (flat
//     objects, keys mapped as columns) or NIST SP 1500-100 v2 election
//     results ([NISTMapping]); station ids normalised by an [IDRule]; a
//     station given twice refused. [WriteNIST] writes figures in that
//     standard.
//   - [ReadCSV] is the wide reader as the audit uses it: rows of one
//     station given twice are all returned, for the caller to judge.
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
