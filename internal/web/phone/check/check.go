// Package check is what the witness's phone app says of an acta: it opens a
// signed acta against the pinned election definition with [acta.Open] — the
// rules of doc/spec/acta.md, in the one implementation the center, the
// verifier and the command line use — and puts the outcome in plain words,
// in Spanish and English: "signed by the machine of station 100.1;
// cosigned by pa and pb; figures add up".
//
// The same code runs in the phone, compiled to WebAssembly (the wasm
// directory below), and in `triplicate collect serve`, which keeps only
// actas that this package accepts. A test in package phone runs every
// vector of doc/spec/vectors in a real browser and wants the same [Result]
// as [Open] gives here.
package check

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// Result is the outcome of checking one acta, as the app shows it and the
// collection server answers it.
type Result struct {
	OK bool `json:"ok"`
	// Kind names the class of failure as the vectors' want files do: the
	// acta package's sentinel error ("ErrSignature"), or "Error" for none.
	Kind string `json:"kind,omitempty"`
	// Error is the acta package's message, which names the problem.
	Error string `json:"error,omitempty"`

	Station  string `json:"station,omitempty"`
	ActaKind string `json:"actaKind,omitempty"` // zero, final or hand
	// SHA256 is the hex SHA-256 of the whole signed acta: what the phone
	// and the collection server tell copies apart by.
	SHA256 string `json:"sha256"`
	// Signers are who signed, primary first, in plain English.
	Signers []string `json:"signers,omitempty"`

	// Verdict is the outcome in plain words, by language ("en", "es").
	Verdict map[string]string `json:"verdict"`
}

// kinds are the sentinels a failure is classed by, most specific first
// (ErrOtherDefinition wraps ErrMismatch).
var kinds = []struct {
	name string
	err  error
	en   string
	es   string
}{
	{"ErrOtherDefinition", acta.ErrOtherDefinition, "it is an acta of another election definition", "es un acta de otra definición de la elección"},
	{"ErrMismatch", acta.ErrMismatch, "it does not match the election definition", "no coincide con la definición de la elección"},
	{"ErrNotEnrolled", acta.ErrNotEnrolled, "it names a machine or auditor key that is not the enrolled one", "nombra una clave de máquina o auditor que no es la registrada"},
	{"ErrUnknownSigner", acta.ErrUnknownSigner, "it is signed by a key the election does not know", "está firmada por una clave que la elección no conoce"},
	{"ErrSignature", acta.ErrSignature, "a signature is forged or missing", "una firma es falsa o falta"},
	{"ErrImpossible", acta.ErrImpossible, "its figures do not add up", "sus cifras no cuadran"},
	{"ErrMalformed", acta.ErrMalformed, "it is not a well-formed acta", "no es un acta bien formada"},
}

// Open checks a signed acta against the definition and says what it found;
// it returns the acta too when it is valid, for a caller that keeps it.
func Open(def *election.Definition, msg []byte) (*acta.Signed, Result) {
	sum := sha256.Sum256(msg)
	r := Result{SHA256: hex.EncodeToString(sum[:])}
	sa, err := acta.Open(msg, def)
	if err != nil {
		r.Kind, r.Error = "Error", err.Error()
		en, es := "it could not be checked", "no se pudo comprobar"
		for _, k := range kinds {
			if errors.Is(err, k.err) {
				r.Kind, en, es = k.name, k.en, k.es
				break
			}
		}
		r.Verdict = map[string]string{
			"en": "NOT VALID: " + en + ". " + err.Error(),
			"es": "NO VÁLIDA: " + es + ". " + err.Error(),
		}
		return nil, r
	}
	r.OK, r.Station, r.ActaKind = true, sa.Station, string(sa.Kind)
	var parties []string
	for _, s := range sa.Signatures {
		r.Signers = append(r.Signers, s.Signer.String())
		if s.Signer.Role == election.RoleWitness {
			parties = append(parties, s.Signer.Party)
		}
	}
	primaryEn, primaryEs := "the machine of station "+sa.Station, "la máquina de la mesa "+sa.Station
	if sa.Kind == acta.Hand {
		primaryEn, primaryEs = "an auditor, hand count of station "+sa.Station, "un auditor, conteo manual de la mesa "+sa.Station
	}
	en := "signed by " + primaryEn + "; "
	es := "firmada por " + primaryEs + "; "
	if len(parties) == 0 {
		en += "no party witness has cosigned; "
		es += "ningún testigo de partido la ha firmado; "
	} else {
		en += "cosigned by " + list(parties, "and") + "; "
		es += "firmada también por " + list(parties, "y") + "; "
	}
	en += "figures add up"
	es += "las cifras cuadran"
	r.Verdict = map[string]string{"en": en, "es": es}
	return sa, r
}

// list joins names as people write them: "a, b and c".
func list(names []string, and string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + and + " " + names[len(names)-1]
}
