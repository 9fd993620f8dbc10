// Package phone is the witness's phone app: an installable web app (a PWA)
// that reads an acta from the QR codes of a printed sheet — from a photo
// file or the camera — checks it against the pinned election definition,
// keeps it on the phone with its photo, and sends it to the party's
// collection server when online (issue 16).
//
// Everything the app is, is in assets/ and embedded: no build step and no
// CDN. The acta rules run in the browser as Go compiled to WebAssembly
// (package check, by way of internal/checkwasm, committed as
// assets/check.wasm.br and kept current by TestWasmUpToDate); QR codes are
// found by zxing-wasm, vendored from the npm registry (assets/README.md).
// Only the decoding of the codes' pixels is JavaScript's: joining the
// parts and every rule of the acta are the same Go that the center runs.
//
// [Handler] serves the app for one election definition, pinned by its
// SHA-256: the app shows the pin and replaces its stored definition only
// when the pin changes. Package collect mounts it beside the endpoint that
// receives the actas.
//
// # How the files travel
//
// A first load is some 6.4 MB as the files are, 5.4 of them check.wasm. So
// every file is sent compressed (page.Body): brotli to the browsers that
// take it — all of them over HTTPS, which an installable app needs anyway
// — gzip to those that take only gzip, as it is to the rest, with
// Content-Encoding, so that the browser decodes it and the app and its
// service worker see the file as it is. The two WebAssembly files are
// committed and embedded compressed as brotli (NAME.wasm.br, made by go
// generate: brotli's best takes some twenty seconds on check.wasm) and
// served as NAME.wasm; the rest are compressed when the program first makes
// an app. TestFirstLoad logs what a first load costs in each encoding.
//
// The app also works from any static host (`triplicate collect app`
// writes it; sending actas needs collect serve): App.Files is every file
// as it is, App.Compressed each one's NAME.br and NAME.gz. A host that
// serves precompressed files (nginx's brotli_static and gzip_static,
// Caddy's file_server precompressed br gzip) sends NAME.br for NAME with
// "Content-Encoding: br" to a browser that takes brotli, NAME.gz likewise,
// with NAME's Content-Type and "Vary: Accept-Encoding"; it must not send
// NAME.br under NAME's address without that Content-Encoding. A host that
// serves the plain files alone works too, sending check.wasm whole (5.4 MB)
// unless it compresses on the fly. check.wasm needs no particular
// Content-Type: the app instantiates its bytes. zxing_reader.wasm should
// go as application/wasm (nginx before 1.21 lacks it: add it to
// mime.types): zxing's loader streams it, and on another type falls back
// to downloading it a second time.
package phone
