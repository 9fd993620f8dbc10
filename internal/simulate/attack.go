package simulate

// Attack is one attack of the trust model that a simulated election can
// suffer, and what the verifier must find of it.
type Attack struct {
	Name     string
	Does     string   // what the attacker does
	Checks   []string // the verifier's checks that catch it (verify.Check values)
	Evidence string   // what the verifier shows as proof
	Stations int      // how many stations it touches
	// Refused: the verifier refuses the bad rows rather than weigh them:
	// a problem of the report that names the station, no finding.
	Refused bool
}

// Attacks lists every attack "triplicate simulate -attack" runs; the README's
// table is this list, and a test runs every row.
var Attacks = []Attack{
	{Name: "honest", Does: "nothing: every count is what the voters cast", Checks: nil,
		Evidence: "none: the verifier certifies the election clean"},
	{Name: "announce", Does: "the center announces other figures than the actas for 11 stations (and totals that add them up)", Stations: 11,
		Checks:   []string{"altered-at-center", "totals-altered"},
		Evidence: "the witnesses' copies signed by each machine, the same acta in the log with its inclusion proof, the announcement"},
	{Name: "totals", Does: "the center announces every station right but totals that are not their sum, and another winner",
		Checks: []string{"outcome-differs", "totals-altered"}, Evidence: "the log's actas summed, under the center's signed checkpoint; the announced totals, whose winner the actas do not elect"},
	{Name: "equivocation", Does: "a machine's key signs a second count of its station, which also reaches the center", Stations: 1,
		Checks: []string{"equivocation"}, Evidence: "both actas, each signed by the machine's key, each in the log with its inclusion proof"},
	{Name: "substitution", Does: "the center logs an acta signed with a stolen machine key instead of the one the witnesses cosigned", Stations: 1,
		Checks:   []string{"equivocation"},
		Evidence: "the logged acta without the witnesses' cosignatures, with its inclusion proof, and the witnesses' cosigned copy: both signed by the machine's key, which proves the key's misuse but not who misused it (a stolen key sent first looks the same), so the center is not charged and the station is undecided until its vouchers are hand-counted"},
	{Name: "miscount", Does: "a machine records other votes than the vouchers its voters checked", Stations: 1,
		Checks: []string{"hand-count"}, Evidence: "the auditors' signed hand count of the vouchers and the machine's acta"},
	{Name: "split-view", Does: "the center rewrites its log's history after publishing it", Stations: 0,
		Checks: []string{"split-view"}, Evidence: "two checkpoints, both signed by the center, of different histories"},
	{Name: "impossible", Does: "the center announces more votes than registered voters for a station", Stations: 1,
		Checks: []string{"impossible", "altered-at-center", "totals-altered"}, Evidence: "the announcement and the station's registered voters in the definition; the machine's acta"},
	{Name: "missing", Does: "a station's acta never reaches the log (its transmission is dropped)", Stations: 1,
		Checks: []string{"missing"}, Evidence: "the witnesses' copy of the acta, signed by the machine; the log without it"},
	{Name: "duplicate", Does: "an observers' CSV gives a station twice, with two counts", Stations: 1, Refused: true,
		Evidence: "both lines of the CSV, refused: neither is taken (a problem of the report, which is not clean)"},
	{Name: "unsigned", Does: "an observers' CSV gives other figures than the signed acta", Stations: 1,
		Checks: []string{"unsigned-differs"}, Evidence: "the CSV line (unsigned) against the machine's signed acta"},
}

// AttackNamed returns the attack with the given name.
func AttackNamed(name string) (Attack, bool) {
	for _, a := range Attacks {
		if a.Name == name {
			return a, true
		}
	}
	return Attack{}, false
}
