//go:build js && wasm

// Command checkwasm is package check compiled to WebAssembly for the phone
// app (GOOS=js GOARCH=wasm; wasm_exec.js of the same Go release loads it).
// It sets a global object, triplicate, with three functions that take and
// return bytes as Uint8Array (never JavaScript strings, which would not
// carry a QR chunk that ends inside a UTF-8 character):
//
//	triplicate.definition(def)   → {ok, id, name, sha256, stations, deadline, error}
//	triplicate.join([part, ...]) → {ok, acta: Uint8Array} or {ok: false, missing, digest, have, count, error}
//	triplicate.open(def, acta)   → the JSON of check.Result
//	triplicate.witnessKey(def, name, publicKey) → {ok, vkey, who, error}
//	triplicate.body(def, acta)   → {ok, body: Uint8Array, error}: what a witness signs
//	triplicate.cosign(def, acta, vkey, signature) → {ok, acta: Uint8Array, error}
//	triplicate.qr(text)          → {ok, modules: ["0110…", …]}: a QR code to draw
//	triplicate.compare(def, acta, station, [receipt, …], checkpoint, before) → the JSON of check.Comparison
//	                             (check.Since the JSON before, if given), or {error}
//	triplicate.announced(def, acta, announcement) → the JSON of check.Announcement
//	triplicate.uploadMessage(def, acta, unix, nonce) → {ok, message: Uint8Array}: what the phone signs to send an acta
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
	"time"

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

func fail(err error) map[string]any { return map[string]any{"ok": false, "error": err.Error()} }

func toJS(b []byte) js.Value {
	out := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(out, b)
	return out
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
			return map[string]any{"ok": true, "id": d.ID, "name": d.Name, "sha256": hex.EncodeToString(sum[:]), "stations": len(d.Stations), "deadline": check.Deadline(d)}
		}),
		"join": js.FuncOf(func(_ js.Value, args []js.Value) any {
			var payloads []string
			for i := range args[0].Length() {
				payloads = append(payloads, string(bytesOf(args[0].Index(i))))
			}
			msg, err := qr.JoinAny(payloads)
			if err != nil {
				r := map[string]any{"ok": false, "error": err.Error(), "missing": errors.Is(err, qr.ErrMissing)}
				if s, err := qr.Progress(payloads); err == nil {
					// count is how many codes rebuild the acta: with parity
					// on the sheet, fewer than it has.
					r["digest"], r["have"], r["count"], r["printed"] = s.Digest, s.Have, s.Need, s.Printed
				}
				return r
			}
			return map[string]any{"ok": true, "acta": toJS(msg)}
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
	api["witnessKey"] = js.FuncOf(func(_ js.Value, args []js.Value) any {
		d, _, err := definition(bytesOf(args[0]))
		if err != nil {
			return fail(err)
		}
		vkey, who, err := check.WitnessKey(d, args[1].String(), bytesOf(args[2]))
		if err != nil {
			return fail(err)
		}
		return map[string]any{"ok": true, "vkey": vkey, "who": who}
	})
	api["body"] = js.FuncOf(func(_ js.Value, args []js.Value) any {
		d, _, err := definition(bytesOf(args[0]))
		if err != nil {
			return fail(err)
		}
		body, err := check.Body(d, bytesOf(args[1]))
		if err != nil {
			return fail(err)
		}
		return map[string]any{"ok": true, "body": toJS(body)}
	})
	api["cosign"] = js.FuncOf(func(_ js.Value, args []js.Value) any {
		d, _, err := definition(bytesOf(args[0]))
		if err != nil {
			return fail(err)
		}
		msg, err := check.Cosign(d, bytesOf(args[1]), args[2].String(), bytesOf(args[3]))
		if err != nil {
			return fail(err)
		}
		return map[string]any{"ok": true, "acta": toJS(msg)}
	})
	api["qr"] = js.FuncOf(func(_ js.Value, args []js.Value) any {
		m, err := qr.Modules(args[0].String())
		if err != nil {
			return fail(err)
		}
		rows := make([]any, len(m))
		for i, row := range m {
			b := make([]byte, len(row))
			for j, dark := range row {
				b[j] = '0'
				if dark {
					b[j] = '1'
				}
			}
			rows[i] = string(b)
		}
		return map[string]any{"ok": true, "modules": rows}
	})
	api["compare"] = js.FuncOf(func(_ js.Value, args []js.Value) any {
		fail := func(err error) any { b, _ := json.Marshal(map[string]string{"error": err.Error()}); return string(b) }
		d, _, err := definition(bytesOf(args[0]))
		if err != nil {
			return fail(err)
		}
		receipts := map[uint64][]byte{}
		for i := range args[3].Length() {
			raw := bytesOf(args[3].Index(i))
			var r struct{ Index uint64 }
			if err := json.Unmarshal(raw, &r); err == nil {
				receipts[r.Index] = raw
			}
		}
		var checkpoint []byte
		if len(args) > 4 && !args[4].IsNull() && !args[4].IsUndefined() {
			checkpoint = bytesOf(args[4])
		}
		c, err := check.Compare(d, bytesOf(args[1]), bytesOf(args[2]), receipts, checkpoint, time.Now())
		if err != nil {
			return fail(err)
		}
		if len(args) > 5 && args[5].Type() == js.TypeString {
			var before check.Comparison
			if json.Unmarshal([]byte(args[5].String()), &before) == nil {
				c = check.Since(before, c)
			}
		}
		b, _ := json.Marshal(c)
		return string(b)
	})
	api["announced"] = js.FuncOf(func(_ js.Value, args []js.Value) any {
		d, _, err := definition(bytesOf(args[0]))
		if err != nil {
			return fail(err)
		}
		a := check.CompareAnnounced(d, bytesOf(args[1]), bytesOf(args[2]))
		if len(args) > 3 && !args[3].IsNull() && !args[3].IsUndefined() {
			a = check.AgainstCheckpoint(d, a, bytesOf(args[3]), time.Now())
		}
		b, _ := json.Marshal(a)
		return string(b)
	})
	api["uploadMessage"] = js.FuncOf(func(_ js.Value, args []js.Value) any {
		d, _, err := definition(bytesOf(args[0]))
		if err != nil {
			return fail(err)
		}
		return map[string]any{"ok": true, "message": toJS(check.UploadMessage(d.ID, bytesOf(args[1]), int64(args[2].Float()), args[3].String()))}
	})
	js.Global().Set("triplicate", js.ValueOf(api))
	js.Global().Call("dispatchEvent", js.Global().Get("Event").New("triplicate-ready"))
	select {}
}
