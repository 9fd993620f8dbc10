package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/forensics"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// WriteFiles writes the report's JSON evidence bundle to jsonPath and its
// HTML page ([WriteHTML]) to htmlPath, each only if named, durably.
//
// Forensics, if any, are screens of the same figures (triplicate verify
// -forensics): the JSON bundle has them under "forensics", the HTML report
// a section of them.
func WriteFiles(r *verify.Report, jsonPath, htmlPath string, forensics ...*forensics.Report) error {
	if jsonPath != "" {
		var v any = r
		if len(forensics) > 0 {
			v = withForensics{r, forensics}
		}
		data, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		if err := durable.WriteFile(jsonPath, append(data, '\n'), 0o644); err != nil {
			return err
		}
	}
	if htmlPath != "" {
		var b bytes.Buffer
		if err := WriteHTML(&b, r, forensics...); err != nil {
			return err
		}
		if err := durable.WriteFile(htmlPath, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Write writes the report's summary for a terminal ([verify.Report.WriteText],
// with its first nfind findings, then each forensics report's summary), then its files as [WriteFiles] does, and a
// line naming each: what "triplicate verify" and "triplicate simulate" print.
func Write(w io.Writer, r *verify.Report, nfind int, jsonPath, htmlPath string, forensics ...*forensics.Report) error {
	if err := r.WriteText(w, nfind); err != nil {
		return err
	}
	for _, f := range forensics {
		if err := f.WriteSummary(w); err != nil {
			return err
		}
	}
	if err := WriteFiles(r, jsonPath, htmlPath, forensics...); err != nil {
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

// withForensics is the JSON bundle with the forensics screens beside the
// report's own fields.
type withForensics struct {
	*verify.Report
	Forensics []*forensics.Report `json:"forensics"`
}
