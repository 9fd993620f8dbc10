// Package report renders a verifier's report ([verify.Report]) as HTML, in
// two forms that share their templates and their one rule for marking a
// figure that differs between counts (oddValues):
//
//   - [WriteHTML]: one self-contained page, in English, with no script and
//     nothing fetched from elsewhere, to mail, archive and open offline
//     (triplicate verify -html, and the demo);
//   - [Pages]: the report served as pages, discrepancies first, in Spanish
//     and English ([Serve]; triplicate report); the findings' check names
//     and summaries in Spanish are package findings', written from each
//     finding's figures.
//
// Package verify makes the report and its JSON; it knows nothing of HTML.
package report
