//go:build !js

package qr

import (
	"fmt"
	"image"
	"time"

	"github.com/makiuchi-d/gozxing"
	multiqr "github.com/makiuchi-d/gozxing/multi/qrcode"
)

// hints are the decoder's: look hard, and read byte segments as ISO-8859-1,
// which maps every byte to the rune of the same value, so that the bytes
// come back exactly (the decoder would otherwise guess a character set).
var hints = map[gozxing.DecodeHintType]any{
	gozxing.DecodeHintType_TRY_HARDER:    true,
	gozxing.DecodeHintType_CHARACTER_SET: "ISO-8859-1",
}

// attempt is one way of looking for codes in a photo or scan.
type attempt struct {
	name string
	find func(*view) []string
	// cost is about how many times the image's pixels it works on: the
	// budget expects it to take as long as the slowest attempt so far,
	// of cost 1, times this.
	cost float64
}

// A view is an image being scanned and the copies of it made so far, which
// the attempts share.
type view struct {
	g        *image.Gray
	page     *image.Gray // the sheet straightened, or nil
	pageDone bool
	matrix   *gozxing.BitMatrix // g binarized by local thresholds, once made
	crowded  int                // the images not decoded: too many finder patterns
}

// straight returns the sheet of a photo straightened (see page.go), or nil
// if no sheet stands out from its background.
func (v *view) straight() *image.Gray {
	if !v.pageDone {
		v.pageDone = true
		if q, ok := findPage(v.g); ok {
			v.page = straighten(v.g, q)
		}
	}
	return v.page
}

// best returns the straightened sheet if there is one, else the image.
func (v *view) best() *image.Gray {
	if p := v.straight(); p != nil {
		return p
	}
	return v.g
}

// maxEnlarged bounds the images that the 2× attempt enlarges, by their
// longer side: a 2-megapixel photo is, a 12-megapixel one (whose codes have
// pixels enough) is not.
const maxEnlarged = 2400

// attempts are tried in order until every acta whose parts have been seen
// is complete, or the budget is spent; what each finds is added up. The
// first reads nearly every sheet that a scanner gives and most photos.
// When it misses on a noisy scan, it is most often one code of several, and
// looking again another way finds it: with one global threshold instead of
// local ones (cheap), after averaging the noise away (a 5×5 box blur: the
// retry that completes the most), with the rows scanned across (a lossless
// quarter turn), or turned by 45 degrees, which moves the sampling grid off
// the modules and is the retry issue 7's check found to work. Photos need
// three more: the sheet straightened when taken at an angle, an unsharp
// mask when blurred (of the photo, not of the straightened sheet, which
// its resampling has blurred more; strong, or milder twice: each reads
// photos the other does not), and an enlargement when the codes have few
// pixels a module. doc/spec/qr.md has the measurements on scans (TestEvalAttempts),
// doc/scanning.md those on photos (BenchmarkScanGrid).
var attempts = []attempt{
	{"hybrid", func(v *view) []string { return v.decode(v.g, gozxing.NewHybridBinarizer) }, 1},
	{"straight", func(v *view) []string {
		if p := v.straight(); p != nil {
			return v.decode(p, gozxing.NewHybridBinarizer)
		}
		return nil
	}, 1},
	{"global", func(v *view) []string { return v.decode(v.g, gozxing.NewGlobalHistgramBinarizer) }, 1},
	{"smooth", func(v *view) []string { return v.decode(smooth(v.g), gozxing.NewHybridBinarizer) }, 1},
	{"sharpen", func(v *view) []string { return v.decode(sharpen(v.g, 4), gozxing.NewHybridBinarizer) }, 1},
	{"sharpen twice", func(v *view) []string { return v.decode(sharpen(sharpen(v.g, 2), 2), gozxing.NewHybridBinarizer) }, 1},
	{"2×", func(v *view) []string {
		if b := v.best(); max(b.Rect.Dx(), b.Rect.Dy()) <= maxEnlarged {
			return v.decode(enlarge(b), gozxing.NewHybridBinarizer)
		}
		return nil
	}, 4},
	{"smooth+quarter", func(v *view) []string { return v.decode(quarter(smooth(v.g)), gozxing.NewHybridBinarizer) }, 1},
	{"quarter", func(v *view) []string { return v.decode(quarter(v.g), gozxing.NewHybridBinarizer) }, 1},
	{"45°", func(v *view) []string { return v.decode(rotate45(v.g), gozxing.NewHybridBinarizer) }, 2},
}

// maxCandidates bounds the shapes like a finder pattern that an image may
// hold for the decoder to be given it. The decoder tries every three of
// them as a code, in time that grows with their cube: an image drawn with
// 400 of them would take minutes; a photo of a sheet holds 3 for each code
// and a few more of noise (at most 8 in the grid of doc/scanning.md, of 2
// codes). Every image an attempt makes (each binarization, each transform)
// is counted before it is decoded, and not decoded if it has too many:
// faint patterns that one binarization does not show, another, or a
// sharpened copy, may. The image is refused as crowded if it has too many
// itself; a copy may have too many when the image does not (a page of
// text, sharpened): it is passed over.
const maxCandidates = 48

// budget is how long ScanImage goes on trying: it starts no attempt that,
// taking as long as the slowest one so far (for its cost), would end after
// it. With every image's finder patterns bounded, an attempt takes time
// that grows with the pixels: 0.2 to 0.9 s on a 12-megapixel photo on the
// machines of doc/scanning.md, up to about 5 s with 48 large patterns.
const budget = 10 * time.Second

// ScanImage returns the payloads of the QR codes found in an image, each as
// the bytes it encodes. It tries ways of reading the image, from the cheapest,
// until it has found a triplicate part and every part of each acta it has a
// part of, or it runs out of ways or time; it returns what it found. It fails
// with ErrNoCode if it found no code at all, wrapping why if it can tell
// (ErrCut, ErrBlurred, ErrSmall), or ErrCrowded if the image holds more
// shapes like a code's corners than any sheet (it decodes no such image,
// nor any such copy of it that an attempt makes). When it found some of an
// acta's parts but not all, it returns them, and why the others were not
// read as the error if it can tell, else no error.
func ScanImage(img image.Image) ([]string, error) {
	start := time.Now()
	v := &view{g: gray(img)}
	var found []string
	seen := map[string]bool{}
	var slowest time.Duration // of the attempts so far, per unit of cost
	for i, a := range attempts {
		t := time.Now()
		if i > 0 && t.Sub(start)+time.Duration(float64(slowest)*a.cost) > budget {
			continue // a cheaper one may still fit
		}
		for _, pl := range a.find(v) {
			if !seen[pl] {
				seen[pl] = true
				found = append(found, pl)
			}
		}
		slowest = max(slowest, time.Duration(float64(time.Since(t))/a.cost))
		if i == 0 && v.crowded > 0 {
			return nil, fmt.Errorf("%w: %w (more than %d)", ErrNoCode, ErrCrowded, maxCandidates)
		}
		if complete(found) {
			break
		}
	}
	switch {
	case len(found) == 0:
		if why := v.diagnose(); why != nil {
			return nil, fmt.Errorf("%w: %w", ErrNoCode, why)
		}
		return nil, ErrNoCode
	case !complete(found) && partial(found):
		return found, v.diagnose()
	}
	return found, nil
}

// partial reports whether payloads hold a triplicate part.
func partial(payloads []string) bool {
	for _, pl := range payloads {
		if _, err := parsePart(pl); err == nil {
			return true
		}
	}
	return false
}

// complete reports whether payloads hold a part and, for every acta they
// have a part of, enough parts to rebuild it: k of its n (all of them in
// version 1). The digest checks the rebuild; the parts not read are not
// needed.
func complete(payloads []string) bool {
	have := map[string]map[int]bool{} // part numbers by digest
	want := map[string]int{}
	for _, pl := range payloads {
		p, err := parsePart(pl)
		if err != nil {
			continue
		}
		if have[p.digest] == nil {
			have[p.digest] = map[int]bool{}
		}
		have[p.digest][p.i] = true
		want[p.digest] = p.k
	}
	for d, n := range want {
		if len(have[d]) < n {
			return false
		}
	}
	return len(want) > 0
}

// decode finds and decodes every QR code in a greyscale image, unless the
// image binarized holds more than maxCandidates shapes like a finder
// pattern: then it decodes nothing and marks the view crowded. The decoder
// is third-party code fed with untrusted pictures: a panic in it is a code
// not read, not a crash.
func (v *view) decode(g *image.Gray, binarizer func(gozxing.LuminanceSource) gozxing.Binarizer) (payloads []string) {
	defer func() {
		if recover() != nil {
			payloads = nil
		}
	}()
	b := binarizer(newLuminance(g))
	bmp, err := gozxing.NewBinaryBitmap(b)
	if err != nil {
		return nil
	}
	m, err := bmp.GetBlackMatrix() // kept by bmp for the decoder
	if err != nil {
		return nil
	}
	if _, hybrid := b.(*gozxing.HybridBinarizer); hybrid && g == v.g {
		v.matrix = m // diagnose's
	}
	if len(candidates(m, maxCandidates+1)) > maxCandidates {
		v.crowded++
		return nil
	}
	results, err := multiqr.NewQRCodeMultiReader().DecodeMultiple(bmp, hints)
	if err != nil {
		return nil
	}
	for _, r := range results {
		payloads = append(payloads, latin1(r.GetText()))
	}
	return payloads
}

// latin1 returns the bytes that a text decoded as ISO-8859-1 came from. A
// code with an ECI designator may hold other characters: those are kept as
// UTF-8, and such a payload is not a part anyway.
func latin1(text string) string {
	b := make([]byte, 0, len(text))
	for _, r := range text {
		if r >= 0x100 {
			return text
		}
		b = append(b, byte(r))
	}
	return string(b)
}
