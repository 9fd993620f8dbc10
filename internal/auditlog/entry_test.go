package auditlog

import (
	"bytes"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/audit"
)

var entrySeeds = []string{
	"{\"seq\":1,\"prev\":\"\",\"kind\":\"state\"}\nfile election.txt 5\nhello\nfile announced.json 2\n{}\n",
	"{\"seq\":2,\"prev\":\"ab\",\"kind\":\"entry\"}\n",
	"{\"seq\":3,\"kind\":\"polls\"}\nfile polls-1.note 0\n\n",
}

// TestParse parses what Marshal makes, and refuses every entry that is not
// that, naming the part at fault.
func TestParse(t *testing.T) {
	e := &Entry{Line: []byte(`{"seq":1}`), Files: []audit.Evidence{{Name: "election.txt", Data: []byte("a\nb")}, {Name: "audit.json", Data: nil}, {Name: "hand/10113011.2.acta", Data: []byte("x")}}}
	got, err := Parse(e.Marshal())
	if err != nil || !bytes.Equal(got.Marshal(), e.Marshal()) {
		t.Fatalf("%v: %q", err, got.Marshal())
	}
	for _, tc := range []struct{ in, want string }{
		{"", "no newline"},
		{"\n", "not a trail line"},
		{"{}\nfile a 1\nxx\n", "want 1 bytes and a newline"},
		{"{}\nfile a 01\nx\n", "canonical form"},
		{"{}\nfile a -1\n\n", "canonical form"},
		{"{}\nfile ../a 1\nx\n", "plain name"},
		{"{}\nfile .state 1\nx\n", "plain name"},
		{"{}\nfile hand/../a 1\nx\n", "plain name"},
		{"{}\nfile hand/x/y.acta 1\nx\n", "plain name"},
		{"{}\nfile a 1\nx\nfile a 1\nx\n", "given twice"},
		{"{}\nfile a 1 x\nx\n", "want \"file NAME SIZE\""},
		{"{}\nfile a 1\nx", "want 1 bytes and a newline"},
		{"{}\nfile a 1", "the header has no newline"},
	} {
		if _, err := Parse([]byte(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q): %v, want an error containing %q", tc.in, err, tc.want)
		}
	}
}

// FuzzParse checks that whatever Parse accepts, Marshal gives back byte
// for byte, and that it never panics.
func FuzzParse(f *testing.F) {
	for _, s := range entrySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Parse(data)
		if err != nil {
			return
		}
		if out := e.Marshal(); !bytes.Equal(out, data) {
			t.Fatalf("Parse then Marshal: %q, want %q", out, data)
		}
	})
}
