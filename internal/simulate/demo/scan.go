package demo

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/triplicate-vote/triplicate/internal/qr"
	"github.com/triplicate-vote/triplicate/internal/simulate"
)

// scanBack scans back the first copy of n printed sheets, spread over the
// election, into out/scans, and checks each is the signed acta, byte for
// byte. With pdftoppm it renders the page at 200 dpi, as a scanner would;
// without, it scans the QR codes as images. It returns how many it scanned
// and how, in words.
func scanBack(out string, e *simulate.Election, finals [][]byte, n int, count func(step string, done, total int)) (int, string, error) {
	n = min(n, len(finals))
	if n == 0 {
		return 0, "", nil
	}
	dir := filepath.Join(out, "scans")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, "", err
	}
	pdftoppm, lookErr := exec.LookPath("pdftoppm")
	how := "rendered at 200 dpi by pdftoppm and"
	if lookErr != nil {
		how = "(their QR codes as images: pdftoppm, from poppler-utils, is not installed to render whole pages)"
	}
	var images []string
	want := map[string][]byte{}
	for k := range n {
		i := k * len(finals) / n
		station := e.Tables[i].Station
		want[station] = finals[i]
		if lookErr == nil {
			// The codes are on the copy's first page, or, when the acta
			// leaves them no room there, on its second.
			base := filepath.Join(dir, station)
			for page := 1; page <= 2; page++ {
				name := base
				if page > 1 {
					os.Remove(base + ".png")
					name = fmt.Sprintf("%s-page%d", base, page)
				}
				cmd := exec.Command(pdftoppm, "-r", "200", "-png", "-gray", "-f", fmt.Sprint(page), "-l", fmt.Sprint(page), "-singlefile",
					filepath.Join(out, "print", station+".pdf"), name)
				if msg, err := cmd.CombinedOutput(); err != nil {
					return 0, "", fmt.Errorf("pdftoppm: %v: %s", err, msg)
				}
				if _, errs := qr.ScanFiles(e.Def, []string{name + ".png"}); len(errs) == 0 || page == 2 {
					images = append(images, name+".png")
					break
				}
			}
			count("scan", k+1, n)
			continue
		}
		codes, err := qr.CodeImages(finals[i])
		if err != nil {
			return 0, "", err
		}
		for j, img := range codes {
			var buf bytes.Buffer
			if err := png.Encode(&buf, img); err != nil {
				return 0, "", err
			}
			path := filepath.Join(dir, fmt.Sprintf("%s-code%d.png", station, j+1))
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				return 0, "", err
			}
			images = append(images, path)
		}
	}
	scanned, errs := qr.ScanFiles(e.Def, images)
	if len(errs) > 0 {
		return 0, "", fmt.Errorf("scanning the printed sheets: %w", errors.Join(errs...))
	}
	for _, s := range scanned {
		if !bytes.Equal(s.Msg, want[s.Station]) {
			return 0, "", fmt.Errorf("station %s: the scanned acta differs from the signed one", s.Station)
		}
		delete(want, s.Station)
	}
	if len(want) > 0 {
		return 0, "", fmt.Errorf("%d sheets scanned back no acta", len(want))
	}
	return len(scanned), how, nil
}
