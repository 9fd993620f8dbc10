// Package printing prints signed actas and voting vouchers on paper: [PDF]
// lays out one page per copy of an acta — one for each party's witness and
// one for the tallying center, "printed in triplicate" — with the
// human-readable tally and the whole signed acta in QR codes, split by
// [qr.Parts]; [VoucherPDF] prints the paper voucher of a vote; [WriteText]
// writes an acta's tally as plain text. Package qr reads the codes back from
// photos and scans.
//
// The same acta always prints to the same PDF bytes: the document's dates are
// the acta's own time, and nothing else varies.
package printing
