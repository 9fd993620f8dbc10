// Package page is what triplicate's web programs share: the layout that
// every page is rendered in, the error page, the language of a request and
// the Spanish of the messages the layout uses, the headers every page is
// sent with, and the embedded assets (assets/README.md) served under
// /assets/. The programs are its siblings: [dashboard] (the center's
// results), [kiosk] (the voting terminal's screens), [report] (the
// verifier's report) and [boards] (the audit boards' rounds); each brings its own templates and its own Spanish,
// and none imports another.
//
// Pages are rendered on the server with html/template; the few front-end
// libraries they use (htmx, uPlot) are vendored, so nothing is fetched
// from elsewhere at run time and nothing is built.
//
// Every page is in Spanish and English: the language comes from the "lang"
// query parameter (which also sets a cookie), else that cookie, else the
// browser's Accept-Language; each page links to the other language.
//
// Pages send a Content-Security-Policy that allows only the server's own
// scripts, styles and connections: no inline script, no inline style.
//
// What the programs send is sent compressed, as a [Body]: brotli to the
// browsers that take it (all of them over HTTPS; over plain HTTP, Chromium
// offers it to loopback alone), gzip to those that take only gzip, the bytes as they are to the
// rest, each form with its own ETag — the assets compressed once, the
// dashboard's pages when rendered, the phone app's files (package phone)
// when it starts. [AcceptedEncodings] reads Accept-Encoding.
//
// [dashboard]: https://pkg.go.dev/github.com/triplicate-vote/triplicate/internal/web/dashboard
// [kiosk]: https://pkg.go.dev/github.com/triplicate-vote/triplicate/internal/web/kiosk
// [report]: https://pkg.go.dev/github.com/triplicate-vote/triplicate/internal/web/report
// [boards]: https://pkg.go.dev/github.com/triplicate-vote/triplicate/internal/web/boards
package page
