//go:build js && wasm

// Command checkwasm is package check compiled to WebAssembly for the phone
// app (GOOS=js GOARCH=wasm; wasm_exec.js of the same Go release loads it).
// It sets a global object, triplicate, with three functions that take and
// return bytes as Uint8Array (never JavaScript strings, which would not
// carry a QR chunk that ends inside a UTF-8 character):
//
//	triplicate.definition(def)   → {ok, id, name, sha256, stations, error}
//	triplicate.join([part, ...]) → {ok, acta: Uint8Array} or {ok: false, missing, digest, have, count, error}
//	triplicate.open(def, acta)   → the JSON of check.Result
//
// Everything else the app does (camera, storage, upload) is JavaScript;
// every rule about what an acta is stays in Go.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"syscall/js"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/qr"
	"github.com/triplicate-vote/triplicate/internal/web/phone/check"
)

// defs caches parsed definitions by SHA-256: the app checks every acta
// against the same pinned definition.
var defs = map[[32]byte]*election.Definition{}

func definition(data []byte) (*election.Definition, [32]byte, error) {
	sum := sha256.Sum256(data)
	if d, ok := defs[sum]; ok {
		return d, sum, nil
	}
	d, err := election.Parse(data)
	if err != nil {
		return nil, sum, err
	}
	defs[sum] = d
	return d, sum, nil
}

func bytesOf(v js.Value) []byte {
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b
}

func main() {
	api := map[string]any{
		"definition": js.FuncOf(func(_ js.Value, args []js.Value) any {
			d, sum, err := definition(bytesOf(args[0]))
			if err != nil {
				return map[string]any{"ok": false, "sha256": hex.EncodeToString(sum[:]), "error": err.Error()}
			}
			return map[string]any{"ok": true, "id": d.ID, "name": d.Name, "sha256": hex.EncodeToString(sum[:]), "stations": len(d.Stations)}
		}),
		"join": js.FuncOf(func(_ js.Value, args []js.Value) any {
			var payloads []string
			for i := range args[0].Length() {
				payloads = append(payloads, string(bytesOf(args[0].Index(i))))
			}
			msg, err := qr.Join(payloads)
			if err != nil {
				r := map[string]any{"ok": false, "error": err.Error(), "missing": errors.Is(err, qr.ErrMissing)}
				if digest, have, count, err := qr.Progress(payloads); err == nil {
					r["digest"], r["have"], r["count"] = digest, have, count
				}
				return r
			}
			out := js.Global().Get("Uint8Array").New(len(msg))
			js.CopyBytesToJS(out, msg)
			return map[string]any{"ok": true, "acta": out}
		}),
		"open": js.FuncOf(func(_ js.Value, args []js.Value) any {
			d, _, err := definition(bytesOf(args[0]))
			if err != nil {
				b, _ := json.Marshal(check.Result{Kind: "Error", Error: err.Error(), Verdict: map[string]string{
					"en": "the election definition does not read: " + err.Error(),
					"es": "la definición de la elección no se puede leer: " + err.Error(),
				}})
				return string(b)
			}
			_, r := check.Open(d, bytesOf(args[1]))
			b, _ := json.Marshal(r)
			return string(b)
		}),
	}
	js.Global().Set("triplicate", js.ValueOf(api))
	js.Global().Call("dispatchEvent", js.Global().Get("Event").New("triplicate-ready"))
	select {}
}
