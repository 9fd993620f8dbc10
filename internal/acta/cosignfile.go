package acta

import (
	"fmt"
	"os"

	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/election"
	"golang.org/x/mod/sumdb/note"
)

// CosignFile cosigns the acta file at path in place, as [Cosign] does, and
// writes it back durably: a party witness's "triplicate acta cosign". Errors
// of the acta name the file; the file is left as it was.
func CosignFile(path string, def *election.Definition, signers ...note.Signer) error {
	msg, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := Cosign(msg, def, signers...)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return durable.WriteFile(path, out, 0o644)
}
