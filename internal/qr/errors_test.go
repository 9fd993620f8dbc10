package qr_test

import (
	"bytes"
	"errors"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/printing"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
	"github.com/triplicate-vote/triplicate/internal/qr"
)

// TestScanErrors scans bad input: each image that fails gets an error that
// names it and says what is wrong, and the good images are still read.
func TestScanErrors(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	a := printtest.SignedActa(t, f, 10, 3) // three codes in a row, any two of which give it back
	b := printtest.SignedActa(t, f, 12, 3)
	dir := t.TempDir()
	file := func(name string) string { return filepath.Join(dir, name) }
	write := func(name string, data []byte) {
		if err := os.WriteFile(file(name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pageOf := func(sa *acta.Signed) image.Image {
		pdf, err := printing.PDF(sa, f.Def, printing.English)
		if err != nil {
			t.Fatal(err)
		}
		return printtest.Render(t, pdf, 200, 1, 1)[0]
	}
	pageA, pageB := pageOf(a), pageOf(b)
	leftA, rightA := halves(pageA) // code 1, and code 3
	_, rightB := halves(pageB)
	printtest.Save(t, file("a.png"), pageA, 0)
	printtest.Save(t, file("a-left.png"), leftA, 0)
	printtest.Save(t, file("a-right.jpg"), rightA, 90)
	printtest.Save(t, file("b-right.png"), rightB, 0)
	white := image.NewGray(image.Rect(0, 0, 800, 600))
	for i := range white.Pix {
		white.Pix[i] = 255
	}
	printtest.Save(t, file("blank.png"), white, 0)
	url, err := qrcode.New("https://example.org/acta", qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	printtest.Save(t, file("url.png"), url.Image(400), 0)
	write("garbage.png", []byte("this is not an image at all"))
	write("empty.jpg", nil)
	var png bytes.Buffer
	printtest.Save(t, file("tmp.png"), pageA, 0)
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
			[]string{"a-left.png: acta " + qr.Digest(a.Msg) + ": missing QR part: 1 read, 1 more needed (any 2 of its 3 codes rebuild it; read 1/3)"},
			[]error{qr.ErrMissing}},
		{"part of another acta", []string{"a-left.png", "b-right.png"}, 0,
			[]string{
				"a-left.png: acta " + qr.Digest(a.Msg) + ": missing QR part: 1 read, 1 more needed (any 2 of its 3 codes rebuild it; read 1/3); parts of other actas were found: part 3/3 of acta " + qr.Digest(b.Msg) + " in b-right.png",
				"b-right.png: acta " + qr.Digest(b.Msg) + ": missing QR part: 1 read, 1 more needed (any 2 of its 3 codes rebuild it; read 3/3); parts of other actas were found: part 1/3 of acta " + qr.Digest(a.Msg) + " in a-left.png",
			},
			[]error{qr.ErrMissing, qr.ErrMissing}},
		{"blank", []string{"blank.png", "a.png"}, 1, []string{"blank.png: no QR code found"}, []error{qr.ErrNoCode}},
		{"other code", []string{"url.png"}, 0,
			[]string{`url.png: not a triplicate QR code: found 1 QR code that is not a triplicate part (it starts "https://example.org/acta")`},
			[]error{qr.ErrNotPart}},
		{"garbage", []string{"garbage.png"}, 0, []string{`garbage.png: unreadable image: neither PNG nor JPEG (it starts "this is ")`}, []error{qr.ErrImage}},
		{"empty", []string{"empty.jpg"}, 0, []string{"empty.jpg: unreadable image: empty file"}, []error{qr.ErrImage}},
		{"truncated", []string{"truncated.png", "a.png"}, 1, []string{"truncated.png: unreadable image: "}, []error{qr.ErrImage}},
		{"no such file", []string{"nothing.png"}, 0, []string{"nothing.png: open "}, []error{os.ErrNotExist}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var paths []string
			for _, f := range tc.files {
				paths = append(paths, file(f))
			}
			got, errs := qr.ScanFiles(f.Def, paths)
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
		_, errs := qr.ScanFiles(other.Def, []string{file("a.png")})
		if len(errs) != 1 || !notThisElection(errs[0]) || !strings.HasPrefix(errs[0].Error(), file("a.png")+": ") {
			t.Errorf("errors %v, want one naming a.png and saying the keys are not the election's", errs)
		}
	})
}

// notThisElection reports whether err is acta.Open's for an acta signed by
// keys of another election.
func notThisElection(err error) bool {
	return errors.Is(err, acta.ErrUnknownSigner) || errors.Is(err, acta.ErrNotEnrolled)
}
