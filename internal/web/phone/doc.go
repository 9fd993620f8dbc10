// Package phone is the witness's phone app: an installable web app (a PWA)
// that reads an acta from the QR codes of a printed sheet — from a photo
// file or the camera — checks it against the pinned election definition,
// keeps it on the phone with its photo, and sends it to the party's
// collection server when online (issue 16).
//
// Everything the app is, is in assets/ and embedded: no build step and no
// CDN. The acta rules run in the browser as Go compiled to WebAssembly
// (package check, by way of internal/checkwasm, committed as
// assets/check.wasm.gz and kept current by TestWasmUpToDate); QR codes are
// found by zxing-wasm, vendored from the npm registry (assets/README.md).
// Only the decoding of the codes' pixels is JavaScript's: joining the
// parts and every rule of the acta are the same Go that the center runs.
//
// [Handler] serves the app for one election definition, pinned by its
// SHA-256: the app shows the pin and replaces its stored definition only
// when the pin changes. Package collect mounts it beside the endpoint that
// receives the actas.
package phone
