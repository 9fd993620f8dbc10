package verify

import (
	"fmt"

	"github.com/triplicate-vote/triplicate/internal/strictjson"
)

// ReadReport reads a report that Report wrote as JSON (the evidence bundle of
// `triplicate verify -json`), to show it again: strictly — no unknown field,
// nothing after it, and figures that add up. It does not recheck the
// evidence; TestEvidenceRechecks shows how.
func ReadReport(data []byte) (*Report, error) {
	var r Report
	if err := strictjson.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("not a verifier report: %v", err)
	}
	switch {
	case r.Election == "":
		return nil, fmt.Errorf("not a verifier report: no election")
	case r.Stations < 0 || r.Agreeing < 0 || r.Differing < 0 || r.Uncounted < 0:
		return nil, fmt.Errorf("verifier report: negative station counts")
	case r.Agreeing+r.Differing+r.Uncounted != r.Stations:
		return nil, fmt.Errorf("verifier report: %d agreeing, %d differing and %d uncounted stations are not the %d stations",
			r.Agreeing, r.Differing, r.Uncounted, r.Stations)
	}
	byCheck := map[Check]int{}
	for i, f := range r.Findings {
		if f.Check == "" {
			return nil, fmt.Errorf("verifier report: finding %d has no check", i+1)
		}
		byCheck[f.Check]++
	}
	for c, n := range r.ByCheck {
		if byCheck[c] != n {
			return nil, fmt.Errorf("verifier report: by_check says %d %s findings, the report lists %d", n, c, byCheck[c])
		}
		delete(byCheck, c)
	}
	for c, n := range byCheck {
		return nil, fmt.Errorf("verifier report: by_check says nothing of the %d %s findings listed", n, c)
	}
	return &r, nil
}
