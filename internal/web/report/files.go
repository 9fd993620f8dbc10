package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

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

// Write writes the report's summary for a terminal ([verify.Report.WriteText],
// with its first nfind findings), then its files as [WriteFiles] does, and a
// line naming each: what "triplicate verify" and "triplicate simulate" print.
func Write(w io.Writer, r *verify.Report, nfind int, jsonPath, htmlPath string) error {
	if err := r.WriteText(w, nfind); err != nil {
		return err
	}
	if err := WriteFiles(r, jsonPath, htmlPath); err != nil {
		return err
	}
	if jsonPath != "" {
		fmt.Fprintf(w, "evidence bundle: %s\n", jsonPath)
	}
	if htmlPath != "" {
		fmt.Fprintf(w, "HTML report: %s\n", htmlPath)
	}
	return nil
}
