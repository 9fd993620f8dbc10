package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/verify"
)

// TestWriteFiles writes both files, the JSON reading back as the report and
// the HTML as its page, and neither when neither is named.
func TestWriteFiles(t *testing.T) {
	dir := t.TempDir()
	jsonPath, htmlPath := filepath.Join(dir, "report.json"), filepath.Join(dir, "report.html")
	if err := WriteFiles(htmlTestReport(), jsonPath, htmlPath); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var back verify.Report
	if err := json.Unmarshal(data, &back); err != nil || back.Election != "ve2024" || len(back.Findings) != 3 || !strings.HasSuffix(string(data), "}\n") {
		t.Errorf("report.json: %v, %+v", err, back)
	}
	if page, err := os.ReadFile(htmlPath); err != nil || !strings.Contains(string(page), "Presidential election 2024") {
		t.Errorf("report.html: %v", err)
	}
	if err := WriteFiles(htmlTestReport(), "", ""); err != nil {
		t.Errorf("no files named: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("%d files in the directory, want 2", len(entries))
	}
}

// TestWrite prints the summary, writes the files and names them, in that
// order; with no files named, only the summary.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	jsonPath, htmlPath := filepath.Join(dir, "bundle.json"), filepath.Join(dir, "report.html")
	var b strings.Builder
	if err := Write(&b, htmlTestReport(), 20, jsonPath, htmlPath); err != nil {
		t.Fatal(err)
	}
	var summary strings.Builder
	if err := htmlTestReport().WriteText(&summary, 20); err != nil {
		t.Fatal(err)
	}
	if want := summary.String() + "evidence bundle: " + jsonPath + "\nHTML report: " + htmlPath + "\n"; b.String() != want {
		t.Errorf("Write printed:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := Write(&b, htmlTestReport(), 20, "", ""); err != nil || b.String() != summary.String() {
		t.Errorf("Write with no files: %v\n%s", err, b.String())
	}
}
