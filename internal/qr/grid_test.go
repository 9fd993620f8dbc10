package qr_test

import (
	"errors"
	"fmt"
	"image"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/printing"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
	"github.com/triplicate-vote/triplicate/internal/qr"
)

// A condition is one way a phone photo of a sheet goes wrong.
type condition struct {
	name    string
	shot    shot                                            // where the sheet lands (w and h set by the frame)
	faded   float64                                         // if > 0, the ink's contrast (fade)
	after   func(g *image.Gray, rnd *rand.Rand) *image.Gray // what happens to the photo
	quality int                                             // if > 0, saved as JPEG at this quality
}

// conditions are the columns of the grid, each photographed at every
// resolution: blur in pixels of the frame, shake in pixels of a 12 MP frame,
// scaled to the frame's width elsewhere.
func conditions() []condition {
	same := func(g *image.Gray, _ *rand.Rand) *image.Gray { return g }
	cs := []condition{{name: "plain", after: same}}
	for _, p := range []float64{0.10, 0.15, 0.20, 0.25} {
		cs = append(cs, condition{name: fmt.Sprintf("perspective %.0f%%", 100*p), shot: shot{persp: p}, after: same})
	}
	for _, s := range []float64{1, 2, 2.5, 3} {
		cs = append(cs, condition{name: fmt.Sprintf("blur σ%g", s), after: func(g *image.Gray, _ *rand.Rand) *image.Gray {
			return gaussian(g, s)
		}})
	}
	cs = append(cs,
		condition{name: "motion 9px", after: func(g *image.Gray, _ *rand.Rand) *image.Gray {
			return motion(g, max(2, 9*g.Rect.Dx()/3000))
		}},
		condition{name: "jpeg q30", after: same, quality: 30},
		condition{name: "jpeg q60", after: same, quality: 60},
		condition{name: "shadow", after: func(g *image.Gray, _ *rand.Rand) *image.Gray { shade(g); return g }},
		condition{name: "faded", faded: 0.35, after: same},
		condition{name: "fold", after: func(g *image.Gray, rnd *rand.Rand) *image.Gray { fold(g, rnd); return g }},
		condition{name: "finger", after: func(g *image.Gray, rnd *rand.Rand) *image.Gray { finger(g, rnd); return g }},
		condition{name: "cut edge", shot: shot{cut: 0.12}, after: same},
	)
	return cs
}

// frames are the grid's rows: a 12 MP and a 2 MP phone camera, held
// upright, with the dpi at which the page is rendered to fill them.
var frames = []struct {
	name string
	w, h int
	dpi  int
}{
	{"12MP", 3000, 4000, 300},
	{"2MP", 1224, 1632, 122},
}

// gridResult is one cell of the grid.
type gridResult struct {
	frame, cond    string
	photos         int
	ours, zbar     int
	oursMS, zbarMS []float64
	zbarMissing    bool
}

// BenchmarkScanGrid is the degradation grid of doc/scanning.md: phone
// photos of a printed sheet (page 1 of a final acta with three witness
// signatures, in two QR codes) under each condition at each resolution,
// three photos a cell, each read by ScanFiles as `acta scan` does and by
// zbar (zbarimg, if installed) from the same file. A photo is read when
// the whole acta is recovered from it alone. It reports, for each cell,
// the photos read by each and the median milliseconds a photo, and the
// ratio of ours to zbar's time; it prints the table. It takes minutes:
//
//	go test -run '^$' -bench ScanGrid -benchtime 1x ./internal/qr/
func BenchmarkScanGrid(b *testing.B) {
	f := electiontest.New(electiontest.Options{Seed: "bench"})
	sa := printtest.SignedActa(b, f, 10, 3)
	pdf, err := printing.PDF(sa, f.Def, printing.English)
	if err != nil {
		b.Fatal(err)
	}
	zbar, _ := exec.LookPath("zbarimg")
	seeds := 3
	if s := os.Getenv("TRIPLICATE_GRID_SEEDS"); s != "" {
		fmt.Sscan(s, &seeds)
	}
	var results []*gridResult
	for _, fr := range frames {
		page := qr.Gray(printtest.Render(b, pdf, fr.dpi, 1, 1)[0])
		faded := map[float64]*image.Gray{}
		for _, c := range conditions() {
			r := &gridResult{frame: fr.name, cond: c.name, zbarMissing: zbar == ""}
			results = append(results, r)
			b.Run(fr.name+"/"+strings.ReplaceAll(c.name, " ", "_"), func(b *testing.B) {
				for range b.N {
					*r = gridResult{frame: fr.name, cond: c.name, zbarMissing: zbar == ""}
					for seed := range uint64(seeds) {
						p := page
						if c.faded > 0 {
							if faded[c.faded] == nil {
								faded[c.faded] = fade(page, c.faded)
							}
							p = faded[c.faded]
						}
						s := c.shot
						s.w, s.h = fr.w, fr.h
						img := c.after(photograph(p, s, seed), rand.New(rand.NewPCG(seed, 3)))
						file := filepath.Join(b.TempDir(), "photo.png")
						if c.quality > 0 {
							file = filepath.Join(b.TempDir(), "photo.jpg")
						}
						printtest.Save(b, file, img, c.quality)
						r.photos++
						t0 := time.Now()
						got, errs := qr.ScanFiles(f.Def, []string{file})
						r.oursMS = append(r.oursMS, ms(time.Since(t0)))
						if len(got) == 1 && len(errs) == 0 && string(got[0].Msg) == string(sa.Msg) {
							r.ours++
						}
						if zbar != "" {
							t0 := time.Now()
							payloads, err := zbarScan(zbar, file)
							r.zbarMS = append(r.zbarMS, ms(time.Since(t0)))
							var asm qr.Assembler
							asm.Add(file, payloads)
							if msgs, errs := asm.Actas(); err == nil && len(errs) == 0 && len(msgs) == 1 && string(msgs[0].Msg) == string(sa.Msg) {
								r.zbar++
							}
						}
					}
				}
				b.ReportMetric(float64(r.photos), "photos")
				b.ReportMetric(float64(r.ours), "read")
				b.ReportMetric(median(r.oursMS), "ms/photo")
				if zbar != "" {
					b.ReportMetric(float64(r.zbar), "read-zbar")
					b.ReportMetric(median(r.zbarMS), "ms/photo-zbar")
					b.ReportMetric(median(r.oursMS)/median(r.zbarMS), "x-zbar-time")
				}
			})
		}
	}
	fmt.Print(gridTable(results))
}

// TestScanPhotos is the part of the grid that runs with the tests: 2 MP
// photos (about 4 pixels a module) of a sheet at 25% of perspective, which
// ScanFiles read none of before it straightened the page, are read; one
// whose code runs off the frame is read by its parity; one cut more than
// the parity covers says it is cut.
func TestScanPhotos(t *testing.T) {
	if testing.Short() || printtest.Race {
		t.Skip("photographs and scans 2-megapixel frames: skipped in -short and under -race")
	}
	f := electiontest.New(electiontest.Options{Seed: "bench"})
	sa := printtest.SignedActa(t, f, 10, 3)
	pdf, err := printing.PDF(sa, f.Def, printing.English)
	if err != nil {
		t.Fatal(err)
	}
	fr := frames[1]
	page := qr.Gray(printtest.Render(t, pdf, fr.dpi, 1, 1)[0])
	for seed := range uint64(3) {
		file := filepath.Join(t.TempDir(), "photo.png")
		printtest.Save(t, file, photograph(page, shot{w: fr.w, h: fr.h, persp: 0.25}, seed), 0)
		got, errs := qr.ScanFiles(f.Def, []string{file})
		if len(errs) != 0 || len(got) != 1 || string(got[0].Msg) != string(sa.Msg) {
			t.Errorf("perspective 25%%, seed %d: read %d actas, errors %v", seed, len(got), errs)
		}
	}
	// One code cut by the frame: the parity code stands in for it.
	file := filepath.Join(t.TempDir(), "cut.png")
	printtest.Save(t, file, photograph(page, shot{w: fr.w, h: fr.h, cut: 0.12}, 0), 0)
	if got, errs := qr.ScanFiles(f.Def, []string{file}); len(errs) != 0 || len(got) != 1 || string(got[0].Msg) != string(sa.Msg) {
		t.Errorf("a code cut by the frame: read %d actas, errors %v; want the acta, rebuilt with its parity", len(got), errs)
	}
	// More cut than the parity covers: a part missing, cut by the edge.
	file = filepath.Join(t.TempDir(), "cut-more.png")
	printtest.Save(t, file, photograph(page, shot{w: fr.w, h: fr.h, cut: 0.45}, 0), 0)
	_, errs := qr.ScanFiles(f.Def, []string{file})
	if len(errs) != 1 || !errors.Is(errs[0], qr.ErrMissing) || !errors.Is(errs[0], qr.ErrCut) {
		t.Errorf("codes cut by the frame: errors %v, want one: a part missing, cut by the edge", errs)
	}
}

// zbarScan reads the QR codes of an image file with zbarimg, each as the
// bytes it holds. With -Sbinary zbarimg writes the symbols' bytes one after
// the other with nothing between them, so the output is cut where a part's
// header begins: a part holds its header only at its start.
func zbarScan(zbar, file string) ([]string, error) {
	out, err := exec.Command(zbar, "--raw", "-q", "-Sbinary", "--nodbus", file).Output()
	if err != nil {
		if e, ok := err.(*exec.ExitError); ok && e.ExitCode() == 4 { // no symbol found
			return nil, nil
		}
		return nil, fmt.Errorf("zbarimg %s: %v", file, err)
	}
	var payloads []string
	rest := string(out)
	for rest != "" {
		next := strings.Index(rest[1:], qr.Header)
		if next < 0 {
			payloads = append(payloads, rest)
			break
		}
		payloads = append(payloads, rest[:next+1])
		rest = rest[next+1:]
	}
	return payloads, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// gridTable formats the results as the Markdown table of doc/scanning.md,
// with totals.
func gridTable(results []*gridResult) string {
	var b strings.Builder
	b.WriteString("| frame | condition | photos | acta scan | zbar | ms/photo acta scan | ms/photo zbar |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|\n")
	photos, ours, zbar := 0, 0, 0
	var all, allZ []float64
	for _, r := range results {
		z, zt := "—", "—"
		if !r.zbarMissing {
			z, zt = fmt.Sprint(r.zbar), fmt.Sprintf("%.0f", median(r.zbarMS))
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %s | %.0f | %s |\n", r.frame, r.cond, r.photos, r.ours, z, median(r.oursMS), zt)
		photos, ours, zbar = photos+r.photos, ours+r.ours, zbar+r.zbar
		all, allZ = append(all, r.oursMS...), append(allZ, r.zbarMS...)
	}
	fmt.Fprintf(&b, "| all | | %d | %d | %d | %.0f | %.0f |\n", photos, ours, zbar, median(all), median(allZ))
	return b.String()
}
