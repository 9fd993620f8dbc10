package dashboard

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/keys"
)

// checkpointData is the log's latest published checkpoint, with who signed
// it: the center, and the parties' log witnesses.
type checkpointData struct {
	Origin     string
	Size       uint64
	Root       string // hex
	RootBase64 string // as the checkpoint writes it
	Raw        string
	Signatures []checkpointSig
	Missing    []string // parties whose log witness did not cosign
	Cosigned   int      // parties whose log witness cosigned
	Witnesses  int      // parties with log witnesses
	Quorum     int      // parties the election requires, unless QuorumGroup
	// QuorumGroup is the group of parties (and groups) the election
	// requires, if its quorum is one: Threshold of Members.
	QuorumGroup     string
	QuorumThreshold int
	QuorumMembers   []string
	Met             bool   // the checkpoint meets the election's policy
	NotMet          string // why not
}

type checkpointSig struct {
	Center   bool
	Party    string // the log witness's party, by name
	Name     string
	Hash     string
	Verified bool
	Time     time.Time // a cosignature's
}

func (d *Dashboard) serveCheckpoint(w http.ResponseWriter, r *http.Request) {
	cp, err := d.c.Ledger().Published(r.Context())
	if err != nil {
		d.unavailable(w, r, err)
		return
	}
	data := &checkpointData{Origin: cp.Origin, Size: cp.Size, Root: fmt.Sprintf("%x", cp.Hash),
		RootBase64: base64.StdEncoding.EncodeToString(cp.Hash), Raw: string(cp.Raw),
		Quorum: d.def.LogQuorum}
	for _, g := range d.def.LogGroups {
		if g.Name != d.def.LogQuorumGroup {
			continue
		}
		data.QuorumGroup, data.QuorumThreshold = g.Name, g.Threshold
		for _, m := range g.Members {
			if p := d.def.Party(m); p != nil {
				m = p.Name
			}
			data.QuorumMembers = append(data.QuorumMembers, m)
		}
	}
	if _, err := d.policy().Check(cp.Raw); err != nil {
		data.NotMet = err.Error()
	} else {
		data.Met = true
	}
	cv, err := note.NewVerifier(d.def.Center)
	if err != nil {
		d.unavailable(w, r, err)
		return
	}
	verifiers := []note.Verifier{cv}
	party := map[note.Verifier]string{}
	for _, lw := range d.def.LogWitnesses {
		// Verified as the policy check above verifies them: the election
		// enrols no key this refuses.
		v, err := keys.NewCosignatureVerifier(lw.Key)
		if err != nil {
			d.unavailable(w, r, fmt.Errorf("log witness key %q: %v", lw.Key, err))
			return
		}
		name := lw.Party
		if p := d.def.Party(lw.Party); p != nil {
			name = p.Name
		}
		party[v] = name
		verifiers = append(verifiers, v)
	}
	n, err := note.Open(cp.Raw, note.VerifierList(verifiers...))
	if late := keys.LateCosignature(cp.Raw, verifiers...); err != nil && late != nil {
		err = fmt.Errorf("%w: %v", err, late)
	}
	if err != nil {
		d.unavailable(w, r, fmt.Errorf("the published checkpoint: %w", err))
		return
	}
	cosigned := map[string]bool{}
	add := func(s note.Signature, verified bool) {
		cs := checkpointSig{Name: s.Name, Hash: fmt.Sprintf("%08x", s.Hash), Verified: verified}
		for _, v := range verifiers {
			if v.Name() != s.Name || v.KeyHash() != s.Hash {
				continue
			}
			if v == cv {
				cs.Center = true
			} else {
				cs.Party = party[v]
				cosigned[cs.Party] = true
				if t, err := keys.CosignatureTime(s); err == nil {
					cs.Time = t.UTC()
				}
			}
		}
		data.Signatures = append(data.Signatures, cs)
	}
	for _, s := range n.Sigs {
		add(s, true)
	}
	for _, s := range n.UnverifiedSigs {
		add(s, false)
	}
	// A party with several log witnesses counts once.
	parties := map[string]bool{}
	for _, v := range verifiers[1:] {
		if !cosigned[party[v]] && !parties[party[v]] {
			data.Missing = append(data.Missing, party[v])
		}
		parties[party[v]] = true
	}
	data.Cosigned, data.Witnesses = len(cosigned), len(parties)
	d.pages.Render(w, r, http.StatusOK, "checkpoint.html", "The log's checkpoint", data)
}
