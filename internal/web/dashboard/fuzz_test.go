package dashboard

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/triplicate-vote/triplicate/internal/ledger"
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

// The time a checkpoint was last cosigned is read from its signature
// lines without a panic on any text, and is one that a cosignature line
// of it carries.
func FuzzCosignedAt(f *testing.F) {
	sig := func(ts uint64) string {
		b := make([]byte, 4+8+64)
		binary.BigEndian.PutUint64(b[4:], ts)
		return base64.StdEncoding.EncodeToString(b)
	}
	f.Add([]byte("ve2024/center\n14\nSqD2lg9QW6UotSxUJYOHr2eLiEBrktpMZQhl8HtyOxs=\n\n— ve2024/center 4PqBCuJhN5EGDqsO/lSkNpEhH\n— ve2024/logwitness/pud " + sig(1785240000) + "\n"))
	f.Add([]byte("o\n1\nAA==\n\n— w " + sig(1) + "\n— x " + sig(1<<62) + "\n"))
	f.Add([]byte("no signatures"))
	f.Add([]byte("\n\n— \n— a\n— a b c\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		at := cosignedAt(&ledger.Checkpoint{Raw: raw})
		if at.IsZero() {
			return
		}
		found := false
		_, sigs, _ := bytes.Cut(raw, []byte("\n\n"))
		for _, line := range bytes.Split(sigs, []byte("\n")) {
			if _, b64, ok := bytes.Cut(bytes.TrimPrefix(line, []byte("— ")), []byte(" ")); ok {
				if b, err := base64.StdEncoding.DecodeString(string(b64)); err == nil && len(b) == 76 &&
					time.Unix(int64(binary.BigEndian.Uint64(b[4:12])), 0).UTC().Equal(at) {
					found = true
				}
			}
		}
		if !found {
			t.Fatalf("cosignedAt(%q) = %v, no cosignature line has it", raw, at)
		}
	})
}
