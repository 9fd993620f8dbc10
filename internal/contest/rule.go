package contest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Method is the kind of contest a [Rule] decides.
type Method int

const (
	Plurality   Method = iota + 1 // the Seats candidates with the most votes
	Majority                      // more than half of the base, else a runoff of the top two
	Threshold                     // more than Win% of the base, or at least Or% with a lead over Lead points, else a runoff
	DHondt                        // party lists, divisors 1, 2, 3, …
	SainteLague                   // party lists, divisors First, 3, 5, …
	Hare                          // party lists, largest remainder with the Hare quota
	Referendum                    // yes against no, with optional quorums of registered voters
)

var methodNames = map[Method]string{
	Plurality:   "plurality",
	Majority:    "majority",
	Threshold:   "threshold",
	DHondt:      "dhondt",
	SainteLague: "sainte-lague",
	Hare:        "hare",
	Referendum:  "referendum",
}

func (m Method) String() string {
	if s, ok := methodNames[m]; ok {
		return s
	}
	return "method(" + strconv.Itoa(int(m)) + ")"
}

// Base says which figures form the denominator of a share.
type Base int

const (
	// Valid counts the votes for candidates or lists only.
	Valid Base = iota
	// ValidBlank counts the votes for candidates or lists and the blank ballots.
	ValidBlank
)

func (b Base) String() string {
	if b == ValidBlank {
		return "valid+blank"
	}
	return "valid"
}

// Rule is a contest rule with its parameters. Shares are in basis
// points (1/100 of a percent, so 4500 is 45%) and the Sainte-Laguë
// first divisor in hundredths (140 is 1.4), so that every comparison
// that decides an outcome is one of integers.
type Rule struct {
	Method Method
	// Seats is the number of seats (plurality and list methods).
	Seats int
	// Base is the denominator of shares (majority, threshold, list thresholds).
	Base Base
	// Win, Or and Lead are the threshold rule's parameters in basis
	// points: elected with more than Win, or with at least Or and a
	// lead of more than Lead over the second. Or and Lead are zero
	// when the rule has no second condition.
	Win, Or, Lead int
	// First is the Sainte-Laguë first divisor in hundredths; 100 is the
	// unmodified method.
	First int
	// Cutoff is a list method's legal threshold in basis points: a list
	// with less than it of the base takes no seat. Zero for none.
	Cutoff int
	// Turnout and Approval are a referendum's quorums in basis points
	// of the registered voters: ballots cast at least Turnout, yes votes
	// at least Approval. Zero for none.
	Turnout, Approval int
}

// ErrRule is wrapped by every error Parse returns.
var ErrRule = errors.New("contest rule")

const maxSeats = 100000

// Parse reads a rule from its one-line text form, such as
// "dhondt seats=7 threshold=3 base=valid+blank". The form is strict:
// the method first, then key=value pairs each at most once, numbers in
// canonical form (no sign, no leading zeros, at most two decimals and
// no trailing zero in them), keys the method does not take refused,
// parameters that would equal their default (threshold=0, first=1)
// refused. Parse(r.String()) returns r for every valid r.
func Parse(text string) (Rule, error) {
	fail := func(format string, args ...any) (Rule, error) {
		return Rule{}, fmt.Errorf("%w %q: %s", ErrRule, text, fmt.Sprintf(format, args...))
	}
	fields := strings.Split(text, " ")
	var r Rule
	for m, name := range methodNames {
		if fields[0] == name {
			r.Method = m
		}
	}
	if r.Method == 0 {
		return fail("unknown method %q", fields[0])
	}
	r.First = 100
	allowed := map[string]bool{}
	for _, k := range keysOf(r.Method) {
		allowed[k] = true
	}
	seen := map[string]bool{}
	for _, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" {
			return fail("field %q is not key=value", f)
		}
		if !allowed[k] {
			return fail("%s takes no key %q", r.Method, k)
		}
		if seen[k] {
			return fail("key %q given twice", k)
		}
		seen[k] = true
		var err error
		switch k {
		case "seats":
			r.Seats, err = parseCount(v)
		case "base":
			switch v {
			case "valid":
				r.Base = Valid
			case "valid+blank":
				r.Base = ValidBlank
			default:
				err = fmt.Errorf("base %q is neither valid nor valid+blank", v)
			}
		case "win":
			r.Win, err = parseShare(v)
		case "or":
			r.Or, err = parseShare(v)
		case "lead":
			r.Lead, err = parseShare(v)
		case "threshold":
			r.Cutoff, err = parseShare(v)
		case "turnout":
			r.Turnout, err = parseShare(v)
		case "approval":
			r.Approval, err = parseShare(v)
		case "first":
			r.First, err = parseHundredths(v)
			if err == nil && r.First == 100 {
				err = errors.New("1 is the default, omit the key")
			}
		}
		if err != nil {
			return fail("%s: %v", k, err)
		}
	}
	if r.Method != SainteLague {
		r.First = 0
	}
	if needsSeats(r.Method) && !seen["seats"] {
		return fail("%s needs seats", r.Method)
	}
	if r.Method == Threshold && !seen["win"] {
		return fail("threshold needs win")
	}
	if err := r.check(); err != nil {
		return fail("%v", err)
	}
	return r, nil
}

func keysOf(m Method) []string {
	switch m {
	case Plurality:
		return []string{"seats"}
	case Majority:
		return []string{"base"}
	case Threshold:
		return []string{"win", "or", "lead", "base"}
	case DHondt, Hare:
		return []string{"seats", "threshold", "base"}
	case SainteLague:
		return []string{"seats", "first", "threshold", "base"}
	case Referendum:
		return []string{"turnout", "approval"}
	}
	return nil
}

func needsSeats(m Method) bool {
	return m == Plurality || m == DHondt || m == SainteLague || m == Hare
}

// check reports whether the parameters are in range; it is what Parse
// enforces beyond syntax.
func (r Rule) check() error {
	if _, ok := methodNames[r.Method]; !ok {
		return fmt.Errorf("unknown method %d", r.Method)
	}
	if needsSeats(r.Method) && (r.Seats < 1 || r.Seats > maxSeats) {
		return fmt.Errorf("seats %d out of range 1..%d", r.Seats, maxSeats)
	}
	if r.Base != Valid && r.Base != ValidBlank {
		return fmt.Errorf("unknown base %d", r.Base)
	}
	for _, p := range []struct {
		name string
		v    int
	}{{"win", r.Win}, {"or", r.Or}, {"lead", r.Lead}, {"threshold", r.Cutoff}, {"turnout", r.Turnout}, {"approval", r.Approval}} {
		if p.v < 0 || p.v > 10000 {
			return fmt.Errorf("%s %d out of range 0..100%%", p.name, p.v)
		}
	}
	if r.Method == Threshold {
		if r.Win == 0 {
			return errors.New("win must be above 0")
		}
		if (r.Or == 0) != (r.Lead == 0) {
			return errors.New("or and lead go together")
		}
		if r.Or != 0 && r.Or >= r.Win {
			return errors.New("or must be below win")
		}
	} else if r.Win != 0 || r.Or != 0 || r.Lead != 0 {
		return fmt.Errorf("%s takes no win, or, lead", r.Method)
	}
	if r.Method == SainteLague {
		if r.First < 1 || r.First >= 300 {
			return fmt.Errorf("first divisor %s out of range (0, 3)", hundredths(r.First))
		}
	} else if r.First != 0 {
		return fmt.Errorf("%s takes no first divisor", r.Method)
	}
	if r.Cutoff != 0 && !isList(r.Method) {
		return fmt.Errorf("%s takes no threshold", r.Method)
	}
	if (r.Turnout != 0 || r.Approval != 0) && r.Method != Referendum {
		return fmt.Errorf("%s takes no quorum", r.Method)
	}
	return nil
}

func isList(m Method) bool { return m == DHondt || m == SainteLague || m == Hare }

// String returns the rule's canonical text form, which Parse reads back.
func (r Rule) String() string {
	var b strings.Builder
	b.WriteString(r.Method.String())
	kv := func(k, v string) { b.WriteString(" " + k + "=" + v) }
	switch r.Method {
	case Plurality:
		kv("seats", strconv.Itoa(r.Seats))
	case Majority:
		kv("base", r.Base.String())
	case Threshold:
		kv("win", hundredths(r.Win))
		if r.Or != 0 {
			kv("or", hundredths(r.Or))
			kv("lead", hundredths(r.Lead))
		}
		kv("base", r.Base.String())
	case DHondt, SainteLague, Hare:
		kv("seats", strconv.Itoa(r.Seats))
		if r.Method == SainteLague && r.First != 100 {
			kv("first", hundredths(r.First))
		}
		if r.Cutoff != 0 {
			kv("threshold", hundredths(r.Cutoff))
		}
		kv("base", r.Base.String())
	case Referendum:
		if r.Turnout != 0 {
			kv("turnout", hundredths(r.Turnout))
		}
		if r.Approval != 0 {
			kv("approval", hundredths(r.Approval))
		}
	}
	return b.String()
}

// parseCount reads a positive decimal integer in canonical form.
func parseCount(s string) (int, error) {
	if s == "" || s[0] == '0' || len(s) > 6 || strings.Trim(s, "0123456789") != "" {
		return 0, fmt.Errorf("%q is not a canonical positive integer", s)
	}
	n, _ := strconv.Atoi(s)
	if n > maxSeats {
		return 0, fmt.Errorf("%d above %d", n, maxSeats)
	}
	return n, nil
}

// parseHundredths reads a canonical decimal with at most two decimals,
// above zero, and returns it in hundredths.
func parseHundredths(s string) (int, error) {
	ip, fp, dot := strings.Cut(s, ".")
	bad := fmt.Errorf("%q is not a canonical decimal", s)
	if ip == "" || len(ip) > 3 || strings.Trim(ip, "0123456789") != "" || (len(ip) > 1 && ip[0] == '0') {
		return 0, bad
	}
	if dot && (fp == "" || len(fp) > 2 || strings.Trim(fp, "0123456789") != "" || fp[len(fp)-1] == '0') {
		return 0, bad
	}
	n, _ := strconv.Atoi(ip)
	n *= 100
	if dot {
		f, _ := strconv.Atoi(fp)
		if len(fp) == 1 {
			f *= 10
		}
		n += f
	}
	if n == 0 {
		return 0, fmt.Errorf("%q: zero is the default, omit the key", s)
	}
	return n, nil
}

// parseShare reads a percentage in (0, 100] and returns basis points.
func parseShare(s string) (int, error) {
	n, err := parseHundredths(s)
	if err != nil {
		return 0, err
	}
	if n > 10000 {
		return 0, fmt.Errorf("%s%% above 100%%", s)
	}
	return n, nil
}

// hundredths formats n/100 canonically: "45", "1.4", "0.25".
func hundredths(n int) string {
	s := strconv.Itoa(n / 100)
	switch f := n % 100; {
	case f == 0:
	case f%10 == 0:
		s += "." + strconv.Itoa(f/10)
	default:
		s += fmt.Sprintf(".%02d", f)
	}
	return s
}
