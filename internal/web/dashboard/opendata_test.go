package dashboard

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The open data page lists each bulk download with its SHA-256, and each
// download is those bytes: every reported station's figures as CSV and
// JSON, every log entry in one archive (the signed actas verbatim), the
// verifier's report. Every page links its own data.
func TestOpenData(t *testing.T) {
	reportFile := filepath.Join(t.TempDir(), "report.json")
	te := newTestElection(t, 12, Options{Report: reportFile})
	te.submit(t, 0, 10)
	te.published(t)
	if code, _, _ := te.get(t, "/data/report.json", "en"); code != 404 {
		t.Errorf("/data/report.json without a report: %d", code)
	}
	writeReport(t, te, reportFile)
	// The report is looked for at most once a second.
	for start := time.Now(); time.Since(start) < 5*time.Second; time.Sleep(100 * time.Millisecond) {
		if code, _, _ := te.get(t, "/data/report.json", "en"); code == 200 {
			break
		}
	}
	_, _, page := te.get(t, "/data", "en")
	for _, name := range []string{dataStationsCSV, dataStationsJSON, dataActas, dataReport} {
		code, h, body := te.get(t, "/data/"+name, "en")
		sum := sha256.Sum256([]byte(body))
		if code != 200 || !strings.Contains(page, `<a href="/data/`+name+`" download>`) || !strings.Contains(page, hex.EncodeToString(sum[:])) {
			t.Errorf("/data/%s: %d (%s), SHA-256 %x not on the page", name, code, h.Get("Content-Type"), sum)
		}
		switch name {
		case dataStationsCSV:
			rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			contest := te.e.Def.Contests[0]
			if want := 1 + 10*(len(contest.Candidates)+2); err != nil || len(rows) != want {
				t.Errorf("stations.csv: %d rows, want %d (%v)", len(rows), want, err)
			}
		case dataActas:
			zr, err := gzip.NewReader(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			tr := tar.NewReader(zr)
			got := map[string][]byte{}
			for {
				h, err := tr.Next()
				if err != nil {
					break
				}
				got[h.Name], _ = io.ReadAll(tr)
			}
			for i, msg := range te.finals[:10] {
				// Entry 0 names the definition; the finals follow in order.
				if !bytes.Equal(got[fmt.Sprintf("entry-%d.txt", i+1)], msg) {
					t.Errorf("actas.tar.gz: entry %d is not station %d's acta", i+1, i)
				}
			}
		}
	}
	st := te.e.Def.Stations[0]
	for path, want := range map[string]string{
		"/":                  `href="/v1/results?format=csv"`,
		"/areas/" + st.Area:  `href="/v1/results/` + st.Area + `?format=csv"`,
		"/stations/" + st.ID: `href="/v1/stations/` + st.ID + `"`,
		"/disputes":          `href="/data/report.json"`,
		"/checkpoint":        `href="/log/checkpoint"`,
	} {
		if _, _, body := te.get(t, path, "en"); !strings.Contains(body, want) {
			t.Errorf("%s does not link its data: no %s", path, want)
		}
	}
}
