// Package boards serves a risk-limiting audit's rounds to the people who
// run them: the administrator's page, which launches a round (the audit's
// own draw, audit.Boards.Launch), shows each board's and each contest's
// progress and the risk measured after each sign-off, and reopens a
// board's sign-off; and each audit board's pages, with its retrieval list
// (the stations or vouchers drawn, and box labels to print), one entry
// page for each of its two members, who enter every hand count (or every
// voucher's choices) independently, and its sign-off.
//
// The package decides nothing about the audit: every rule (what is drawn,
// what count is possible, when two entries agree, when a board may sign
// off, how the paper is recorded and the risk measured) is package audit's,
// which writes everything to the audit's directory and its trail before
// the page answers, so `triplicate audit status` and `audit verify` see
// what the boards entered. Handlers translate: they read a form, call
// audit.Boards and map its errors to a status (refusal) and a page that
// keeps what was typed.
//
// Authentication is minimal and said plainly: each board's pages, and the
// administrator's, are at an address holding a token (HMAC-SHA256 of the
// page's name under a secret kept in the audit directory's boards.secret,
// never published); whoever has the address can enter that board's
// counts. Run it on a network of the counting room only.
//
// Pages are in Spanish and English (package page), work without
// JavaScript, and use htmx only to refresh the progress they show.
package boards
