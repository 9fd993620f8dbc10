package dashboard

import (
	"bytes"
	"errors"
	"image/png"
	"net/http"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/printing"
	"github.com/triplicate-vote/triplicate/internal/qr"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// A logged acta's downloads: its printable PDF, the signed acta itself as
// text, and its QR codes.
const (
	downloadPDF  = "acta.pdf"
	downloadText = "acta.txt"
)

var errNoDownload = errors.New("no such download")

// parseDownload parses the file name of a download: acta.pdf, acta.txt or
// qr-N.png with N a canonical number from 1 to qr.MaxParts. It
// returns the name and, for a QR code, N.
func parseDownload(file string) (string, int, error) {
	switch file {
	case downloadPDF, downloadText:
		return file, 0, nil
	}
	s, ok := strings.CutPrefix(file, "qr-")
	if !ok {
		return "", 0, errNoDownload
	}
	s, ok = strings.CutSuffix(s, ".png")
	if !ok || s == "" || len(s) > 3 || s[0] == '0' {
		return "", 0, errNoDownload
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > qr.MaxParts || strconv.Itoa(n) != s {
		return "", 0, errNoDownload
	}
	return "qr.png", n, nil
}

// parseIndex parses a log index in canonical decimal.
func parseIndex(s string) (uint64, bool) {
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil && strconv.FormatUint(n, 10) == s
}

func (d *Dashboard) serveDownload(w http.ResponseWriter, r *http.Request) {
	id, file := r.PathValue("id"), r.PathValue("file")
	if d.def.Station(id) == nil {
		d.pages.Fail(w, r, http.StatusNotFound, "election %s has no station %q", d.def.ID, page.Clip(id, 80))
		return
	}
	index, ok := parseIndex(r.PathValue("index"))
	if !ok {
		d.pages.Fail(w, r, http.StatusBadRequest, "%q is not a log index", page.Clip(r.PathValue("index"), 40))
		return
	}
	what, part, err := parseDownload(file)
	if err != nil {
		d.pages.Fail(w, r, http.StatusNotFound, "there is no download %q: there are acta.pdf, acta.txt and qr-1.png", page.Clip(file, 40))
		return
	}
	resp, err := d.c.Station(r.Context(), id)
	if err != nil {
		d.unavailable(w, r, err)
		return
	}
	var v *entryView
	for _, e := range resp.Actas {
		if e.Index == index {
			if v, err = d.view(e); err != nil {
				d.unavailable(w, r, err)
				return
			}
		}
	}
	if v == nil {
		d.pages.Fail(w, r, http.StatusNotFound, "log entry %d is not an acta of station %s", index, id)
		return
	}
	name := id + "-" + strconv.FormatUint(index, 10)
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	// A log entry never changes: its downloads may be cached, but not the
	// errors below, which pass.
	const cache = "public, max-age=86400"
	switch what {
	case downloadPDF:
		pdf, err := printing.PDF(v.sa, d.def, printing.English)
		if err != nil {
			d.unavailable(w, r, err)
			return
		}
		h.Set("Cache-Control", cache)
		h.Set("Content-Type", "application/pdf")
		h.Set("Content-Disposition", `attachment; filename="acta-`+name+`.pdf"`)
		w.Write(pdf)
	case downloadText:
		h.Set("Cache-Control", cache)
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="acta-`+name+`.txt"`)
		w.Write(v.sa.Msg)
	default:
		if part > len(v.QR) {
			d.pages.Fail(w, r, http.StatusNotFound, "the acta of log entry %d has %d QR codes, not %d", index, len(v.QR), part)
			return
		}
		imgs, err := qr.CodeImages(v.sa.Msg)
		if err != nil {
			d.unavailable(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, imgs[part-1]); err != nil {
			d.unavailable(w, r, err)
			return
		}
		h.Set("Cache-Control", cache)
		h.Set("Content-Type", "image/png")
		w.Write(buf.Bytes())
	}
}
