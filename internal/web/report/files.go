package report

import (
	"bytes"
	"encoding/json"

	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// WriteFiles writes the report's JSON evidence bundle to jsonPath and its
// HTML page ([WriteHTML]) to htmlPath, each only if named, durably.
func WriteFiles(r *verify.Report, jsonPath, htmlPath string) error {
	if jsonPath != "" {
		data, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return err
		}
		if err := durable.WriteFile(jsonPath, append(data, '\n'), 0o644); err != nil {
			return err
		}
	}
	if htmlPath != "" {
		var b bytes.Buffer
		if err := WriteHTML(&b, r); err != nil {
			return err
		}
		if err := durable.WriteFile(htmlPath, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}
