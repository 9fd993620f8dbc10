package verify_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// TestRealPairsVerified runs the verifier on each real election counted
// twice, from its manifest, and holds what it finds to the plain count of
// realDiffs over the same files: exactly the stations that differ are
// findings, no other; the stations only one source gives are the pair's;
// and nothing else is a problem.
func TestRealPairsVerified(t *testing.T) {
	for _, dir := range []string{"testdata/bolivia2019", "testdata/wi2016", "testdata/btw2025"} {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			if testing.Short() && filepath.Base(dir) == "bolivia2019" {
				t.Skip("tens of thousands of stations")
			}
			differ, onlyA, onlyB := realDiffs(t, dir)
			m, err := verify.ReadManifest(filepath.Join(dir, "sources.toml"))
			if err != nil {
				t.Fatal(err)
			}
			def, err := election.ReadFile(m.Election)
			if err != nil {
				t.Fatal(err)
			}
			s, err := m.Resolve(def)
			if err != nil {
				t.Fatal(err)
			}
			r := verify.Gather(context.Background(), def, s)
			var found []string
			for _, f := range r.Findings {
				switch f.Check {
				case verify.CheckUnsigned:
					found = append(found, f.Station)
				case verify.CheckMissing, verify.CheckImpossible:
					// stations no source gives; figures that cannot hold
				default:
					t.Errorf("a %s finding: %s", f.Check, f.Summary)
				}
			}
			slices.Sort(found)
			if !slices.Equal(found, differ) {
				t.Errorf("the verifier finds %d stations that differ, the plain count %d", len(found), len(differ))
				for _, id := range differ {
					if _, ok := slices.BinarySearch(found, id); !ok {
						t.Errorf("  %s differs, not found", id)
						break
					}
				}
				for _, id := range found {
					if _, ok := slices.BinarySearch(differ, id); !ok {
						t.Errorf("  %s found, but does not differ", id)
						break
					}
				}
			}
			if len(r.Pairs) != 1 {
				t.Fatalf("pairs %+v, want one", r.Pairs)
			}
			p := r.Pairs[0]
			if p.Differing != len(differ) || p.OnlyA != len(onlyA) || p.OnlyB != len(onlyB) {
				t.Errorf("pair %s × %s: %d differ, %d only in A, %d only in B; the plain count %d, %d, %d", p.A, p.B, p.Differing, p.OnlyA, p.OnlyB, len(differ), len(onlyA), len(onlyB))
			}
			if len(r.Problems) > 0 {
				t.Errorf("problems: %v", r.Problems)
			}
			for _, o := range r.Outcomes {
				t.Logf("%s: %s; from %v", o.Contest, o.CorrectedWinner, o.From)
			}
		})
	}
}
