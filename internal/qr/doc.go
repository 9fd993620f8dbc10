// Package qr carries a signed acta in QR codes and reads it back: [Parts]
// splits the acta into numbered parts, each the payload of one code, [Join]
// puts them back together, [Modules] and [CodeImages] encode the codes, and
// [ScanFiles] reads them from photos and scans, reassembles and verifies the
// actas. It knows nothing of paper: package printing lays the codes out on
// the PDF tally sheets.
//
// A signed acta does not always fit one QR code that scans reliably, so it is
// split into parts, and parity parts are added so that a code under a finger
// or cut by the edge of a photo is not missed: any K of the N parts give the
// acta back. The payload format, version 2, is specified in doc/spec/qr.md,
// with test vectors under doc/spec/vectors/qr/. A part is an ASCII header
// line and a shard of the acta or of the Reed-Solomon parity:
//
//	triplicate qr v2 1/3 2 835 3c5a2f0e8d1b7a64
//	triplicate acta v1
//	election ve2024
//	station 10113042.1
//	...
//
// where 1/3 is the part's number and the count of parts, 2 how many parts
// give the acta back, 835 the acta's length in bytes and 3c5a2f0e8d1b7a64
// the first 16 hexadecimal digits of SHA-256 of the whole signed acta
// ([Digest]). The length decides the rest, so that an acta has one split
// and a reader can reject anything else. [Join] still reads version 1 parts
// (no parity, all needed), which sheets printed before carry; [Progress]
// says how many parts were read and how many more are needed.
//
// Scanning is in three steps, each usable alone: [ReadImage] decodes a PNG
// or JPEG file, [ScanImage] finds the QR codes in an image, and an
// [Assembler] groups the parts found in many images by acta, joins them and
// says which image is wrong and why. [ScanFiles] does all three and opens
// each acta against the election definition, and [Keep] files a scanned acta
// in a directory without ever overwriting another count of its station.
//
// The image work (ReadImage, ScanImage, ScanFiles, CodeImages, and the
// gozxing decoder behind them) is left out of js/wasm builds: the phone app
// reads codes with zxing-wasm, and its WebAssembly, compiled from this
// package, needs only the parts format.
package qr
