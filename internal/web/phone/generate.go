package phone

// The app's WebAssembly is built from Go and committed; TestWasmUpToDate
// fails when it is stale. See internal/genwasm.
//go:generate go run ./internal/genwasm
