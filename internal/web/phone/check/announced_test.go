package check

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/announced"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// announcedOf fetches the center's signed announcement of a station, as
// the party's server relays it, once the center has published size
// entries.
func announcedOf(t *testing.T, url, station string, size uint64) []byte {
	t.Helper()
	for i := 0; ; i++ {
		resp, err := http.Get(url + "/v1/announced/" + station)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			a, err := announced.Parse(b[:bytes.Index(b, []byte("\n\n"))+1])
			if err != nil {
				t.Fatal(err)
			}
			if a.Size >= size {
				return b
			}
		}
		if i > 300 {
			t.Fatalf("no announcement of station %s at %d entries: %d %s", station, size, resp.StatusCode, b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The witness's copy against the center's signed announcement: the same
// figures are "same"; figures the center signed otherwise are an alarm,
// both side by side, the signed note kept as the evidence. Whatever a
// relay does — changes a figure, strips or replaces the signature, passes
// another station's or another election's announcement, or something that
// is not one — is "unchecked", never "same"; no announcement at all is
// "unannounced", and says its answer is not signed.
func TestCompareAnnounced(t *testing.T) {
	fx := electiontest.New(electiontest.Options{LogWitnesses: 1})
	c, url := centerOf(t, fx)
	ours := final(t, fx)
	if got := CompareAnnounced(fx.Def, ours, nil); got.Status != "unannounced" || !strings.Contains(got.Verdict["es"], "el centro aún no anunció cifras de la mesa 100.1") ||
		!strings.Contains(got.Verdict["en"], "not signed") {
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

	// The center itself signs other figures: an alarm, with its signature.
	body := honest[:bytes.Index(honest, []byte("\n\n"))+1]
	lie, err := announced.Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	lie.Ballots, lie.Contests[0].Candidates[0].Votes = 30, 27
	signedLie, err := announced.Sign(lie, fx.Center)
	if err != nil {
		t.Fatal(err)
	}
	differs := CompareAnnounced(fx.Def, ours, signedLie)
	if differs.Status != "differs" || !strings.Contains(differs.Verdict["en"], "ALARM: the center announced other figures for station 100.1 than this signed copy: ballots 3 here, 30 announced; president ALBA 0 here, 27 announced") ||
		!strings.Contains(differs.Verdict["es"], "boletas 3 aquí, 30 anunciado") || *differs.Figures[0].Ours != 3 || *differs.Figures[0].Announced != 30 ||
		differs.Raw != string(signedLie) {
		t.Errorf("signed figures that differ: %+v", differs)
	}
	if _, err := announced.Open([]byte(differs.Raw), fx.Def); err != nil {
		t.Errorf("the evidence kept does not open: %v", err)
	}

	// What a relay can do.
	edit := func(from, to string) []byte {
		b := strings.Replace(string(honest), from, to, 1)
		if b == string(honest) {
			t.Fatalf("%q is not in the announcement %s", from, honest)
		}
		return []byte(b)
	}
	other := electiontest.New(electiontest.Options{Seed: "another election", LogWitnesses: 1})
	otherElection, err := announced.Sign(lie, other.Center)
	if err != nil {
		t.Fatal(err)
	}
	stolen := electiontest.Key("stolen", "test/center")
	otherKey, err := announced.Sign(lie, stolen)
	if err != nil {
		t.Fatal(err)
	}
	lie.Station = "100.2"
	otherStation, err := announced.Sign(lie, fx.Center)
	if err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string]struct {
		msg  []byte
		want string
	}{
		"a figure altered":               {edit("\nballots 3\n", "\nballots 30\n"), "not signed by the election's center"},
		"the signature stripped":         {body, "does not read"},
		"signed by another key":          {otherKey, "not signed by the election's center"},
		"another election's, its center": {otherElection, "not signed by the election's center"},
		"another station's, replayed":    {otherStation, "it is of station 100.2, not 100.1"},
		"the unsigned JSON of old":       {[]byte(`{"election":"test","log_size":2,"station":{"station":"100.1","ballots":3}}`), "does not read"},
		"HTML from a proxy":              {[]byte("<html>502 Bad Gateway</html>"), "does not read"},
	} {
		got := CompareAnnounced(fx.Def, ours, bad.msg)
		if got.Status != "unchecked" || !strings.HasPrefix(got.Verdict["en"], "could not check the center's announced figures: ") ||
			!strings.Contains(got.Verdict["en"], bad.want) || got.Verdict["es"] == "" {
			t.Errorf("%s: %+v", name, got)
		}
	}
}

// TestAgainstCheckpoint: a signed announcement is held to the log's
// checkpoint the log witnesses cosigned, where both are of one size: the
// honest one says its root is the checkpoint's; one the center signed
// with another root (two histories, one shown to this phone) is "split",
// an alarm, with the checkpoint kept; one of another size, or against a
// checkpoint that does not meet the policy, stands as compared.
func TestAgainstCheckpoint(t *testing.T) {
	fx := electiontest.New(electiontest.Options{LogWitnesses: 1})
	c, url := centerOf(t, fx)
	ours := final(t, fx)
	if _, err := c.Submit(context.Background(), ours); err != nil {
		t.Fatal(err)
	}
	honest := announcedOf(t, url, "100.1", 2)
	var cp []byte
	for i := 0; !strings.Contains(string(cp), "\n2\n"); i++ {
		if i > 300 {
			t.Fatal("no witnessed checkpoint of 2 entries")
		}
		time.Sleep(20 * time.Millisecond)
		cp = get(t, url+"/log/checkpoint")
	}
	got := AgainstCheckpoint(fx.Def, CompareAnnounced(fx.Def, ours, honest), cp, time.Now())
	if got.Status != "same" || !strings.Contains(got.Verdict["en"], "its log root is that of the checkpoint") {
		t.Errorf("honest: %+v", got)
	}
	a, err := announced.Parse(honest[:bytes.Index(honest, []byte("\n\n"))+1])
	if err != nil {
		t.Fatal(err)
	}
	a.Root[0] ^= 0xff
	other, err := announced.Sign(a, fx.Center)
	if err != nil {
		t.Fatal(err)
	}
	split := AgainstCheckpoint(fx.Def, CompareAnnounced(fx.Def, ours, other), cp, time.Now())
	if split.Status != "split" || split.Checkpoint != string(cp) || split.Raw != string(other) ||
		!strings.Contains(split.Verdict["en"], "ALARM: the center signed this announcement of station 100.1 at a log of 2 entries with a root that is not") ||
		!strings.Contains(split.Verdict["es"], "ALARMA: el centro firmó este anuncio") {
		t.Errorf("another root: %+v", split)
	}
	a.Size = 3
	later, _ := announced.Sign(a, fx.Center)
	if got := AgainstCheckpoint(fx.Def, CompareAnnounced(fx.Def, ours, later), cp, time.Now()); got.Status != "same" {
		t.Errorf("another size: %+v", got)
	}
	forged := bytes.Replace(cp, []byte("\n2\n"), []byte("\n7\n"), 1)
	if got := AgainstCheckpoint(fx.Def, CompareAnnounced(fx.Def, ours, other), forged, time.Now()); got.Status != "same" {
		t.Errorf("a checkpoint that does not meet the policy: %+v", got)
	}
}
