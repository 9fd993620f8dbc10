package audit

import (
	"fmt"
	"math"

	"github.com/triplicate-vote/triplicate/internal/auditmath"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// HotSample draws the stations of the hot audit: the given share of the
// election's stations (Venezuela counts 54%), from the seed announced at
// close, without replacement, with the consistent sampler. Anyone with the
// definition and the seed draws the same stations.
func HotSample(def *election.Definition, seed string, share float64) ([]auditmath.Ticket, error) {
	if share <= 0 || share > 1 {
		return nil, fmt.Errorf("share %v: want more than 0 and at most 1", share)
	}
	ids := make([]string, len(def.Stations))
	for i, st := range def.Stations {
		ids[i] = st.ID
	}
	n := int(math.Ceil(share * float64(len(ids))))
	return auditmath.Sample(seed, ids, n, false), nil
}
