package contest

import (
	"errors"
	"testing"
)

func TestParseCanonical(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Rule
	}{
		{"plurality seats=3", Rule{Method: Plurality, Seats: 3}},
		{"majority base=valid", Rule{Method: Majority}},
		{"threshold win=45 or=40 lead=10 base=valid", Rule{Method: Threshold, Win: 4500, Or: 4000, Lead: 1000}},
		{"threshold win=40 base=valid+blank", Rule{Method: Threshold, Win: 4000, Base: ValidBlank}},
		{"dhondt seats=7 threshold=3 base=valid+blank", Rule{Method: DHondt, Seats: 7, Cutoff: 300, Base: ValidBlank}},
		{"sainte-lague seats=349 first=1.2 threshold=4 base=valid", Rule{Method: SainteLague, Seats: 349, First: 120, Cutoff: 400}},
		{"sainte-lague seats=19 first=1.4 base=valid", Rule{Method: SainteLague, Seats: 19, First: 140}},
		{"hare seats=10 threshold=5 base=valid", Rule{Method: Hare, Seats: 10, Cutoff: 500}},
		{"hare seats=6 base=valid", Rule{Method: Hare, Seats: 6}},
		{"referendum turnout=50 approval=25", Rule{Method: Referendum, Turnout: 5000, Approval: 2500}},
		{"referendum", Rule{Method: Referendum}},
		{"dhondt seats=2 threshold=0.25 base=valid", Rule{Method: DHondt, Seats: 2, Cutoff: 25}},
	} {
		got, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if tc.want.Method == SainteLague && tc.want.First == 0 {
			tc.want.First = 100
		}
		if !equalRule(got, tc.want) {
			t.Errorf("Parse(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
		if s := got.String(); s != tc.in {
			t.Errorf("Parse(%q).String() = %q", tc.in, s)
		}
	}
}

func equalRule(a, b Rule) bool { return a == b }

func TestParseDefaults(t *testing.T) {
	// base may be left out; String then writes it.
	r, err := Parse("hare seats=10 threshold=5")
	if err != nil || r.String() != "hare seats=10 threshold=5 base=valid" {
		t.Fatalf("got %v, %v", r, err)
	}
	r, err = Parse("sainte-lague seats=3")
	if err != nil || r.First != 100 || r.String() != "sainte-lague seats=3 base=valid" {
		t.Fatalf("got %+v, %v", r, err)
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{
		"",
		"plurality",                    // no seats
		"plurality seats=0",            // out of range
		"plurality seats=-1",           // sign
		"plurality seats=03",           // leading zero
		"plurality seats=+3",           // sign
		"plurality seats=3 seats=3",    // twice
		"plurality seats=3 base=valid", // key not taken
		"plurality  seats=3",           // double space
		"plurality seats=3 ",           // trailing space
		"Plurality seats=3",            // case
		"majority base=blank",
		"majority base=valid turnout=50",
		"threshold base=valid",             // no win
		"threshold win=45 or=40",           // or without lead
		"threshold win=45 lead=10",         // lead without or
		"threshold win=40 or=45 lead=10",   // or above win
		"threshold win=100.01",             // above 100
		"threshold win=45.0",               // trailing zero
		"threshold win=45.",                // empty decimals
		"threshold win=.5",                 // no integer part
		"threshold win=045",                // leading zero
		"threshold win=45.125",             // three decimals
		"threshold win=0",                  // zero
		"dhondt seats=7 threshold=0",       // default given
		"dhondt seats=7 threshold=101",     // out of range
		"dhondt seats=7 first=1.4",         // not sainte-lague
		"sainte-lague seats=7 first=1",     // default given
		"sainte-lague seats=7 first=3",     // out of range
		"sainte-lague seats=7 first=1.40",  // trailing zero
		"hare seats=1000001",               // too many
		"referendum turnout=50 turnout=50", // twice
		"referendum quorum=50",             // unknown key
		"referendum turnout=50%",           // percent sign
		"referendum turnout",               // no value
		"referendum =50",                   // no key
		"stv seats=3",                      // unknown method
	} {
		if r, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %v, want error", in, r)
		} else if !errors.Is(err, ErrRule) {
			t.Errorf("Parse(%q): %v does not wrap ErrRule", in, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range bruteRules {
		f.Add(s)
	}
	f.Add("threshold win=45 or=40 lead=10 base=valid")
	f.Add("sainte-lague seats=349 first=1.2 threshold=4")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse(s)
		if err != nil {
			return
		}
		text := r.String()
		r2, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but its String %q fails: %v", s, text, err)
		}
		if r2 != r || r2.String() != text {
			t.Fatalf("Parse(%q) = %+v, but Parse(%q) = %+v", s, r, text, r2)
		}
	})
}
