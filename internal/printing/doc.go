// Package printing prints signed actas on paper and reads them back: [PDF]
// lays out one page per copy — one for each party's witness and one for the
// tallying center, "printed in triplicate" — with the human-readable tally
// and the whole signed acta in QR codes; [ScanFiles] reads those codes back
// from photos and scans, reassembles and verifies the actas.
//
// A signed acta does not always fit one QR code that scans reliably, so
// [Parts] splits it into numbered parts, each the payload of one code, and
// [Join] puts them back together. The payload format is specified in
// doc/spec/qr.md. A part is an ASCII header line and a chunk of the message:
//
//	triplicate qr v1 1/2 3c5a2f0e8d1b7a64
//	triplicate acta v1
//	election ve2024
//	station 10113042.1
//	...
//
// where 1/2 is the part's number and the count of parts and 3c5a2f0e8d1b7a64
// the first 16 hexadecimal digits of SHA-256 of the whole signed acta. Every
// part but the last carries exactly [ChunkSize] bytes, so that a message has
// one split and a reader can reject anything else.
//
// Scanning is in three steps, each usable alone: [ReadImage] decodes a PNG
// or JPEG file, [ScanImage] finds the QR codes in an image, and an
// [Assembler] groups the parts found in many images by acta, joins them and
// says which image is wrong and why. [ScanFiles] does all three and opens
// each acta against the election definition.
//
// The same acta always prints to the same PDF bytes: the document's dates are
// the acta's own time, and nothing else varies.
package printing
