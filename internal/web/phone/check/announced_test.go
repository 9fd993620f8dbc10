package check

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// announcedOf slices the center's announcement for one station, as the
// party's server relays it, once the announcement covers size entries.
func announcedOf(t *testing.T, url, station string, size uint64) []byte {
	t.Helper()
	var all struct {
		Election   string            `json:"election"`
		LogSize    uint64            `json:"log_size"`
		Checkpoint string            `json:"checkpoint"`
		Stations   []json.RawMessage `json:"stations"`
	}
	for i := 0; ; i++ {
		if err := json.Unmarshal(get(t, url+"/v1/announced"), &all); err != nil {
			t.Fatal(err)
		}
		if all.LogSize >= size {
			break
		}
		if i > 300 {
			t.Fatalf("the announcement does not reach %d entries", size)
		}
		time.Sleep(20 * time.Millisecond)
	}
	out := map[string]any{"election": all.Election, "log_size": all.LogSize, "checkpoint": all.Checkpoint, "station": nil}
	for _, s := range all.Stations {
		var st struct{ Station string }
		json.Unmarshal(s, &st)
		if st.Station == station {
			out["station"] = s
		}
	}
	b, _ := json.Marshal(out)
	return b
}

// The witness's copy against the center's announced figures: the same
// figures are "same"; figures the center (or whoever relays them) changed
// are an alarm, both side by side; a station not announced, and an
// announcement that does not read, names another election, carries a
// checkpoint the witnesses did not cosign, or is of another station, is
// never "same".
func TestCompareAnnounced(t *testing.T) {
	fx := electiontest.New(electiontest.Options{LogWitnesses: 1})
	c, url := centerOf(t, fx)
	ours := final(t, fx)
	if got := CompareAnnounced(fx.Def, ours, announcedOf(t, url, "100.1", 1)); got.Status != "unannounced" || !strings.Contains(got.Verdict["es"], "el centro no anunció cifras de la mesa 100.1") {
		t.Errorf("before the center logs it: %+v", got)
	}
	if _, err := c.Submit(context.Background(), ours); err != nil {
		t.Fatal(err)
	}
	honest := announcedOf(t, url, "100.1", 2)
	got := CompareAnnounced(fx.Def, ours, honest)
	if got.Status != "same" || got.Index != 1 || got.LogSize != 2 || len(got.Figures) != 6 || got.Raw != string(honest) ||
		!strings.Contains(got.Verdict["en"], "the center announced the same figures for station 100.1") {
		t.Errorf("the honest announcement: %+v", got)
	}

	edit := func(from, to string) []byte {
		b := strings.Replace(string(honest), from, to, 1)
		if b == string(honest) {
			t.Fatalf("%q is not in the announcement %s", from, honest)
		}
		return []byte(b)
	}
	differs := CompareAnnounced(fx.Def, ours, edit(`"ballots":3`, `"ballots":30`))
	if differs.Status != "differs" || !strings.Contains(differs.Verdict["en"], "ALARM: the center announced other figures for station 100.1 than this signed copy: ballots 3 here, 30 announced") ||
		!strings.Contains(differs.Verdict["es"], "boletas 3 aquí, 30 anunciado") || *differs.Figures[0].Ours != 3 || *differs.Figures[0].Announced != 30 {
		t.Errorf("announced figures that differ: %+v", differs)
	}
	var cand string
	for _, ct := range fx.Def.Contests[:1] {
		cand = ct.Candidates[0].ID
	}
	moved := CompareAnnounced(fx.Def, ours, edit(`{"id":"`+cand+`"`, `{"id":"nobody"`))
	if moved.Status != "differs" || !strings.Contains(moved.Verdict["en"], "president "+cand+" 0 here, — announced") || !strings.Contains(moved.Verdict["en"], "president nobody — here, 0 announced") {
		t.Errorf("a candidate renamed: %+v", moved)
	}

	for name, bad := range map[string][]byte{
		"unreadable":            []byte(`{"election":`),
		"HTML from a proxy":     []byte("<html>502 Bad Gateway</html>"),
		"another election":      edit(`"election":"test"`, `"election":"other"`),
		"a forged checkpoint":   edit(`"checkpoint":"test/center\n2\n`, `"checkpoint":"test/center\n3\n`),
		"a size not its own":    edit(`"log_size":2`, `"log_size":3`),
		"another station":       edit(`"station":"100.1"`, `"station":"100.2"`),
		"an entry beyond it":    edit(`"index":1`, `"index":9`),
		"an empty announcement": []byte(`{}`),
	} {
		if got := CompareAnnounced(fx.Def, ours, bad); got.Status != "unchecked" || !strings.HasPrefix(got.Verdict["en"], "could not check the center's announced figures: ") || got.Verdict["es"] == "" {
			t.Errorf("%s: %+v", name, got)
		}
	}
}
