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
}

// A view is an image being scanned and the copies of it made so far, which
// the attempts share.
type view struct {
	g        *image.Gray
	page     *image.Gray // the sheet straightened, or nil
	pageDone bool
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
	{"hybrid", func(v *view) []string { return decode(v.g, gozxing.NewHybridBinarizer) }},
	{"straight", func(v *view) []string {
		if p := v.straight(); p != nil {
			return decode(p, gozxing.NewHybridBinarizer)
		}
		return nil
	}},
	{"global", func(v *view) []string { return decode(v.g, gozxing.NewGlobalHistgramBinarizer) }},
	{"smooth", func(v *view) []string { return decode(smooth(v.g), gozxing.NewHybridBinarizer) }},
	{"sharpen", func(v *view) []string { return decode(sharpen(v.g, 4), gozxing.NewHybridBinarizer) }},
	{"sharpen twice", func(v *view) []string { return decode(sharpen(sharpen(v.g, 2), 2), gozxing.NewHybridBinarizer) }},
	{"2×", func(v *view) []string {
		if b := v.best(); max(b.Rect.Dx(), b.Rect.Dy()) <= maxEnlarged {
			return decode(enlarge(b), gozxing.NewHybridBinarizer)
		}
		return nil
	}},
	{"smooth+quarter", func(v *view) []string { return decode(quarter(smooth(v.g)), gozxing.NewHybridBinarizer) }},
	{"quarter", func(v *view) []string { return decode(quarter(v.g), gozxing.NewHybridBinarizer) }},
	{"45°", func(v *view) []string { return decode(rotate45(v.g), gozxing.NewHybridBinarizer) }},
}

// maxCandidates bounds the shapes like a finder pattern that an image may
// hold for the decoder to be given it. The decoder tries every three of
// them as a code, in time that grows with their cube: an image drawn with
// 400 of them would take minutes; a photo of a sheet holds 3 for each code
// and a few more of noise (at most 8 in the grid of doc/scanning.md, of 2
// codes).
const maxCandidates = 48

// budget is how long ScanImage goes on trying once the first attempt has
// not read everything: it starts no attempt after that. The attempts take
// about 2 s on a 12-megapixel photo on the machines of doc/scanning.md.
const budget = 10 * time.Second

// ScanImage returns the payloads of the QR codes found in an image, each as
// the bytes it encodes. It tries ways of reading the image, from the cheapest,
// until it has found a triplicate part and every part of each acta it has a
// part of, or it runs out of ways or time; it returns what it found. It fails
// with ErrNoCode if it found no code at all, wrapping why if it can tell
// (ErrCut, ErrBlurred, ErrSmall), or if it holds more shapes like a code's
// corners than any sheet (ErrCrowded), which it does not decode. When it found some of an acta's parts
// but not all, it returns them, and why the others were not read as the
// error if it can tell, else no error.
func ScanImage(img image.Image) ([]string, error) {
	v := &view{g: gray(img)}
	if m := binarize(v.g); m != nil {
		if n := len(candidates(m)); n > maxCandidates {
			return nil, fmt.Errorf("%w: %w (%d)", ErrNoCode, ErrCrowded, n)
		}
	}
	start := time.Now()
	var found []string
	seen := map[string]bool{}
	for _, a := range attempts {
		for _, pl := range a.find(v) {
			if !seen[pl] {
				seen[pl] = true
				found = append(found, pl)
			}
		}
		if complete(found) || time.Since(start) > budget {
			break
		}
	}
	switch {
	case len(found) == 0:
		if why := diagnose(v.g); why != nil {
			return nil, fmt.Errorf("%w: %w", ErrNoCode, why)
		}
		return nil, ErrNoCode
	case !complete(found) && partial(found):
		return found, diagnose(v.g)
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

// decode finds and decodes every QR code in a greyscale image. The decoder
// is third-party code fed with untrusted pictures: a panic in it is a code
// not read, not a crash.
func decode(g *image.Gray, binarizer func(gozxing.LuminanceSource) gozxing.Binarizer) (payloads []string) {
	defer func() {
		if recover() != nil {
			payloads = nil
		}
	}()
	bmp, err := gozxing.NewBinaryBitmap(binarizer(newLuminance(g)))
	if err != nil {
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
