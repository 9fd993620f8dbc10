package printing

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// TestScanErrors scans bad input: each image that fails gets an error that
// names it and says what is wrong, and the good images are still read.
func TestScanErrors(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	a := signedActa(t, f, 10, 3) // two codes, side by side
	b := signedActa(t, f, 12, 3)
	dir := t.TempDir()
	file := func(name string) string { return filepath.Join(dir, name) }
	write := func(name string, data []byte) {
		if err := os.WriteFile(file(name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pageOf := func(sa *acta.Signed) image.Image {
		pdf, err := PDF(sa, f.Def)
		if err != nil {
			t.Fatal(err)
		}
		return render(t, pdf, 200, 1, 1)[0]
	}
	pageA, pageB := pageOf(a), pageOf(b)
	leftA, rightA := halves(lowerHalf(pageA))
	_, rightB := halves(lowerHalf(pageB))
	save(t, file("a.png"), pageA, 0)
	save(t, file("a-left.png"), leftA, 0)
	save(t, file("a-right.jpg"), rightA, 90)
	save(t, file("b-right.png"), rightB, 0)
	white := image.NewGray(image.Rect(0, 0, 800, 600))
	for i := range white.Pix {
		white.Pix[i] = 255
	}
	save(t, file("blank.png"), white, 0)
	url, err := qrcode.New("https://example.org/acta", qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	save(t, file("url.png"), url.Image(400), 0)
	write("garbage.png", []byte("this is not an image at all"))
	write("empty.jpg", nil)
	var png bytes.Buffer
	save(t, file("tmp.png"), pageA, 0)
	data, _ := os.ReadFile(file("tmp.png"))
	png.Write(data[:len(data)/2])
	write("truncated.png", png.Bytes())

	other := electiontest.New(electiontest.Options{Seed: "other"})

	for _, tc := range []struct {
		name  string
		files []string
		actas int
		want  []string // one per error, in order
		is    []error
	}{
		{"whole page", []string{"a.png"}, 1, nil, nil},
		{"halves", []string{"a-left.png", "a-right.jpg"}, 1, nil, nil},
		{"copies", []string{"a.png", "a-right.jpg", "a-left.png"}, 1, nil, nil},
		{"part missing", []string{"a-left.png"}, 0,
			[]string{"a-left.png: acta " + digest(a.Msg) + ": missing QR part 2/2 (have 1 of 2)"},
			[]error{ErrMissing}},
		{"part of another acta", []string{"a-left.png", "b-right.png"}, 0,
			[]string{
				"a-left.png: acta " + digest(a.Msg) + ": missing QR part 2/2 (have 1 of 2); parts of other actas were found: part 2/2 of acta " + digest(b.Msg) + " in b-right.png",
				"b-right.png: acta " + digest(b.Msg) + ": missing QR part 1/2 (have 1 of 2); parts of other actas were found: part 1/2 of acta " + digest(a.Msg) + " in a-left.png",
			},
			[]error{ErrMissing, ErrMissing}},
		{"blank", []string{"blank.png", "a.png"}, 1, []string{"blank.png: no QR code found"}, []error{ErrNoCode}},
		{"other code", []string{"url.png"}, 0,
			[]string{`url.png: not a triplicate QR code: found 1 QR code that is not a triplicate part (it starts "https://example.org/acta")`},
			[]error{ErrNotPart}},
		{"garbage", []string{"garbage.png"}, 0, []string{`garbage.png: unreadable image: neither PNG nor JPEG (it starts "this is ")`}, []error{ErrImage}},
		{"empty", []string{"empty.jpg"}, 0, []string{"empty.jpg: unreadable image: empty file"}, []error{ErrImage}},
		{"truncated", []string{"truncated.png", "a.png"}, 1, []string{"truncated.png: unreadable image: "}, []error{ErrImage}},
		{"no such file", []string{"nothing.png"}, 0, []string{"nothing.png: open "}, []error{os.ErrNotExist}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var paths []string
			for _, f := range tc.files {
				paths = append(paths, file(f))
			}
			got, errs := ScanFiles(f.Def, paths)
			if len(got) != tc.actas {
				t.Errorf("%d actas, want %d", len(got), tc.actas)
			}
			for _, s := range got {
				if !bytes.Equal(s.Msg, a.Msg) {
					t.Errorf("scanned acta is not the printed one")
				}
			}
			if len(errs) != len(tc.want) {
				t.Fatalf("errors %q, want %q", errs, tc.want)
			}
			for i, err := range errs {
				msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
				if !strings.HasPrefix(msg, tc.want[i]) || !errors.Is(err, tc.is[i]) {
					t.Errorf("error %q, want %q (%v)", msg, tc.want[i], tc.is[i])
				}
			}
		})
	}

	t.Run("another election", func(t *testing.T) {
		_, errs := ScanFiles(other.Def, []string{file("a.png")})
		if len(errs) != 1 || !notThisElection(errs[0]) || !strings.HasPrefix(errs[0].Error(), file("a.png")+": ") {
			t.Errorf("errors %v, want one naming a.png and saying the keys are not the election's", errs)
		}
	})
}

// TestAssembler feeds payloads directly: copies of the same acta join once,
// and a part read two ways is refused.
func TestAssembler(t *testing.T) {
	parts := mustParts(t, 1000)
	var asm Assembler
	asm.Add("copy1.png", parts)
	asm.Add("copy2.png", []string{parts[1], "https://example.org/"})
	asm.Add("copy3.png", []string{parts[0]})
	got, errs := asm.Actas()
	if len(errs) != 0 || len(got) != 1 || !bytes.Equal(got[0].Msg, message(1000)) {
		t.Fatalf("got %d actas, errors %v", len(got), errs)
	}
	if want := []string{"copy1.png", "copy2.png", "copy3.png"}; !equalStrings(got[0].Files, want) {
		t.Errorf("files %q, want %q", got[0].Files, want)
	}

	altered := strings.Replace(parts[1], "line", "lime", 1)
	asm = Assembler{}
	asm.Add("a.png", parts)
	asm.Add("b.png", []string{altered})
	_, errs = asm.Actas()
	want := "a.png, b.png: acta " + digest(message(1000)) + ": QR part 2/2 reads differently in different images"
	if len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("errors %v, want %q", errs, want)
	}

	asm = Assembler{}
	asm.Add("a.png", []string{strings.Replace(parts[0], "v1", "v9", 1), parts[1]})
	_, errs = asm.Actas()
	if len(errs) != 2 || !strings.Contains(errs[0].Error(), "a.png: QR part header") || !errors.Is(errs[1], ErrMissing) {
		t.Errorf("errors %v, want a bad header and a missing part", errs)
	}
}

// notThisElection reports whether err is acta.Open's for an acta signed by
// keys of another election.
func notThisElection(err error) bool {
	return errors.Is(err, acta.ErrUnknownSigner) || errors.Is(err, acta.ErrNotEnrolled)
}

func equalStrings(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") }

// TestBytesRoundTrip encodes every byte value, and the acta's em dash, in a
// code and reads it back: the decoder must not reinterpret them as text.
func TestBytesRoundTrip(t *testing.T) {
	var chunk []byte
	for i := range 256 {
		chunk = append(chunk, byte(i))
	}
	chunk = append(chunk, "— González\n"...)
	parts, err := Parts(chunk)
	if err != nil {
		t.Fatal(err)
	}
	q, err := qrcode.New(parts[0], level)
	if err != nil {
		t.Fatal(err)
	}
	img := q.Image(q.VersionNumber*4*6 + 17*6)
	got, err := ScanImage(img)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != parts[0] {
		t.Fatalf("read %q,\nwant %q", got, parts[0])
	}
	back, err := Join(got)
	if err != nil || !bytes.Equal(back, chunk) {
		t.Fatalf("join: %v", err)
	}
	// The image types of PNG and JPEG decoders, and any other, read alike.
	rgba := image.NewNRGBA(img.Bounds())
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			r, g, b, _ := img.At(x, y).RGBA()
			rgba.Set(x, y, color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255})
		}
	}
	if got, err := ScanImage(rgba); err != nil || len(got) != 1 || got[0] != parts[0] {
		t.Errorf("NRGBA image: read %d codes, %v", len(got), err)
	}
}
