package election

import (
	"archive/zip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// A definition may name its time zone once, an IANA name; it is written
// back as read, and a definition without one is written without one.
func TestTimeZoneLine(t *testing.T) {
	const head = "triplicate election v1\nid e1\nname E\nlevels state\n"
	const rest = "contest c * C\ncandidate c a A\ncandidate c b B\narea 1 One\nstation 1.1 1 10 -\n"
	for _, tc := range []struct {
		line, want, err string
	}{
		{"", "", ""},
		{"timezone America/Caracas\n", "America/Caracas", ""},
		{"timezone UTC\n", "UTC", ""},
		{"timezone Mars/Olympus\n", "", "not an IANA time zone name"},
		{"timezone \n", "", "not an IANA time zone name"},
		{"timezone Local\n", "", "not an IANA time zone name"},
		{"timezone america/caracas\n", "", "not an IANA time zone name"},
		// A file of the machine's zoneinfo that is not a zone of the
		// database: refused alike where it is there and where it is not.
		{"timezone posix/America/Caracas\n", "", "not an IANA time zone name"},
		{"timezone ../zoneinfo/UTC\n", "", "not an IANA time zone name"},
		{"timezone UTC\ntimezone UTC\n", "", `repeated "timezone" line`},
	} {
		d, err := Parse([]byte(head + tc.line + rest))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: %v, want %q", tc.line, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tc.line, err)
		}
		if d.TimeZone != tc.want {
			t.Errorf("%q: TimeZone %q, want %q", tc.line, d.TimeZone, tc.want)
		}
		again, err := Parse(d.Marshal())
		if err != nil || again.TimeZone != tc.want || strings.Contains(string(d.Marshal()), "timezone") != (tc.want != "") {
			t.Errorf("%q: written back as\n%s(%v)", tc.line, d.Marshal(), err)
		}
	}
}

// Every zone of the list loads, from time/tzdata where the machine has no
// zoneinfo files; and the list is sorted, for ValidTimeZone searches it.
func TestZoneNamesLoad(t *testing.T) {
	if !slices.IsSorted(zoneNames) || len(zoneNames) < 400 {
		t.Fatalf("zoneNames: %d names, sorted %v", len(zoneNames), slices.IsSorted(zoneNames))
	}
	for _, name := range zoneNames {
		if _, err := time.LoadLocation(name); err != nil {
			t.Errorf("zone %s of the list does not load: %v", name, err)
		}
	}
	for _, name := range []string{"America/Caracas", "America/La_Paz", "UTC", "Asia/Kolkata", "Etc/GMT+4"} {
		if !ValidTimeZone(name) {
			t.Errorf("ValidTimeZone(%s) = false", name)
		}
	}
}

// The list is the database of the Go release go.mod names: with another
// release the test skips, saying which (CI has that one); run go generate
// ./internal/election/ after changing it.
func TestZoneNamesUpToDate(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	if want := "go" + string(m[1]); runtime.Version() != want && os.Getenv("CI") == "" {
		t.Skipf("go.mod names %s, this is %s: its time zone database may differ", want, runtime.Version())
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skip("no go command to find the time zone database:", err)
	}
	z, err := zip.OpenReader(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	var names []string
	for _, f := range z.File {
		if !strings.HasSuffix(f.Name, "/") {
			names = append(names, f.Name)
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, zoneNames) {
		t.Errorf("zonenames.go is not the time zone database of %s (%d names, the list has %d): run go generate ./internal/election/", runtime.Version(), len(names), len(zoneNames))
	}
}
