// Package dashboard is the tallying center's public results dashboard,
// which triplicate center serves beside the center's API: the totals as
// actas arrive, the jurisdiction tree down to each station, each station's
// evidence (its actas as printed, their signatures, QR codes and PDF, log
// index and inclusion proof, hand counts and a verifier's findings), the
// log's checkpoint, and search. See [Dashboard] for its addresses.
//
// Its pages are rendered from the center's running totals with the
// templates in templates/ over the layout of package page, in Spanish and
// English (messages.go).
package dashboard
