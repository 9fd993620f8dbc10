package acta

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// Errors that Open wraps, so that callers can tell the kinds of failure apart.
var (
	// ErrSignature: a signature does not verify, or the primary signer has
	// not signed.
	ErrSignature = errors.New("bad signature")
	// ErrUnknownSigner: a signature by a key the definition does not enrol.
	ErrUnknownSigner = errors.New("unknown signer")
	// ErrNotEnrolled: the acta names a machine (or auditor) key that is not
	// the one the definition enrols for its station.
	ErrNotEnrolled = errors.New("key not enrolled")
	// ErrMismatch: the acta's election, station, registered voters or ballot
	// are not the definition's.
	ErrMismatch = errors.New("acta does not match the election definition")
	// ErrOtherDefinition: a version 2 acta names the digest of another
	// definition than the one it is checked against, perhaps of the same
	// election id. It wraps ErrMismatch.
	ErrOtherDefinition = fmt.Errorf("%w: acta of another definition", ErrMismatch)
)

// Signed is an acta whose signatures have been checked against an election
// definition.
type Signed struct {
	*Acta
	Body       []byte      // the signed body
	Msg        []byte      // the whole signed note, verbatim
	Signatures []Signature // in the order of the note
}

// Signature is one verified signature of an acta and whose key made it.
type Signature struct {
	note.Signature
	Signer election.Signer
}

// Sign signs the acta with the key of its primary signer (the machine, or for
// a hand count the auditor) and returns the signed note.
func Sign(a *Acta, s note.Signer) ([]byte, error) {
	body, err := a.Marshal()
	if err != nil {
		return nil, err
	}
	msg, err := note.Sign(&note.Note{Text: string(body)}, s)
	if err != nil {
		return nil, err
	}
	v, err := note.NewVerifier(a.Primary())
	if err != nil {
		return nil, err
	}
	if _, err := note.Open(msg, note.VerifierList(v)); err != nil {
		return nil, fmt.Errorf("acta: key %s is not the %s key the acta names", s.Name(), primaryRole(a.Kind))
	}
	return msg, nil
}

func primaryRole(k Kind) election.Role {
	if k == Hand {
		return election.RoleAuditor
	}
	return election.RoleMachine
}

// Cosign checks a signed acta against the definition and adds the signatures
// of party witnesses, in order: the same bytes as cosigning with each in
// turn, with the acta's signatures checked once.
func Cosign(msg []byte, def *election.Definition, signers ...note.Signer) ([]byte, error) {
	sa, err := Open(msg, def)
	if err != nil {
		return nil, err
	}
	signed := map[string]bool{}
	for _, sig := range sa.Signatures {
		signed[sig.Signer.Key] = true
	}
	for _, s := range signers {
		who, ok := def.SignerOf(s.Name(), s.KeyHash())
		if !ok || who.Role != election.RoleWitness {
			return nil, fmt.Errorf("key %s is not a witness key of election %s", s.Name(), def.ID)
		}
		if signed[who.Key] {
			return nil, fmt.Errorf("acta of station %s is already signed by %s", sa.Station, s.Name())
		}
		signed[who.Key] = true
	}
	if len(sa.Signatures)+len(signers) > MaxSignatures {
		return nil, fmt.Errorf("acta of station %s has %d signatures: %d more are past the %d an acta may carry", sa.Station, len(sa.Signatures), len(signers), MaxSignatures)
	}
	n := &note.Note{Text: string(sa.Body)}
	for _, sig := range sa.Signatures {
		n.Sigs = append(n.Sigs, sig.Signature)
	}
	return note.Sign(n, signers...)
}

// MaxSignatures is the most signatures an acta may carry (the limit of
// note.Open).
const MaxSignatures = 100

// Open parses a signed acta and checks it against the election definition:
// the body's format and arithmetic, its election, station, registered voters
// and ballot, that its machine (or auditor) key is the enrolled one and has
// signed, and that every other signature is a party witness's and verifies.
// See doc/spec/acta.md, "Signatures".
func Open(msg []byte, def *election.Definition) (*Signed, error) {
	return open(msg, def, def.Verifiers())
}

// open is Open with the verifiers of the election's keys given.
func open(msg []byte, def *election.Definition, vs note.Verifiers) (*Signed, error) {
	if err := checkText(msg); err != nil {
		return nil, err
	}
	n, err := note.Open(msg, vs)
	var unv *note.UnverifiedNoteError
	var inv *note.InvalidSignatureError
	switch {
	case errors.As(err, &unv):
		// No key of the election signed: check the body first, so that an
		// acta naming a machine key that is not enrolled is reported as such.
		n = unv.Note
	case errors.As(err, &inv):
		// A body edited to name a station (or figures) the election does
		// not have says more than its broken signature: say both.
		if i := bytes.LastIndex(msg, []byte("\n\n")); i >= 0 {
			if a, perr := parseText(string(msg[:i+1])); perr == nil {
				if merr := a.matches(def); merr != nil {
					return nil, fmt.Errorf("%w; and %w", merr, noteError(msg, err))
				}
			}
		}
		return nil, noteError(msg, err)
	case err != nil:
		return nil, noteError(msg, err)
	}
	sigBlock := msg[len(n.Text)+1:]
	if lines := bytes.Count(sigBlock, []byte("\n")); lines != len(n.Sigs)+len(n.UnverifiedSigs) {
		return nil, &SyntaxError{Msg: "a signature is repeated"}
	}
	for _, s := range append(n.Sigs[:len(n.Sigs):len(n.Sigs)], n.UnverifiedSigs...) {
		// note.Open decodes base64 leniently; one acta has one spelling.
		if _, err := base64.StdEncoding.Strict().DecodeString(s.Base64); err != nil {
			return nil, &SyntaxError{Msg: "signature by " + s.Name + " is not in canonical base64"}
		}
	}
	a, err := parseText(n.Text)
	if err != nil {
		return nil, err
	}
	if err := a.matches(def); err != nil {
		return nil, err
	}
	ballot := def.Ballot(def.Station(a.Station))
	if a.PerContest && !NeedsPerContest(ballot) {
		// One encoding of each count: where version 2 says it all, the
		// machine writes version 2.
		return nil, fmt.Errorf("%w: station %s: a version 3 acta, but its ballot has no contest of more than one vote a ballot: its count is a version 2 acta", ErrMismatch, a.Station)
	}
	if err := a.checkRules(ballot); err != nil {
		return nil, err
	}
	if len(n.UnverifiedSigs) > 0 {
		// A signature under the name of the key the acta names, but not
		// its key hash: the signature line was altered (or another key
		// took the name). Either way the primary's signature does not
		// verify; it is no unknown signer.
		primary := election.KeyName(a.Primary())
		for _, s := range n.UnverifiedSigs {
			if s.Name == primary {
				return nil, fmt.Errorf("%w: station %s: the signature by %s does not verify: its key hash is not that of the %s key the acta names (altered signature?)", ErrSignature, a.Station, s.Name, primaryRole(a.Kind))
			}
		}
		var names []string
		for _, s := range n.UnverifiedSigs {
			names = append(names, s.Name)
		}
		return nil, fmt.Errorf("%w: station %s: signed by %s, not a key of election %s", ErrUnknownSigner, a.Station, strings.Join(names, ", "), def.ID)
	}
	// The body is the message's first bytes (note.Open checked it).
	sa := &Signed{Acta: a, Body: msg[:len(n.Text):len(n.Text)], Msg: msg, Signatures: make([]Signature, 0, len(n.Sigs))}
	for _, s := range n.Sigs {
		who, _ := def.SignerOf(s.Name, s.Hash)
		sa.Signatures = append(sa.Signatures, Signature{Signature: s, Signer: who})
	}
	if !slices.ContainsFunc(sa.Signatures, func(s Signature) bool { return s.Signer.Key == a.Primary() }) {
		return nil, fmt.Errorf("%w: station %s: not signed by its %s", ErrSignature, a.Station, primaryRole(a.Kind))
	}
	for _, s := range sa.Signatures {
		if s.Signer.Key != a.Primary() && s.Signer.Role != election.RoleWitness {
			return nil, fmt.Errorf("%w: station %s: cosigned by %s, which is not a witness key", ErrUnknownSigner, a.Station, s.Signer)
		}
	}
	return sa, nil
}

// checkText checks what note.Open checks of the text as a whole (UTF-8, no
// control characters but newlines), to say where the problem is.
func checkText(msg []byte) error {
	if kind := imageKind(msg); kind != "" {
		return &SyntaxError{Msg: "a " + kind + " image, not the text of an acta: read the acta from its QR codes"}
	}
	switch {
	case bytes.HasPrefix(msg, []byte("%PDF-")):
		return &SyntaxError{Msg: "a PDF, not the text of an acta: render its pages as images (pdftoppm) and read the acta from its QR codes"}
	case bytes.HasPrefix(msg, []byte("\xef\xbb\xbf")):
		return &SyntaxError{Line: 1, Msg: "starts with a byte-order mark (U+FEFF) that an editor added: an acta is plain ASCII, remove it"}
	case bytes.HasPrefix(msg, []byte("\xff\xfe")) || bytes.HasPrefix(msg, []byte("\xfe\xff")):
		return &SyntaxError{Line: 1, Msg: "UTF-16 text (saved as Unicode by an editor?): an acta is plain ASCII"}
	}
	line := 1
	for i := 0; i < len(msg); {
		r, size := utf8.DecodeRune(msg[i:])
		switch {
		case r == '\r' && i+1 < len(msg) && msg[i+1] == '\n':
			return &SyntaxError{Line: line, Msg: crlf}
		case r == utf8.RuneError && size == 1:
			return &SyntaxError{Line: line, Msg: fmt.Sprintf("byte %#02x is not UTF-8", msg[i])}
		case r < 0x20 && r != '\n':
			return &SyntaxError{Line: line, Msg: fmt.Sprintf("byte %#02x is not printable ASCII", msg[i])}
		case r == '\n':
			line++
		}
		i += size
	}
	return nil
}

// imageKind returns "PNG" or "JPEG" if msg starts as one does, else "".
func imageKind(msg []byte) string {
	switch {
	case bytes.HasPrefix(msg, []byte("\x89PNG\r\n\x1a\n")):
		return "PNG"
	case bytes.HasPrefix(msg, []byte("\xff\xd8\xff")):
		return "JPEG"
	}
	return ""
}

// noteError turns an error of note.Open into one of this package's.
func noteError(msg []byte, err error) error {
	var inv *note.InvalidSignatureError
	if errors.As(err, &inv) {
		return fmt.Errorf("%w: signature by %s does not verify (altered body or signature?)", ErrSignature, inv.Name)
	}
	i := bytes.LastIndex(msg, []byte("\n\n"))
	if i < 0 {
		return &SyntaxError{Msg: "no signature block (want a blank line and signature lines after the body)"}
	}
	if n := bytes.Count(msg[i+2:], []byte("\n")); n > MaxSignatures {
		return &SyntaxError{Msg: fmt.Sprintf("%d signatures, more than the %d an acta may carry", n, MaxSignatures)}
	}
	return &SyntaxError{Msg: "not a well-formed signed note: " + err.Error()}
}

// matches checks the acta against the definition.
func (a *Acta) matches(def *election.Definition) error {
	if a.Election != def.ID {
		return fmt.Errorf("%w: acta is of election %s, not %s", ErrMismatch, a.Election, def.ID)
	}
	if a.Version() >= 2 {
		if d := def.Digest(); a.Definition != d {
			return fmt.Errorf("%w: station %s: the acta names definition %x of election %s, this definition is %x", ErrOtherDefinition, a.Station, a.Definition, a.Election, d)
		}
	}
	st := def.Station(a.Station)
	if st == nil {
		return fmt.Errorf("%w: no station %s in election %s", ErrMismatch, a.Station, def.ID)
	}
	if st.Observer() {
		return fmt.Errorf("%w: %w", ErrNotEnrolled, st.NoMachine())
	}
	if a.Machine != st.Machine {
		return fmt.Errorf("%w: station %s: acta names machine key %s, but the enrolled one is %s", ErrNotEnrolled, a.Station, election.KeyID(a.Machine), election.KeyID(st.Machine))
	}
	if a.Kind == Hand {
		if who, ok := def.Signer(a.Auditor); !ok || who.Role != election.RoleAuditor {
			return fmt.Errorf("%w: station %s: %s is not an auditor key of the election", ErrNotEnrolled, a.Station, election.KeyID(a.Auditor))
		}
	}
	if a.Registered != st.Registered {
		return fmt.Errorf("%w: station %s: %d registered voters, the definition says %d", ErrMismatch, a.Station, a.Registered, st.Registered)
	}
	ballot := def.Ballot(st)
	if len(ballot) != len(a.Contests) {
		return fmt.Errorf("%w: station %s: %d contests, its ballot has %d", ErrMismatch, a.Station, len(a.Contests), len(ballot))
	}
	for i, c := range ballot {
		t := a.Contests[i]
		if t.Contest != c.ID {
			return fmt.Errorf("%w: station %s: contest %d is %s, the ballot's is %s", ErrMismatch, a.Station, i+1, t.Contest, c.ID)
		}
		if len(t.Candidates) != len(c.Candidates) {
			return fmt.Errorf("%w: station %s: contest %s has %d candidates, the ballot %d", ErrMismatch, a.Station, c.ID, len(t.Candidates), len(c.Candidates))
		}
		for j, x := range c.Candidates {
			if t.Candidates[j].Candidate != x.ID {
				return fmt.Errorf("%w: station %s: contest %s: candidate %d is %s, the ballot's is %s", ErrMismatch, a.Station, c.ID, j+1, t.Candidates[j].Candidate, x.ID)
			}
		}
	}
	return nil
}
