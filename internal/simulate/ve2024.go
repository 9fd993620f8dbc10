package simulate

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

// Election is an election definition with every private key it enrols, and
// the votes each station's voters cast.
type Election struct {
	Def      *election.Definition
	Machines map[string]string    // machine signer keys, by station id
	Witness  map[string]*keys.Key // one witness key per party, by party id
	Auditor  *keys.Key
	Center   *keys.Key            // the tallying center's, which signs its log
	Log      map[string]*keys.Key // the witnesses of the center's log, by party
	Tables   []Table              // in definition order
}

// Table is the votes cast at one station, as its real tally sheet has them.
type Table struct {
	Station string
	Votes   map[string]int // by candidate id, for the one contest
	Null    int
}

// Ballots returns the ballots cast at the table.
func (t Table) Ballots() int {
	n := t.Null
	for _, v := range t.Votes {
		n += v
	}
	return n
}

// VE2024 builds an election of the first n tables (all if n is 0) of the
// embedded Distrito Capital data, with the real registered voters and counts,
// the parties of the template, and new keys from rnd (crypto/rand if nil).
func VE2024(n int, rnd io.Reader) (*Election, error) {
	rows, err := election.ReadStations(bytes.NewReader(VE2024Capital), "ve2024-dtto-capital.csv", election.VE2024)
	if err != nil {
		return nil, err
	}
	tables, err := readCounts(VE2024Capital)
	if err != nil {
		return nil, err
	}
	if n > 0 && n < len(rows) {
		rows, tables = rows[:n], tables[:n]
	}
	e := &Election{Machines: map[string]string{}, Witness: map[string]*keys.Key{}, Tables: tables}
	newKey := func(name string) (*keys.Key, error) {
		skey, _, err := keys.Generate(rnd, name)
		if err != nil {
			return nil, err
		}
		return keys.Parse(skey)
	}
	var template bytes.Buffer
	template.Write(VE2024Template)
	for _, party := range []string{"pud", "gpp", "ad"} {
		k, err := newKey("ve2024/witness/" + party)
		if err != nil {
			return nil, err
		}
		e.Witness[party] = k
		fmt.Fprintf(&template, "witness %s %s\n", party, k.Public)
	}
	if e.Auditor, err = newKey("ve2024/auditor/1"); err != nil {
		return nil, err
	}
	fmt.Fprintf(&template, "auditor %s\n", e.Auditor.Public)
	if e.Center, err = newKey("ve2024/center"); err != nil {
		return nil, err
	}
	fmt.Fprintf(&template, "center %s\n", e.Center.Public)
	e.Log = map[string]*keys.Key{}
	for _, party := range []string{"pud", "gpp"} {
		if e.Log[party], err = newKey("ve2024/logwitness/" + party); err != nil {
			return nil, err
		}
		fmt.Fprintf(&template, "logwitness %s %s\n", party, e.Log[party].Public)
	}
	e.Def, err = election.Build(template.Bytes(), "data/ve2024-template.txt", election.VE2024, rows, func(station string) (string, error) {
		skey, vkey, err := keys.Generate(rnd, "ve2024/machine/"+station)
		e.Machines[station] = skey
		return vkey, err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// readCounts reads the per-candidate counts of the embedded data. The file is
// the project's own, so a malformed row is an error in the repository.
func readCounts(data []byte) ([]Table, error) {
	r := csv.NewReader(bytes.NewReader(data))
	header, err := r.Read()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	candidates := []string{"EG", "NM", "LM", "JABE", "JOBR", "AE", "CF", "DC", "EM", "BERA"}
	var out []Table
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		t := Table{Station: rec[col["CENTRO"]] + "." + rec[col["MESA"]], Votes: map[string]int{}}
		for _, c := range append(candidates, "VOTOS_NULOS") {
			v, err := election.ParseCount(strings.TrimSpace(rec[col[c]]))
			if err != nil {
				return nil, fmt.Errorf("embedded data line %d: column %s: %v", line, c, err)
			}
			if c == "VOTOS_NULOS" {
				t.Null = v
			} else {
				t.Votes[c] = v
			}
		}
		out = append(out, t)
	}
}
