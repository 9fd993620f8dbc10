package announced

import (
	"bytes"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

// Sign signs the announcement with the center's key and returns the signed
// note.
func Sign(s *Announcement, k note.Signer) ([]byte, error) {
	body, err := s.Marshal()
	if err != nil {
		return nil, err
	}
	return note.Sign(&note.Note{Text: string(body)}, k)
}

// Open checks a signed announcement against the election definition: it
// must be signed by the definition's center key and by no other key, be
// in the one encoding, and be of the definition (its election id and
// digest), of one of its stations with the station's registered voters,
// and give every contest of the station's ballot and every candidate of
// each, in the definition's order. The figures themselves are not checked:
// whatever the center announced, signed, is evidence of what it said.
func Open(msg []byte, def *election.Definition) (*Signed, error) {
	if len(msg) > MaxBytes {
		return nil, &SyntaxError{0, fmt.Sprintf("%d bytes, more than %d", len(msg), MaxBytes)}
	}
	if def.Center == "" {
		return nil, fmt.Errorf("%w: election %s enrols no center key to check it with", ErrSignature, def.ID)
	}
	if err := keys.CheckVerifier(def.Center); err != nil {
		return nil, fmt.Errorf("%w: the definition's center key: %v", ErrSignature, err)
	}
	v, err := note.NewVerifier(def.Center)
	if err != nil {
		return nil, fmt.Errorf("%w: the definition's center key: %v", ErrSignature, err)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		var unknown *note.UnverifiedNoteError
		if errors.As(err, &unknown) {
			return nil, fmt.Errorf("%w: no signature by the center's key %s", ErrSignature, election.KeyID(def.Center))
		}
		if err.Error() == "malformed note" { // note's errMalformedNote, unexported
			return nil, &SyntaxError{0, "not a signed note"}
		}
		return nil, fmt.Errorf("%w: %v", ErrSignature, err)
	}
	// note.Open drops a signature line given twice: count the lines, so
	// that a note has one spelling.
	if lines := bytes.Count(msg[len(n.Text)+1:], []byte("\n")); len(n.Sigs) != 1 || len(n.UnverifiedSigs) != 0 || lines != 1 {
		return nil, fmt.Errorf("%w: %d signatures, want the center's alone", ErrSignature, max(lines, len(n.Sigs)+len(n.UnverifiedSigs)))
	}
	body := []byte(n.Text)
	s, err := Parse(body)
	if err != nil {
		return nil, err
	}
	if err := s.match(def); err != nil {
		return nil, err
	}
	return &Signed{Announcement: s, Body: body, Msg: msg}, nil
}

// match checks that the announcement is of the definition and of the
// shape of its station's ballot.
func (s *Announcement) match(def *election.Definition) error {
	mismatch := func(f string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrMismatch, fmt.Sprintf(f, args...))
	}
	if s.Election != def.ID {
		return mismatch("announcement of election %q, not %s", s.Election, def.ID)
	}
	if d := def.Digest(); s.Definition != d {
		return mismatch("announcement of definition %x, not %x", s.Definition[:6], d[:6])
	}
	st := def.Station(s.Station)
	if st == nil {
		return mismatch("election %s has no station %q", def.ID, s.Station)
	}
	if s.Registered != st.Registered {
		return mismatch("station %s: %d registered, the definition has %d", s.Station, s.Registered, st.Registered)
	}
	ballot := def.Ballot(st)
	if len(s.Contests) != len(ballot) {
		return mismatch("station %s: %d contests, its ballot has %d", s.Station, len(s.Contests), len(ballot))
	}
	for i, c := range ballot {
		got := s.Contests[i]
		if got.ID != c.ID {
			return mismatch("station %s: contest %d is %q, its ballot's is %s", s.Station, i+1, got.ID, c.ID)
		}
		if len(got.Candidates) != len(c.Candidates) {
			return mismatch("station %s: contest %s: %d candidates, the definition has %d", s.Station, c.ID, len(got.Candidates), len(c.Candidates))
		}
		for j, x := range c.Candidates {
			if got.Candidates[j].ID != x.ID {
				return mismatch("station %s: contest %s: candidate %d is %q, the definition's is %s", s.Station, c.ID, j+1, got.Candidates[j].ID, x.ID)
			}
		}
	}
	return nil
}

// Equivocation says whether two signed announcements, both opened against
// one definition, prove that the center equivocated: two different
// announcements of one station at one log size, or two roots of one log
// size. It returns what they prove, or "" if they do not.
func Equivocation(a, b *Signed) string {
	switch {
	case a.Size != b.Size || bytes.Equal(a.Body, b.Body):
		return ""
	case a.Root != b.Root:
		return fmt.Sprintf("the center signed two different roots of its log at size %d (stations %s and %s): two histories of one log", a.Size, a.Station, b.Station)
	case a.Station == b.Station:
		return fmt.Sprintf("the center signed two different announcements of station %s at log size %d", a.Station, a.Size)
	}
	return ""
}
