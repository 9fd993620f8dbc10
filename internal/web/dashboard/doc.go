// Package dashboard is the tallying center's public results dashboard,
// which triplicate center serves beside the center's API: the outcome at a
// glance under each contest's rule, the totals as actas arrive, the
// jurisdiction tree down to each station — drawn as a map of its areas,
// each coloured by its leader and outlined where disputed, when the
// definition names their boundaries (package boundaries; areamap.go), as
// tiles otherwise — each station's evidence — its
// verdict in plain words and its sources side by side first, then its
// actas as printed, their signatures, QR codes and PDF, log index and
// inclusion proof — the stations a verifier's report disputes, the log's
// checkpoint, search, and the open data with checksums. See [Dashboard]
// for its addresses.
//
// Its pages are rendered from the center's running totals with the
// templates in templates/ over the layout of package page, in Spanish and
// English (messages.go; tests fail on any string a page shows untranslated,
// the verifier's findings of every kind included: package findings writes
// their Spanish from their figures).
// Only the home page, with its chart and live figures, loads a script; the
// chart's series is read from the public log (chart.go), so it is the same
// after a restart and on every front-end.
package dashboard
