package strictjson_test

import (
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/strictjson"
)

type station struct {
	Station string `json:"station"`
	Votes   int64  `json:"votes"`
	Note    string `json:"note,omitempty"`
}

// TestStrict: every input that two JSON readers could read two ways is
// refused, with the line and the member.
func TestStrict(t *testing.T) {
	for _, tc := range []struct {
		name, in, err string
	}{
		{"ok", `{"station":"1","votes":4}`, ""},
		{"ok with optional", "{\"station\":\"1\",\n\"votes\":4,\"note\":\"x\"}", ""},
		{"case differs", `{"station":"1","Votes":40}`, `unknown field "Votes"`},
		{"case shadow", `{"station":"1","votes":4,"Votes":40}`, `unknown field "Votes"`},
		{"duplicate", "{\"station\":\"1\",\n\"votes\":4,\n\"votes\":40}", `line 3: `},
		{"unknown", `{"station":"1","votes":4,"extra":1}`, `unknown field "extra"`},
		{"two values", `{"station":"1"} {"station":"2"}`, `more after the end`},
		{"bad utf-8", "{\"station\":\"\xff\"}", `invalid UTF-8`},
		{"type", `{"station":"1","votes":"4"}`, `/votes`},
		{"syntax", "{\"station\":\"1\",\n\"votes\": }", `line 2: `},
		{"truncated", `{"station":"1"`, `unexpected EOF`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s station
			err := strictjson.Unmarshal([]byte(tc.in), &s)
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.err != "" && err == nil:
				t.Fatalf("read %+v, want an error", s)
			case tc.err != "" && !strings.Contains(err.Error(), tc.err):
				t.Fatalf("error %q, want it to contain %q", err, tc.err)
			}
			if err != nil {
				t.Log(err)
			}
		})
	}
}

func FuzzUnmarshal(f *testing.F) {
	f.Add([]byte(`{"station":"1","votes":4}`))
	f.Add([]byte(`{"station":"1","votes":4,"votes":5}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s station
		if strictjson.Unmarshal(data, &s) != nil {
			return
		}
		// What reads must read the same again after a round trip.
		var again station
		out := []byte(`{"station":` + quote(s.Station) + `,"votes":` + itoa(s.Votes) + `}`)
		if err := strictjson.Unmarshal(out, &again); err != nil || again.Station != s.Station || again.Votes != s.Votes {
			t.Fatalf("%q read as %+v, written %q, read back %+v, %v", data, s, out, again, err)
		}
	})
}

// TestPart: a reader of part of a format skips what it does not read, but
// still reads names exactly and refuses duplicates.
func TestPart(t *testing.T) {
	var s struct {
		Votes int64 `json:"votes"`
	}
	if err := strictjson.UnmarshalPart([]byte(`{"votes":4,"other":[1,2]}`), &s); err != nil || s.Votes != 4 {
		t.Fatalf("read %+v, %v", s, err)
	}
	if err := strictjson.UnmarshalPart([]byte(`{"Votes":40}`), &s); err != nil {
		t.Fatalf("read %+v, %v", s, err)
	} else if s.Votes != 4 {
		t.Errorf("\"Votes\" read as votes: %d", s.Votes)
	}
	if err := strictjson.UnmarshalPart([]byte(`{"votes":4,"votes":40}`), &s); err == nil {
		t.Error("duplicate read")
	}
}
