package center_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// areaFixture is a fixture whose stations are spread over centres of
// perCentre stations each, the centres over 27 states.
func areaFixture(t testing.TB, stations, perCentre int) *electiontest.Fixture {
	f := electiontest.New(electiontest.Options{Stations: stations})
	var b strings.Builder
	centres := (stations + perCentre - 1) / perCentre
	stationLine := regexp.MustCompile(`^station 100\.([0-9]+) 1/100 `)
	for _, line := range strings.SplitAfter(string(f.Text), "\n") {
		switch {
		case line == "area 1 North\n":
			for s := 1; s <= 27; s++ {
				fmt.Fprintf(&b, "area %d State %d\n", s, s)
			}
		case line == "area 1/100 Centre 100\n":
			for c := range centres {
				fmt.Fprintf(&b, "area %d/c%d Centre %d\n", c%27+1, c, c)
			}
		case stationLine.MatchString(line):
			var n int
			fmt.Sscan(stationLine.FindStringSubmatch(line)[1], &n)
			c := (n - 1) / perCentre
			b.WriteString(stationLine.ReplaceAllString(line, fmt.Sprintf("station 100.%d %d/c%d ", n, c%27+1, c)))
		default:
			b.WriteString(line)
		}
	}
	def, err := election.Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	f.Def, f.Text = def, []byte(b.String())
	return f
}

func openPublishing(t testing.TB, f *electiontest.Fixture, dir string, keep int, interval time.Duration) (*center.Center, *httptest.Server) {
	c, err := center.Open(context.Background(), center.Config{Election: f.Def, Key: f.Center, Dir: dir, PublishKeep: keep, PublishInterval: interval})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c.Handler(nil))
	t.Cleanup(func() {
		srv.Close()
		c.Close(context.Background())
	})
	return c, srv
}

// fetch returns a GET's status, body and Cache-Control.
func fetchCached(t testing.TB, url string) (int, []byte, string) {
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body, resp.Header.Get("Cache-Control")
}

// waitPublished waits until the published checkpoint has size entries.
func waitPublished(t testing.TB, c *center.Center, size uint64) {
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if cp, err := c.Ledger().Published(context.Background()); err == nil && cp.Size == size {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no published checkpoint of size %d", size)
		}
	}
}

func TestPublish(t *testing.T) {
	f := areaFixture(t, 60, 4) // 15 centres in 15 states
	dir := t.TempDir()
	// A crash midway through an earlier publication left its temporary
	// directory behind.
	leftover := filepath.Join(dir, "public", "results", ".tmp-7-123")
	os.MkdirAll(filepath.Join(leftover, "areas"), 0o755)
	os.WriteFile(filepath.Join(leftover, "index.json"), []byte("{"), 0o644)

	c, srv := openPublishing(t, f, dir, 3, -1)
	results := filepath.Join(dir, "public", "results")

	for round := range 5 {
		for i := range 12 {
			n := round*12 + i + 1
			if r := post(t, srv.URL+"/v1/actas", finalActa(t, f, fmt.Sprintf("100.%d", n), n%7, n%5, n%3)); r.code != 200 {
				t.Fatalf("station %d: %d %s", n, r.code, r.body)
			}
		}
		size := uint64(round*12+12) + 1 // and the definition, entry 0
		waitPublished(t, c, size)
		latest, err := c.Publish(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if latest.Size != size || latest.Path != fmt.Sprintf("results/%d/", size) {
			t.Fatalf("latest %+v, want size %d", latest, size)
		}

		if _, err := os.Stat(leftover); !os.IsNotExist(err) {
			t.Errorf("the crash's temporary directory is still there: %v", err)
		}

		// latest.json names it, cacheable for a few seconds.
		code, body, cc := fetchCached(t, srv.URL+"/public/results/latest.json")
		var got center.Latest
		if code != 200 || json.Unmarshal(body, &got) != nil || got != *latest || !strings.Contains(cc, "max-age=5") {
			t.Fatalf("latest.json: %d %q %s", code, cc, body)
		}
		cp, _ := c.Ledger().Published(context.Background())
		if got.Checkpoint != string(cp.Raw) {
			t.Errorf("latest.json's checkpoint is not the published one")
		}

		// Every file is the API's answer, cacheable for ever.
		base := srv.URL + "/public/" + latest.Path
		check := func(file, api string) {
			t.Helper()
			code, body, cc := fetchCached(t, base+file)
			if code != 200 || cc != "public, max-age=31536000, immutable" {
				t.Errorf("%s: %d, Cache-Control %q", file, code, cc)
			}
			_, want, _ := fetchCached(t, srv.URL+api)
			if !bytes.Equal(body, want) {
				t.Errorf("%s is not GET %s:\n%s\nwant\n%s", file, api, body, want)
			}
		}
		check("index.json", "/v1/results")
		check("announced.json", "/v1/announced")
		files := 0
		for _, a := range f.Def.Areas {
			if _, ok := c.Result(context.Background(), a.Path); ok {
				check("areas/"+a.Path+".json", "/v1/results/"+a.Path)
				files++
			}
		}
		if files != 15+15 {
			t.Errorf("%d area files, want 30", files)
		}
	}

	// Only the last 3 are kept.
	ents, _ := os.ReadDir(results)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	want := []string{"37", "49", "61", "latest.json"}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Errorf("results/ holds %v, want %v", names, want)
	}
	if code, _, _ := fetchCached(t, srv.URL+"/public/results/13/index.json"); code != 404 {
		t.Errorf("a pruned file answers %d", code)
	}

	// Nothing but the public files is served, and nothing is written.
	os.MkdirAll(filepath.Join(results, ".tmp-99-1"), 0o755)
	os.WriteFile(filepath.Join(results, ".tmp-99-1", "index.json"), []byte("{}"), 0o644)
	for _, p := range []string{"results/.tmp-99-1/index.json", "results/60",
		"results/60/areas/.x.json", "results/60/index.json/", "../index.db", "results/60/areas"} {
		if code, _, _ := fetchCached(t, srv.URL+"/public/"+p); code != 404 {
			t.Errorf("GET /public/%s: %d, want 404", p, code)
		}
	}
	if r := post(t, srv.URL+"/public/results/latest.json", []byte("{}")); r.code != http.StatusMethodNotAllowed {
		t.Errorf("POST to /public/: %d", r.code)
	}

}

// TestPublishBackground checks that the center publishes by itself when the
// published size changes.
func TestPublishBackground(t *testing.T) {
	f := areaFixture(t, 10, 5)
	dir := t.TempDir()
	c, srv := openPublishing(t, f, dir, 0, 50*time.Millisecond)
	for n := 1; n <= 10; n++ {
		post(t, srv.URL+"/v1/actas", finalActa(t, f, fmt.Sprintf("100.%d", n), 1, 2, 3))
	}
	waitPublished(t, c, 11) // ten actas and the definition
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var l center.Latest
		if get(t, srv.URL+"/public/results/latest.json", &l) == 200 && l.Size == 11 {
			var res center.Result
			if get(t, srv.URL+"/public/results/11/index.json", &res) != 200 || res.StationsReported != 10 {
				t.Fatalf("index.json at 10: %+v", res)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the results at size 10 were never published")
		}
	}
}

// BenchmarkPublish30k measures one publication of the results' files at
// 30,000 stations (Venezuela's size) in 3,000 centres of 27 states: 3,028
// result files and the announced figures, each file synced.
//
//	go test -run '^$' -bench Publish30k -benchtime 3x ./internal/center/
func BenchmarkPublish30k(b *testing.B) {
	const stations = 30000
	f := areaFixture(b, stations, 10)
	actas := make([][]byte, stations)
	parallel(stations, func(i int) { actas[i] = finalActa(b, f, fmt.Sprintf("100.%d", i+1), i%7, i%5, i%3) })
	dir := b.TempDir()
	c, _ := openPublishing(b, f, dir, 2, -1)
	concurrently(stations, 256, func(i int) {
		if _, err := c.Submit(context.Background(), actas[i]); err != nil {
			b.Error(err)
		}
	})
	waitPublished(b, c, stations+1)
	var bytes int64
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		os.RemoveAll(filepath.Join(dir, "public", "results", fmt.Sprint(stations+1)))
		b.StartTimer()
		if _, err := c.Publish(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	files := 0
	filepath.Walk(filepath.Join(dir, "public", "results", fmt.Sprint(stations)), func(_ string, fi os.FileInfo, _ error) error {
		if !fi.IsDir() {
			files++
			bytes += fi.Size()
		}
		return nil
	})
	fi, _ := os.Stat(filepath.Join(dir, "public", "results", fmt.Sprint(stations), "announced.json"))
	b.ReportMetric(float64(files), "files")
	b.ReportMetric(float64(bytes)/1e6, "MB")
	b.ReportMetric(float64(fi.Size())/1e6, "MB-announced")
}
