package election

import (
	"bytes"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/note"
)

// Sign reads a definition, plain or signed, and signs it with the key of
// its authority: it returns the signed form, a C2SP signed note whose text is
// the canonical definition ([Definition.Marshal]), then a blank line and the
// authority's signature line. An earlier signature is dropped. [Parse] reads
// the result. See doc/spec/election.md, "The signed definition".
func Sign(data []byte, s note.Signer) ([]byte, error) {
	text, _ := splitSigned(data)
	d, err := parse(text)
	if err != nil {
		return nil, err
	}
	if d.Authority == "" {
		return nil, fmt.Errorf("election %s has no authority line: no key may sign it", d.ID)
	}
	msg, err := note.Sign(&note.Note{Text: string(d.Marshal())}, s)
	if err != nil {
		return nil, err
	}
	v, err := note.NewVerifier(d.Authority)
	if err != nil {
		return nil, err
	}
	if _, err := note.Open(msg, note.VerifierList(v)); err != nil {
		return nil, fmt.Errorf("key %s is not the authority key of election %s (%s)", s.Name(), d.ID, KeyID(d.Authority))
	}
	return msg, nil
}

// Signed returns the signed form the definition was read from, or nil if
// it was read unsigned. Its text is the canonical definition.
func (d *Definition) Signed() []byte { return d.signed }

// sigStart begins a signed note's signature block: the blank line and the
// first signature line's em dash.
var sigStart = []byte("\n\n\u2014 ")

// splitSigned returns the text of a definition and whether it is in the
// signed form: the text ends at the blank line before the last block of
// lines that starts with a signature line.
func splitSigned(data []byte) (text []byte, signed bool) {
	i := bytes.LastIndex(data, sigStart)
	if i < 0 || bytes.Contains(data[i+2:], []byte("\n\n")) {
		return data, false
	}
	return data[:i+1], true
}

// checkSigned checks the signature of a definition read from data, text
// being its definition part: with an
// authority line it must be signed by the authority alone, over its
// canonical text; without one it must not be signed.
func (d *Definition) checkSigned(data, text []byte, signed bool) error {
	switch {
	case d.Authority == "" && signed:
		return errors.New("signed, but has no authority line: a signature says nothing without the authority's key")
	case d.Authority == "":
		return nil
	case !signed:
		return fmt.Errorf("not signed by the authority %s, as its authority line requires (triplicate election sign)", KeyID(d.Authority))
	}
	if !bytes.Equal(text, d.Marshal()) {
		return errors.New("signed text is not the definition in its canonical layout (no comments, blank lines, CR LF or byte order mark)")
	}
	v, err := note.NewVerifier(d.Authority) // parse checked it
	if err != nil {
		return err
	}
	n, err := note.Open(data, note.VerifierList(v))
	var unv *note.UnverifiedNoteError
	var inv *note.InvalidSignatureError
	switch {
	case errors.As(err, &unv):
		return fmt.Errorf("not signed by the authority %s: signed only by keys the definition does not name as its authority", KeyID(d.Authority))
	case errors.As(err, &inv):
		return fmt.Errorf("the authority's signature (%s) does not verify: the definition was altered after signing, or the signature forged", KeyID(d.Authority))
	case err != nil:
		return fmt.Errorf("malformed signed definition: %v", err)
	case len(n.UnverifiedSigs) > 0:
		return fmt.Errorf("signed by %s as well as the authority: a signed definition carries the authority's signature alone", n.UnverifiedSigs[0].Name)
	case bytes.Count(data[len(n.Text)+1:], []byte("\n")) != len(n.Sigs):
		return errors.New("the authority's signature is repeated")
	}
	d.signed = data
	return nil
}
