//go:build !js

package qr

import (
	"image"

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

// attempt is one way of looking for codes in a greyscale image.
type attempt struct {
	name string
	find func(*image.Gray) []string
}

// attempts are tried in order until every acta whose parts have been seen
// is complete; what each finds is added up. The first reads nearly every
// sheet that a scanner gives. When it misses on a noisy one, it is most
// often one code of several, and looking again another way finds it: with
// one global threshold instead of local ones (cheap), after averaging the
// noise away (a 5×5 box blur: the retry that completes the most), with the
// rows scanned across (a lossless quarter turn), or turned by 45 degrees,
// which moves the sampling grid off the modules and is the retry issue 7's
// check found to work. doc/spec/qr.md has the measurements
// (TestEvalAttempts).
var attempts = []attempt{
	{"hybrid", func(g *image.Gray) []string { return decode(g, gozxing.NewHybridBinarizer) }},
	{"global", func(g *image.Gray) []string { return decode(g, gozxing.NewGlobalHistgramBinarizer) }},
	{"smooth", func(g *image.Gray) []string { return decode(smooth(g), gozxing.NewHybridBinarizer) }},
	{"smooth+quarter", func(g *image.Gray) []string { return decode(quarter(smooth(g)), gozxing.NewHybridBinarizer) }},
	{"quarter", func(g *image.Gray) []string { return decode(quarter(g), gozxing.NewHybridBinarizer) }},
	{"45°", func(g *image.Gray) []string { return decode(rotate45(g), gozxing.NewHybridBinarizer) }},
}

// ScanImage returns the payloads of the QR codes found in an image, each as
// the bytes it encodes. It tries ways of reading the image, from the cheapest,
// until it has found a triplicate part and every part of each acta it has a
// part of, or it runs out; it returns what it found. It fails with ErrNoCode
// if it found no code at all.
func ScanImage(img image.Image) ([]string, error) {
	g := gray(img)
	var found []string
	seen := map[string]bool{}
	for _, a := range attempts {
		for _, pl := range a.find(g) {
			if !seen[pl] {
				seen[pl] = true
				found = append(found, pl)
			}
		}
		if complete(found) {
			break
		}
	}
	if len(found) == 0 {
		return nil, ErrNoCode
	}
	return found, nil
}

// complete reports whether payloads hold a part and, for every acta they
// have a part of, all its parts.
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
		want[p.digest] = p.n
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
