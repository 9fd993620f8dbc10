// Package printing prints signed actas and voting vouchers on paper: [PDF]
// lays out the copies of an acta — one for each party's witness and one for
// the tallying center, "printed in triplicate" — each with the
// human-readable tally and, on the same page, the whole signed acta in QR
// codes, split with parity by [qr.Parts] so that any K of them give it
// back; [VoucherPDF] prints the paper voucher of a vote; [WriteText] writes
// an acta's tally as plain text, as a terminal's tape. Each prints in a
// [Lang], English or Spanish: the acta's own bytes, names and signatures
// are the same in both. Package qr reads the codes back from photos and
// scans.
//
// The same acta always prints to the same PDF bytes in a language: the
// document's dates are the acta's own time, and nothing else varies.
package printing
