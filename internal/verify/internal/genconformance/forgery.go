package main

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

// forgeryElection is the election of internal/verify's forgery tests: two
// stations, parties pa, pb and pc, of which pc enrolled three witness keys;
// its keys and times are fixed, so its vectors are the same bytes on every
// run.
type forgeryElection struct {
	def    *election.Definition
	text   []byte
	fx     *electiontest.Fixture
	pcKeys []*keys.Key
}

func newForgeryElection() (*forgeryElection, error) {
	fx := electiontest.New(electiontest.Options{Seed: "forgery", Stations: 2})
	f := &forgeryElection{fx: fx, pcKeys: []*keys.Key{fx.Witness["pc"]}}
	line := "witness pc " + fx.Witness["pc"].Public + "\n"
	extra := line
	for i := 2; i <= 3; i++ {
		k := electiontest.Key("forgery", fmt.Sprintf("test/witness/pc-%d", i))
		f.pcKeys = append(f.pcKeys, k)
		extra += "witness pc " + k.Public + "\n"
	}
	if !strings.Contains(string(fx.Text), line) {
		return nil, fmt.Errorf("the fixture has no line %q", line)
	}
	f.text = []byte(strings.Replace(string(fx.Text), line, extra, 1))
	def, err := election.Parse(f.text)
	if err != nil {
		return nil, err
	}
	f.def = def
	return f, nil
}

var (
	opened = time.Date(2026, 10, 4, 7, 0, 0, 0, time.UTC)
	closed = time.Date(2026, 10, 4, 17, 0, 0, 0, time.UTC)
)

func tally(alba, bruno int) []acta.Tally {
	return []acta.Tally{{Contest: "president", Candidates: []acta.Count{{Candidate: "ALBA", Votes: alba}, {Candidate: "BRUNO", Votes: bruno}, {Candidate: "CORA", Votes: 0}}, Blank: 4, Null: 6}}
}

// final is a final acta of the station signed by its machine, opened at
// the given time.
func (f *forgeryElection) final(station string, at time.Time, alba, bruno int) ([]byte, error) {
	st := f.def.Station(station)
	a := &acta.Acta{Election: f.def.ID, Station: st.ID, Kind: acta.Final, Machine: st.Machine, Opened: at, Closed: closed,
		Registered: st.Registered, Ballots: alba + bruno + 10, Records: sha256.Sum256([]byte(st.ID + "/records")), Contests: tally(alba, bruno)}
	return acta.Sign(a, f.fx.Machines[st.ID])
}

// zero is a zero tape of station 100.1 opened at the given time, signed by
// its machine and cosigned by pa.
func (f *forgeryElection) zero(at time.Time) ([]byte, error) {
	st := f.def.Station("100.1")
	a := &acta.Acta{Election: f.def.ID, Station: st.ID, Kind: acta.Zero, Machine: st.Machine, Opened: at,
		Registered: st.Registered, Records: acta.Digest(nil),
		Contests: []acta.Tally{{Contest: "president", Candidates: []acta.Count{{Candidate: "ALBA"}, {Candidate: "BRUNO"}, {Candidate: "CORA"}}}}}
	msg, err := acta.Sign(a, f.fx.Machines[st.ID])
	if err != nil {
		return nil, err
	}
	return acta.Cosign(msg, f.def, f.fx.Witness["pa"])
}

// hand is an auditor's hand count of station 100.1.
func (f *forgeryElection) hand(alba, bruno int) ([]byte, error) {
	st := f.def.Station("100.1")
	a := &acta.Acta{Election: f.def.ID, Station: st.ID, Kind: acta.Hand, Machine: st.Machine, Auditor: f.fx.Auditor.Public,
		Counted: time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC), Registered: st.Registered, Ballots: alba + bruno + 10, Contests: tally(alba, bruno)}
	return acta.Sign(a, f.fx.Auditor)
}

// announce is the center's announcement of station 100.1 with the given
// figures, and of 100.2 as its acta has it.
func announce(alba, bruno int) []byte {
	st := func(id string, index, a, b int) string {
		return fmt.Sprintf(`{"station":%q,"index":%d,"registered":500,"ballots":%d,"contests":[{"id":"president","candidates":[{"id":"ALBA","votes":%d},{"id":"BRUNO","votes":%d},{"id":"CORA","votes":0}],"blank":4,"null":6}]}`, id, index, a+b+10, a, b)
	}
	return []byte(`{"election":"test","log_size":2,"checkpoint":"","stations":[` + st("100.1", 0, alba, bruno) + "," + st("100.2", 1, 50, 45) + "]}\n")
}

// forgeries makes the vectors of internal/verify's forgery tests, in the
// election of two stations whose party pc enrolled three keys: copies and
// an announcement, no log.
func forgeries() ([]vector, error) {
	f, err := newForgeryElection()
	if err != nil {
		return nil, err
	}
	var errs []error
	must := func(msg []byte, err error) []byte {
		errs = append(errs, err)
		return msg
	}
	cosign := func(msg []byte, ks ...*keys.Key) []byte {
		for _, k := range ks {
			msg = must(acta.Cosign(msg, f.def, k))
		}
		return msg
	}
	real := must(f.final("100.1", opened, 60, 30))
	forged := must(f.final("100.1", opened, 10, 80))
	other := cosign(must(f.final("100.2", opened, 50, 45)), f.fx.Witness["pa"])
	reopened := must(f.final("100.1", opened.Add(30*time.Minute), 60, 30))
	pa, pb := f.fx.Witness["pa"], f.fx.Witness["pb"]
	equivocation := want{findings: []string{finding("equivocation", "100.1", true)}}
	vs := []vector{
		{name: "forgery-one-party", want: equivocation,
			about: "A dishonest party holds station 100.1's stolen machine key: it forges a final acta (ALBA 10, BRUNO 80 for 60, 30) and cosigns it with its three enrolled keys; parties pa and pb each hold the real one. Two versions signed by the machine's key prove its misuse, not by whom: one equivocation, proven, no one charged with alteration or substitution; three keys of one party are one voice.",
			files: map[string][]byte{"copies/pa.acta": cosign(real, pa), "copies/pb.acta": cosign(real, pb), "copies/pc.acta": cosign(forged, f.pcKeys...),
				"copies/other.acta": other, "announced.json": announce(60, 30)}},
		{name: "forgery-first", want: equivocation,
			about: "The stolen key's version of station 100.1 reached the center first, signed by the machine's key alone, and the center announces it; pa and pb cosigned the real one. The same evidence as a center that substituted it: one equivocation, proven, and announcing either version is not an alteration.",
			files: map[string][]byte{"copies/pa-pb.acta": cosign(real, pa, pb), "copies/center.acta": forged, "copies/other.acta": other, "announced.json": announce(10, 80)}},
		{name: "forgery-lone-party", want: equivocation,
			about: "The forgery of station 100.1 cosigned by one key of pc, the only party holding a copy; the real acta reached the verifier signed by the machine alone (the center's copy). One party's cosignature does not make its version the station's count: one equivocation, proven.",
			files: map[string][]byte{"copies/pc.acta": cosign(forged, f.pcKeys[0]), "copies/center.acta": real, "copies/other.acta": other, "announced.json": announce(60, 30)}},
		{name: "announced-neither-version", want: want{findings: []string{finding("equivocation", "100.1", true), finding("altered-at-center", "100.1", true)}},
			about: "Two versions of station 100.1 signed by its machine's key (pa holds the real one, pc the forgery), and the center announces figures that neither has (ALBA 70, BRUNO 20): an equivocation, and an alteration, since no version the machine signed says that.",
			files: map[string][]byte{"copies/pa.acta": cosign(real, pa), "copies/pc.acta": cosign(forged, f.fx.Witness["pc"]), "copies/other.acta": other, "announced.json": announce(70, 20)}},
		{name: "reopened", want: equivocation,
			about: "Station 100.1's machine signed two zero tapes, opened at 07:00 and at 07:30, both cosigned by pa, and a final acta of the 07:00 opening: two different zero tapes are an equivocation.",
			files: map[string][]byte{"copies/zero-0700.acta": must(f.zero(opened)), "copies/zero-0730.acta": must(f.zero(opened.Add(30 * time.Minute))),
				"copies/final.acta": real, "copies/other.acta": other}},
		{name: "reopened-final", want: want{findings: []string{finding("reopened", "100.1", true)}},
			about: "Station 100.1's machine signed a zero tape opened at 07:00, which pa cosigned, and a final acta whose opening is 07:30: the machine was opened again after the opening its witnesses saw.",
			files: map[string][]byte{"copies/zero.acta": must(f.zero(opened)), "copies/final.acta": reopened, "copies/other.acta": other}},
		{name: "reopened-twice", want: equivocation,
			about: "Station 100.1's machine signed two zero tapes, opened at 07:00 and at 07:30, and a final acta of the 07:30 opening: the final's opening is a zero tape's, so it is not reopened, and the two zero tapes are an equivocation.",
			files: map[string][]byte{"copies/zero-0700.acta": must(f.zero(opened)), "copies/zero-0730.acta": must(f.zero(opened.Add(30 * time.Minute))),
				"copies/final.acta": reopened, "copies/other.acta": other}},
		{name: "hand-counts-disagree", want: want{findings: []string{finding("hand-count", "100.1", true)}},
			about: "Two hand counts of station 100.1, both signed by the auditor, disagree (ALBA 60, BRUNO 30 and ALBA 20, BRUNO 70): one hand-count finding; neither settles the station, which falls back to its machine's acta.",
			files: map[string][]byte{"copies/final.acta": real, "copies/other.acta": must(f.final("100.2", opened, 50, 45)),
				"copies/hand-1.acta": must(f.hand(60, 30)), "copies/hand-2.acta": must(f.hand(20, 70))}},
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for i := range vs {
		vs[i].files["definition.txt"] = f.text
	}
	return vs, nil
}
