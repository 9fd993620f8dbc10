package strictjson_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/strictjson"
)

// TestRecords: an array of objects and JSON Lines read alike, each object
// and member with its line; what two readers could read two ways is
// refused with its line.
func TestRecords(t *testing.T) {
	for _, tc := range []struct {
		name, in, want, err string
	}{
		{"array", "[\n{\"a\":1,\n\"b\":\"x\"},\n{\"a\":2.5,\"c\":[1,{}],\"d\":null}\n]", `1@2[a=0"1"@2 b=""x"@3] 2@4[a=0"2.5"@4 c=[""@4 d=n"null"@4]`, ""},
		{"lines", "{\"a\":1}\r\n{\"a\":true}\n", `1@1[a=0"1"@1] 2@2[a=t"true"@2]`, ""},
		{"bom", "\uFEFF[{\"a\":1}]", `1@1[a=0"1"@1]`, ""},
		{"empty", "", "", ""},
		{"empty array", " [ ] ", "", ""},
		{"duplicate", "{\"a\":1}\n{\"a\":1,\n\"a\":2}", `1@1[a=0"1"@1]`, `line 3: name "a" given twice in one object`},
		{"not object", "[{\"a\":1},2]", `1@1[a=0"1"@1]`, "line 1: a JSON number where an object goes"},
		{"after array", "[{\"a\":1}] {}", `1@1[a=0"1"@1]`, "line 1: more after the end of the array"},
		{"truncated", "[{\"a\":1}", `1@1[a=0"1"@1]`, "line 1: the JSON ends too soon"},
		{"bad utf-8", "{\"a\":\"\xff\"}", "", "line 1: invalid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			err := strictjson.Records(strings.NewReader(tc.in), func(r *strictjson.Record) error {
				var ms []string
				for _, m := range r.Members {
					ms = append(ms, fmt.Sprintf("%s=%c%q@%d", m.Name, m.Kind, m.Value, m.Line))
				}
				got = append(got, fmt.Sprintf("%d@%d[%s]", r.N, r.Line, strings.Join(ms, " ")))
				return nil
			})
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("read %s, want %s", g, tc.want)
			}
			if (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
				t.Errorf("error %v, want %q", err, tc.err)
			}
		})
	}
}
