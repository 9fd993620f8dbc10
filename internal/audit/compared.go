package audit

import (
	"errors"
	"fmt"
	"os"
	"sort"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// Compare sets the stations whose vouchers a ONEAudit compares with their
// acta: those with a final acta in roots (files or directories) that opens
// under the election's keys and whose figures are the announced ones. Every
// other announced station is polled. It must be called before the first
// round: the strata are fixed before the seed draws anything. It returns
// what it could not read or refused, naming the file, beside the stations
// taken.
func (au *Audit) Compare(roots []string) ([]string, []error) {
	if au.State.Method != ONEAudit {
		return nil, []error{fmt.Errorf("the audit in %s is %s: only a oneaudit compares vouchers with actas", au.Dir, au.State.Method)}
	}
	if len(au.State.Rounds) > 0 {
		return nil, []error{errors.New("the stations compared are fixed before the first round: a round is already drawn")}
	}
	var errs []error
	found := map[string]string{} // station: file
	for _, root := range roots {
		err := walkFiles(root, func(path string) {
			msg, err := os.ReadFile(path)
			if err != nil {
				errs = append(errs, err)
				return
			}
			sa, err := acta.Open(msg, au.Def)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %v: its station is polled", path, err))
				return
			}
			if sa.Kind != acta.Final {
				return
			}
			id := au.Def.Station(sa.Station).ID
			ann, ok := au.Reported.Stations[id]
			switch {
			case !ok:
				errs = append(errs, fmt.Errorf("%s: station %s is not in the announcement", path, id))
			case ann.Differs(tally.FromActa(sa.Acta)):
				errs = append(errs, fmt.Errorf("%s: station %s's acta differs from the announced figures (disputed): its station is polled", path, id))
			case found[id] != "":
				// Two valid final actas of one station: keep the first.
			default:
				found[id] = path
			}
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	ids := make([]string, 0, len(found))
	for id := range found {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	au.State.Compared = ids
	return ids, errs
}
