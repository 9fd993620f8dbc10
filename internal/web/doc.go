// Package web holds nothing but this map of triplicate's web programs, each
// a package of its own over a small shared base:
//
//   - [page]: the base: the layout, the error page, languages and the
//     catalogs' shared part, the pages' headers and the embedded assets
//     (page/assets, htmx and uPlot vendored).
//   - [dashboard]: the tallying center's public results dashboard, which
//     triplicate center serves beside its API.
//   - [kiosk]: the voting terminal's touch screen and poll worker's page,
//     which triplicate machine serve serves.
//   - [report]: the verifier's report: the pages triplicate report serves,
//     and the one-file HTML report of triplicate verify -html.
//   - [boards]: a risk-limiting audit's rounds for its audit boards and
//     administrator, which triplicate audit serve serves.
//
// Each program has its own templates (its directory templates) and its own
// Spanish (messages.go); none imports another.
//
// [page]: https://pkg.go.dev/github.com/triplicate-vote/triplicate/internal/web/page
// [dashboard]: https://pkg.go.dev/github.com/triplicate-vote/triplicate/internal/web/dashboard
// [kiosk]: https://pkg.go.dev/github.com/triplicate-vote/triplicate/internal/web/kiosk
// [report]: https://pkg.go.dev/github.com/triplicate-vote/triplicate/internal/web/report
// [boards]: https://pkg.go.dev/github.com/triplicate-vote/triplicate/internal/web/boards
package web
