package ledger

import "testing"

func TestParseWitness(t *testing.T) {
	for in, want := range map[string]Witness{
		"w+1234+AQ@http://127.0.0.1:7380":          {Key: "w+1234+AQ", URL: "http://127.0.0.1:7380"},
		"a@b+1234+AQ@https://w.example/x@y":        {Key: "a@b+1234+AQ", URL: "https://w.example/x@y"},
		"k@https://a.example@http://b.example/add": {Key: "k", URL: "https://a.example@http://b.example/add"},
	} {
		if got, err := ParseWitness(in); err != nil || got != want {
			t.Errorf("ParseWitness(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "key", "key@ftp://x", "@http://x", "http://x"} {
		if _, err := ParseWitness(bad); err == nil {
			t.Errorf("ParseWitness(%q): no error", bad)
		}
	}
}
