package check

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/center/centertest"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// centerOf starts a tallying center whose log a party's witness cosigns
// (centertest.Witnessed).
var centerOf = centertest.Witnessed

func get(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return b
}

// compareWith fetches what the phone fetches (through the party's server)
// and compares.
func compareWith(t *testing.T, fx *electiontest.Fixture, url string, ours []byte, tamper func(station []byte) []byte) Comparison {
	t.Helper()
	sa, err := acta.Open(ours, fx.Def)
	if err != nil {
		t.Fatal(err)
	}
	station := get(t, url+"/v1/stations/"+sa.Station)
	var st CenterStation
	json.Unmarshal(station, &st)
	receipts := map[uint64][]byte{}
	for _, e := range st.Actas {
		receipts[e.Index] = get(t, fmt.Sprintf("%s/v1/receipts/%d", url, e.Index))
	}
	if tamper != nil {
		station = tamper(station)
	}
	c, err := Compare(fx.Def, ours, station, receipts, get(t, url+"/log/checkpoint"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The witness's copy against a real center whose log a party's witness
// cosigns: the same count is found and proven; a station whose machine
// signed another count that the center logged raises the alarm with the
// figures; a station not logged is missing; and a relay that changes the
// center's answer is caught, since its entry is no longer the one proven.
func TestCompare(t *testing.T) {
	fx := electiontest.New(electiontest.Options{LogWitnesses: 1})
	c, url := centerOf(t, fx)
	ctx := context.Background()

	honest := final(t, fx)
	if _, err := c.Submit(ctx, honest); err != nil {
		t.Fatal(err)
	}
	if got := compareWith(t, fx, url, honest, nil); got.Status != "same" || !strings.Contains(got.Verdict["en"], "the same count for station 100.1") {
		t.Errorf("the honest station: %+v", got)
	}
	cosigned, _ := acta.Cosign(honest, fx.Def, fx.Witness["pa"])
	if got := compareWith(t, fx, url, cosigned, nil); got.Status != "same" {
		t.Errorf("the witness's cosigned copy of the same count: %+v", got)
	}

	// Station 100.2: the machine signs 3 blank ballots for the witness and
	// 5 for the center.
	st := fx.Def.Station("100.2")
	sign := func(blank int) []byte {
		a, _ := acta.Parse([]byte(strings.Split(string(honest), "\n\n")[0] + "\n"))
		a.Station, a.Machine, a.Ballots = st.ID, st.Machine, blank
		a.Contests[0].Blank = blank
		msg, err := acta.Sign(a, fx.Machines[st.ID])
		if err != nil {
			t.Fatal(err)
		}
		return msg
	}
	ours, theirs := sign(3), sign(5)
	if got := compareWith(t, fx, url, ours, nil); got.Status != "missing" {
		t.Errorf("before the center logs 100.2: %+v", got)
	}
	if _, err := c.Submit(ctx, theirs); err != nil {
		t.Fatal(err)
	}
	got := compareWith(t, fx, url, ours, nil)
	if got.Status != "differs" || got.Center != string(theirs) ||
		!strings.Contains(got.Verdict["en"], "ALARM: the center logged other figures for station 100.2") ||
		!strings.Contains(got.Verdict["en"], "ballots 3 here, 5 at the center; president blank 3 here, 5 at the center") ||
		!strings.Contains(got.Verdict["es"], "boletas 3 aquí, 5 en el centro") {
		t.Errorf("another count logged: %+v", got)
	}

	// A relay shows our count as the center's: its entry is not the one
	// the log proves.
	forged := compareWith(t, fx, url, ours, func(station []byte) []byte {
		var st map[string]any
		json.Unmarshal(station, &st)
		for _, e := range st["actas"].([]any) {
			e.(map[string]any)["acta"] = string(ours)
		}
		b, _ := json.Marshal(st)
		return b
	})
	if forged.Status != "unproven" || !strings.Contains(forged.Verdict["en"], "inclusion proof") {
		t.Errorf("a relay's forgery: %+v", forged)
	}
}

// A center that withholds a station past the deadline: before the
// deadline the phone says "not yet published"; after it, in a checkpoint
// its witnesses cosigned after the deadline, it raises the alarm naming
// the checkpoint, its time and cosigners, and keeps the checkpoint. A
// relay that forges the checkpoint gets no alarm believed from it, and a
// relay that hides the station's entry is never "same".
func TestCompareDeadline(t *testing.T) {
	for _, tc := range []struct {
		deadline, status, en, es string
	}{
		{"2099-01-01T00:00:00Z", "missing", "not yet published", "aún no publicada"},
		{"2024-07-29T06:00:00-04:00", "withheld", "ALARM: station 100.2 is not in the center's log at checkpoint", "ALARMA: la mesa 100.2 no está en el registro del centro en el punto de control"},
	} {
		fx := electiontest.New(electiontest.Options{LogWitnesses: 1, Deadline: tc.deadline})
		c, url := centerOf(t, fx)
		honest := final(t, fx)
		if _, err := c.Submit(context.Background(), honest); err != nil {
			t.Fatal(err)
		}
		// Until the witnessed checkpoint holds the honest station's entry.
		for i := 0; !strings.Contains(string(get(t, url+"/log/checkpoint")), "\n2\n"); i++ {
			if i > 300 {
				t.Fatal("the log's checkpoint does not reach 2 entries")
			}
			time.Sleep(20 * time.Millisecond)
		}
		st := fx.Def.Station("100.2")
		a, _ := acta.Parse([]byte(strings.Split(string(honest), "\n\n")[0] + "\n"))
		a.Station, a.Machine = st.ID, st.Machine
		ours, err := acta.Sign(a, fx.Machines[st.ID])
		if err != nil {
			t.Fatal(err)
		}
		got := compareWith(t, fx, url, ours, nil)
		if got.Status != tc.status || !strings.Contains(got.Verdict["en"], tc.en) || !strings.Contains(got.Verdict["es"], tc.es) {
			t.Errorf("deadline %s: %+v", tc.deadline, got)
		}
		if got.Checkpoint == "" || got.LogSize < 2 || got.WitnessedAt.IsZero() || !got.Deadline.Equal(fx.Def.Deadline) {
			t.Errorf("deadline %s: the evidence is not kept: %+v", tc.deadline, got)
		}
		if tc.status == "withheld" && (!strings.Contains(got.Verdict["en"], "by the log witnesses of pa") || !strings.Contains(got.Verdict["en"], "hours after the deadline (2024-07-29 10:00 UTC)")) {
			t.Errorf("the alarm does not say who cosigned or when: %s", got.Verdict["en"])
		}

		// The relay's forgeries: a checkpoint of another size (its
		// signatures no longer verify), and the honest station's entry
		// hidden (what a plain log cannot disprove: an alarm, never "same").
		cp := get(t, url+"/log/checkpoint")
		forgedCP := []byte(strings.Replace(string(cp), fmt.Sprintf("\n%d\n", got.LogSize), fmt.Sprintf("\n%d\n", got.LogSize+5), 1))
		sa, _ := acta.Open(ours, fx.Def)
		// Before the deadline it is not yet published; past it, a
		// checkpoint that does not count, or none, is "could not check",
		// never "not yet published".
		wantForged := map[string]string{"missing": "missing", "withheld": "unchecked"}[tc.status]
		if f := missing(fx.Def, sa, forgedCP, time.Now()); f.Status != wantForged || !strings.Contains(f.Verdict["en"], "does not count") {
			t.Errorf("deadline %s: a forged checkpoint: %+v", tc.deadline, f)
		}
		if f := missing(fx.Def, sa, nil, time.Now()); f.Status != wantForged {
			t.Errorf("deadline %s: no checkpoint relayed: %+v", tc.deadline, f)
		}
		// A checkpoint whose only cosignatures are older than the
		// deadline, served after it (a log frozen, or its newest
		// checkpoint withheld): could not check, with the checkpoint kept.
		if tc.status == "withheld" {
			frozen := *fx.Def
			frozen.Deadline = got.WitnessedAt.Add(time.Hour)
			if f := missing(&frozen, sa, cp, frozen.Deadline.Add(48*time.Hour)); f.Status != "unchecked" || f.Checkpoint == "" || !strings.Contains(f.Verdict["en"], "before the deadline") {
				t.Errorf("a checkpoint cosigned before the deadline, served two days after it: %+v", f)
			}
			// A cosignature dated after the phone's clock is not
			// believed: one witness cannot date the log past the deadline.
			if f := missing(fx.Def, sa, cp, got.WitnessedAt.Add(-2*time.Hour)); f.Status == "withheld" || !strings.Contains(f.Verdict["en"], "later than this phone's clock") {
				t.Errorf("a cosignature from the phone's future: %+v", f)
			}
		}
		hidden := compareWith(t, fx, url, honest, func(station []byte) []byte {
			return []byte(`{"station":"100.1","actas":[]}`)
		})
		if hidden.Status != tc.status {
			t.Errorf("deadline %s: a relay hiding the logged acta: %+v", tc.deadline, hidden)
		}
		// But a phone that compared before holds the proof of the entry
		// hidden now, and raises the alarm with it.
		before := compareWith(t, fx, url, honest, nil)
		v := Since(before, hidden)
		if v.Status != "vanished" || v.Index != before.Index || !strings.Contains(v.Verdict["en"], "ALARM: the center's answer no longer shows log entry 1") || !strings.Contains(v.Verdict["es"], "ALARMA: la respuesta del centro ya no muestra la entrada 1") {
			t.Errorf("deadline %s: an entry proven, then hidden: %+v", tc.deadline, v)
		}
		if again := Since(v, hidden); again.Status != "vanished" {
			t.Errorf("deadline %s: the alarm is forgotten at the next comparison: %+v", tc.deadline, again)
		}
		// The alarm stays, with its evidence, when the entry is shown
		// again: it was hidden once, and that is what the proof shows.
		if back := Since(v, before); back.Status != "vanished" {
			t.Errorf("deadline %s: the entry shown again: %+v", tc.deadline, back)
		}
		// Laundering: a relay that makes the proof fail once, then hides
		// the entry, still meets the proof kept.
		unproven := Comparison{Status: "unproven", Verdict: map[string]string{"en": "ALARM: not proven"}}
		if l := Since(Since(before, unproven), hidden); l.Status != "vanished" {
			t.Errorf("deadline %s: same, then unproven, then hidden: %+v", tc.deadline, l)
		}
		if tc.status == "withheld" {
			// An alarm of a station withheld is not dropped by a later
			// answer with less in it, and is kept beside a late logging.
			w := got
			for _, later := range []Comparison{{Status: "missing"}, {Status: "unchecked"}, unproven} {
				if k := Since(w, later); k.Status != "withheld" || k.Checkpoint != w.Checkpoint {
					t.Errorf("withheld, then %s: %+v", later.Status, k)
				}
			}
			if k := Since(w, before); k.Status != "same" || k.Checkpoint != w.Checkpoint || !strings.Contains(k.Verdict["en"], "logged late") {
				t.Errorf("withheld, then logged: %+v", k)
			}
		}
	}
}
