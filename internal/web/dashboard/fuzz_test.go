package dashboard

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// A search query is refused or comes out trimmed, canonical (parsing it
// again gives it back), within the limit, and folded to lower case.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", " ", "10113042.1", "Petare", "PQ. EL RECREO", "caña  brava ", "O'Leary", "a/b-c_d,e",
		"<script>", "%", "\xff", strings.Repeat("a", 101), "ÁÉÍ", "e\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := parseQuery(s)
		if err != nil {
			return
		}
		if len(q.Text) > maxQuery || !utf8.ValidString(q.Text) || q.Text != strings.TrimSpace(q.Text) || strings.Contains(q.Text, "  ") {
			t.Fatalf("parseQuery(%q) = %q", s, q.Text)
		}
		again, err := parseQuery(q.Text)
		if err != nil || again.Text != q.Text || strings.Join(again.words, " ") != strings.Join(q.words, " ") {
			t.Fatalf("parseQuery(%q) = %q, and again %q, %v", s, q.Text, again.Text, err)
		}
		for _, w := range q.words {
			if w != strings.ToLower(w) || w == "" {
				t.Fatalf("parseQuery(%q): word %q", s, w)
			}
		}
	})
}

// A download's name is accepted only in its one canonical spelling.
func FuzzParseDownload(f *testing.F) {
	for _, s := range []string{"acta.pdf", "acta.txt", "qr-1.png", "qr-99.png", "qr-100.png", "qr-01.png", "qr-.png", "qr-1.PNG", "qr--1.png", "qr-+1.png"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, n, err := parseDownload(s)
		if err != nil {
			return
		}
		again := name
		if name == "qr.png" {
			again = "qr-" + strconv.Itoa(n) + ".png"
		}
		if again != s {
			t.Fatalf("parseDownload(%q) = %q, %d: not canonical", s, name, n)
		}
	})
}

func TestParseDownload(t *testing.T) {
	for s, ok := range map[string]bool{"acta.pdf": true, "acta.txt": true, "qr-1.png": true, "qr-99.png": true,
		"qr-100.png": false, "qr-01.png": false, "qr-0.png": false, "qr-.png": false, "qr-1.PNG": false, "acta.doc": false} {
		if _, _, err := parseDownload(s); (err == nil) != ok {
			t.Errorf("parseDownload(%q): %v", s, err)
		}
	}
}
