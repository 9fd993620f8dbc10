package dashboard

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"github.com/triplicate-vote/triplicate/internal/ledger"
)

// The open data: the bulk downloads that /data lists and explains, each
// with its SHA-256, so that a copy got elsewhere can be checked against
// the one the center serves. The figures and the actas are those of the
// latest published checkpoint, the same bytes for everyone who asks until
// the next one: every station's figures (CSV and JSON), every entry of the
// log (the signed actas) as one archive, and the verifier's report.

// dataFile is one bulk download.
type dataFile struct {
	Name   string // its address, under /data/
	Type   string // Content-Type
	Size   int
	SHA256 string // hex
	data   []byte
}

// openData keeps the downloads of one published checkpoint, made when
// first asked for.
type openData struct {
	mu    sync.Mutex
	size  uint64 // the checkpoint's
	files map[string]*dataFile
}

// Names of the downloads made from the log.
const (
	dataStationsCSV  = "stations.csv"
	dataStationsJSON = "stations.json"
	dataActas        = "actas.tar.gz"
	dataReport       = "report.json"
)

// file returns a download of the latest published checkpoint, making the
// checkpoint's files if they are not made yet.
func (d *Dashboard) dataFile(ctx context.Context, cp *ledger.Checkpoint, name string) (*dataFile, error) {
	o := &d.open
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.files == nil || o.size != cp.Size {
		files, err := d.makeData(ctx, cp)
		if err != nil {
			return nil, err
		}
		o.files, o.size = files, cp.Size
	}
	return o.files[name], nil
}

func newDataFile(name, typ string, data []byte) *dataFile {
	sum := sha256.Sum256(data)
	return &dataFile{Name: name, Type: typ, Size: len(data), SHA256: hex.EncodeToString(sum[:]), data: data}
}

// makeData makes the downloads of a published checkpoint.
func (d *Dashboard) makeData(ctx context.Context, cp *ledger.Checkpoint) (map[string]*dataFile, error) {
	ann, err := d.c.Announce(ctx)
	if err != nil {
		return nil, err
	}
	if ann.LogSize != cp.Size {
		return nil, fmt.Errorf("the center announces the figures of checkpoint %d, not %d", ann.LogSize, cp.Size)
	}
	js, err := json.Marshal(ann)
	if err != nil {
		return nil, err
	}
	var cb bytes.Buffer
	cw := csv.NewWriter(&cb)
	cw.Write([]string{"station", "log_index", "registered", "ballots", "contest", "candidate", "votes"})
	for _, st := range ann.Stations {
		head := []string{st.Station, strconv.FormatUint(st.Index, 10), strconv.Itoa(st.Registered), strconv.Itoa(st.Ballots)}
		for _, ct := range st.Contests {
			for _, x := range ct.Candidates {
				cw.Write(append(head[:4:4], ct.ID, x.ID, strconv.Itoa(x.Votes)))
			}
			cw.Write(append(head[:4:4], ct.ID, "blank", strconv.Itoa(ct.Blank)))
			cw.Write(append(head[:4:4], ct.ID, "null", strconv.Itoa(ct.Null)))
		}
	}
	cw.Flush()
	// The log's entries as files entry-N.txt in a tar: no times, no
	// owners, no gzip header fields, so that the archive of a checkpoint
	// is the same bytes wherever it is made.
	var tb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&tb, gzip.BestSpeed)
	tw := tar.NewWriter(zw)
	err = d.c.Ledger().Entries(ctx, 0, cp.Size, func(index uint64, data []byte) error {
		if err := tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("entry-%d.txt", index), Mode: 0o644, Size: int64(len(data)), Format: tar.FormatPAX}); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	})
	if err != nil {
		return nil, err
	}
	tw.Close()
	zw.Close()
	return map[string]*dataFile{
		dataStationsCSV:  newDataFile(dataStationsCSV, "text/csv; charset=utf-8", cb.Bytes()),
		dataStationsJSON: newDataFile(dataStationsJSON, "application/json", js),
		dataActas:        newDataFile(dataActas, "application/gzip", tb.Bytes()),
	}, nil
}

// dataPage is the open data page.
type dataPage struct {
	Size       uint64 // the checkpoint's; 0 before one is published
	Files      map[string]*dataFile
	Checkpoint *dataFile // the checkpoint as published
	Report     *dataFile // nil without a verifier's report
}

func (d *Dashboard) serveData(w http.ResponseWriter, r *http.Request) {
	data := &dataPage{Files: map[string]*dataFile{}}
	cp, err := d.c.Ledger().Published(r.Context())
	if err == nil {
		data.Size = cp.Size
		data.Checkpoint = newDataFile("checkpoint", "text/plain; charset=utf-8", cp.Raw)
		for _, name := range []string{dataStationsCSV, dataStationsJSON, dataActas} {
			f, err := d.dataFile(r.Context(), cp, name)
			if err != nil {
				d.unavailable(w, r, err)
				return
			}
			data.Files[name] = f
		}
	}
	if rep := d.report.get(); rep != nil {
		data.Report = rep.file
	}
	d.pages.Render(w, r, http.StatusOK, "data.html", "Open data", data)
}

func (d *Dashboard) serveDataFile(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	var f *dataFile
	switch name {
	case dataReport:
		if rep := d.report.get(); rep != nil {
			f = rep.file
		}
	case dataStationsCSV, dataStationsJSON, dataActas:
		cp, err := d.c.Ledger().Published(r.Context())
		if err != nil {
			d.unavailable(w, r, err)
			return
		}
		if f, err = d.dataFile(r.Context(), cp, name); err != nil {
			d.unavailable(w, r, err)
			return
		}
	}
	if f == nil {
		d.pages.Fail(w, r, http.StatusNotFound, "there is no download %q: the open data page lists them", name)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.Type)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache") // the next checkpoint's may differ: revalidate
	h.Set("ETag", `"`+f.SHA256+`"`)
	h.Set("Content-Disposition", `attachment; filename="`+d.def.ID+"-"+f.Name+`"`)
	if r.Header.Get("If-None-Match") == `"`+f.SHA256+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(f.data)
}
