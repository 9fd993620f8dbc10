// Command genvectors writes the election definition test vectors in
// doc/spec/vectors/election.
//
// Each vector is a txtar archive with a definition and the expected result,
// written by hand in the table below: "ok", or one line "error TEXT" for each
// error Parse reports, in order, TEXT a substring of its message (see
// doc/spec/election.md, "Test vectors"). A definition that Parse accepts but
// that is not in Marshal's canonical layout has a third file, "canonical",
// with what Marshal writes. The keys are deterministic (electiontest.Key
// with the seed "vectors", the keys of the acta vectors), so running it
// again gives the same files.
//
//	go run ./internal/election/internal/genvectors
package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"
	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

type vector struct {
	name, comment string
	text          string
	want          []string
	canonical     string // for definitions Parse accepts that Marshal writes otherwise
}

func main() {
	dir := flag.String("dir", "doc/spec/vectors/election", "output directory")
	flag.Parse()
	f := electiontest.New(electiontest.Options{Seed: "vectors", LogWitnesses: 2})
	base := string(f.Def.Marshal())
	key := func(name string) string { return electiontest.Key("vectors", name).Public }
	edit := func(old, new string) string {
		if strings.Count(base, old) != 1 {
			log.Fatalf("base has %d of %q", strings.Count(base, old), old)
		}
		return strings.Replace(base, old, new, 1)
	}
	var vs []vector
	add := func(name, comment, text string, want ...string) {
		vs = append(vs, vector{name: name, comment: comment, text: text, want: want})
	}
	ok := func(name, comment, text, canonical string) {
		vs = append(vs, vector{name: name, comment: comment, text: text, want: []string{"ok"}, canonical: canonical})
	}
	machine1 := f.Def.Station("100.1").Machine
	witnessPA := f.Def.Party("pa").Witnesses[0]

	// Good definitions.
	ok("ok-minimal", "The least a definition holds: one level, one contest with one candidate, one station; no parties, auditors or center.",
		"triplicate election v1\nid min\nname Minimal\nlevels centre\ncontest c * Contest\ncandidate c A Candidate A\narea 1 One\n"+
			"station 1.1 1 100 "+key("min/machine/1.1")+"\n", "")
	ok("ok-deadline", "A deadline for every station's final acta to be in the center's log (RFC 3339 to the second, with its offset), after the time zone.",
		"triplicate election v1\nid min\nname Minimal\nlevels centre\ntimezone America/Caracas\ndeadline 2024-07-29T06:00:00-04:00\ncontest c * Contest\ncandidate c A Candidate A\narea 1 One\n"+
			"station 1.1 1 100 "+key("min/machine/1.1")+"\n", "")
	ok("ok-keys", "Witnesses of three parties, an auditor, the center's key and two log witnesses, all of which must cosign (logquorum 2).", base, "")
	ok("ok-logquorum", "Two log witnesses, of which one suffices.", edit("logquorum 2\n", "logquorum 1\n"), "")
	ok("ok-multi-area", "Three levels, two states, contests over the whole election, a state and a municipality (one scoped to an area declared further down), UTF-8 names, a party with two witness keys, a station with no registered voters.",
		multiArea(key), "")
	ok("ok-comments", "Comments and blank lines, which Parse ignores and Marshal leaves out.",
		strings.Replace(strings.Replace(strings.Replace(base, "\nid ", "\n# Test election\nid ", 1), "\ncontest ", "\n\n# The ballot\ncontest ", 1), "\narea ", "\n\n# Areas and stations\n#\narea ", 1), base)
	ok("ok-crlf", "Every line ending in CR LF, which Parse accepts and Marshal writes as LF.", strings.ReplaceAll(base, "\n", "\r\n"), base)
	ok("ok-bom", "A UTF-8 byte order mark before the version line.", "\uFEFF"+base, base)

	// The file and its lines.
	add("bad-not-utf8", "A name in Latin-1, not UTF-8.", edit("name Test election\n", "name Elecci\xf3n\n"), "error line 1: not UTF-8 text")
	add("bad-version", "An unknown version.", edit("election v1\n", "election v2\n"), `error line 1: first line must be "triplicate election v1"`)
	add("bad-version-not-first", "A comment before the version line.", "# Test election\n"+base,
		`error line 1: first line must be "triplicate election v1"`, `error line 2: unknown line "triplicate"`)
	add("bad-unknown-line", "A line of an unknown kind.", edit("levels state centre\n", "levels state centre\nturnout 80%\n"), `error line 5: unknown line "turnout"`)
	add("bad-tab", "A tab between fields.", edit("name Test election\n", "name Test\telection\n"), `error missing "name" line`, "error line 3: control character U+0009 at byte 10")
	add("bad-cr", "A carriage return inside a line (CR LF ends a line; CR alone is a control character).", edit("name Test election\n", "name Test\relection\n"), `error missing "name" line`, "error line 3: control character U+000D at byte 10")
	add("bad-trailing-space", "A trailing space after the election id.", edit("id test\n", "id test \n"), `error line 2: malformed election id "test "`)
	add("bad-deadline-offset", "A deadline in UTC written +00:00: its one canonical form is Z, so that a definition has one text and one digest.",
		edit("levels state centre\n", "levels state centre\ndeadline 2024-07-29T10:00:00+00:00\n"), `error line 5: deadline "2024-07-29T10:00:00+00:00" is not a time in the form`)
	add("bad-repeated-id", "Two id lines.", edit("id test\n", "id test\nid test2\n"), `error line 3: repeated "id" line`)
	add("bad-missing-name", "No name line.", edit("name Test election\n", ""), `error missing "name" line`)
	add("bad-empty-name", "A name line with no name.", edit("name Test election\n", "name \n"), "error line 3: empty election name")
	add("bad-level-repeated", "A level named twice.", edit("levels state centre\n", "levels state state\n"), "error line 4: level state repeated")
	add("bad-level-double-space", "Two spaces between level names.", edit("levels state centre\n", "levels state  centre\n"),
		`error line 4: malformed level name ""`,
		"error line 22: station 100.1: area 1/100 is not at the deepest level (centre)", "error line 23: station 100.2: area 1/100 is not at the deepest level (centre)")

	// The boundaries line (the file itself is package boundaries's to check).
	const sum = "6c942c17707416b0be39506157557a47dbf4bcb54a754ed633c79a39ce3419b7"
	levels := "levels state centre\n"
	ok("ok-boundaries", "A boundaries line naming a GeoJSON file beside the definition by its SHA-256.",
		edit(levels, levels+"boundaries areas.geojson "+sum+"\n"), "")
	add("bad-boundaries-name", "A boundaries file named by a path out of the definition's directory.",
		edit(levels, levels+"boundaries ../areas.geojson "+sum+"\n"), `error line 5: boundaries: file name "../areas.geojson"`)
	add("bad-boundaries-digest", "A boundaries file's SHA-256 in upper case.",
		edit(levels, levels+"boundaries areas.geojson "+strings.ToUpper(sum)+"\n"), "error line 5: boundaries areas.geojson: malformed SHA-256")
	add("bad-boundaries-repeated", "Two boundaries lines.",
		edit(levels, levels+"boundaries areas.geojson "+sum+"\nboundaries areas.geojson "+sum+"\n"), `error line 6: repeated "boundaries" line`)

	// Contests and candidates.
	add("bad-contest-fields", "A contest line without its name.", edit("candidate president CORA Candidate CORA\n", "candidate president CORA Candidate CORA\ncontest mayor *\n"),
		`error line 9: want "contest ID SCOPE NAME"`)
	add("bad-contest-id", "A contest id starting with a dash.", edit("candidate president CORA Candidate CORA\n", "candidate president CORA Candidate CORA\ncontest -mayor * Mayor\n"),
		`error line 9: malformed contest id "-mayor"`)
	add("bad-duplicate-contest", "A contest declared twice.", edit("candidate president CORA Candidate CORA\n", "candidate president CORA Candidate CORA\ncontest president * Contest 2\n"),
		"error line 9: duplicate contest president")
	add("bad-contest-scope", "A contest scoped to an area the definition does not have.", edit("contest president * Contest 1\n", "contest president 2 Contest 1\n"),
		"error station 100.1 has no contest on its ballot", "error station 100.2 has no contest on its ballot", `error line 5: contest president: unknown area "2"`)
	add("bad-contest-no-candidates", "A contest with no candidates.", edit("candidate president CORA Candidate CORA\n", "candidate president CORA Candidate CORA\ncontest mayor * Mayor\n"),
		"error line 9: contest mayor has no candidates")
	add("bad-no-contests", "No contest lines.", edit("contest president * Contest 1\ncandidate president ALBA Candidate ALBA\ncandidate president BRUNO Candidate BRUNO\ncandidate president CORA Candidate CORA\n", ""),
		"error no contests", "error station 100.1 has no contest on its ballot", "error station 100.2 has no contest on its ballot")
	add("bad-candidate-contest", "A candidate of an undeclared contest.", edit("candidate president CORA Candidate CORA\n", "candidate president CORA Candidate CORA\ncandidate mayor DINA Candidate DINA\n"),
		`error line 9: candidate DINA: unknown contest "mayor"`)
	add("bad-candidate-id", "A candidate id with a character outside A-Z a-z 0-9 . _ -.", edit("candidate president CORA Candidate CORA\n", "candidate president CORA Candidate CORA\ncandidate president DI/NA Candidate DINA\n"),
		`error line 9: malformed candidate id "DI/NA"`)
	add("bad-candidate-reserved", "A candidate named blank.", edit("candidate president CORA Candidate CORA\n", "candidate president CORA Candidate CORA\ncandidate president blank Blank\n"),
		`error line 9: candidate id "blank" is reserved`)
	// Rules.
	cora := "candidate president CORA Candidate CORA\n"
	ok("ok-rule", "A contest decided by a threshold rule, written after its candidates.",
		edit(cora, cora+"rule president threshold win=50 or=40 lead=10 base=valid\n"), "")
	ok("ok-rule-moved", "A rule line further down than its contest's candidates: Marshal writes it right after them.",
		edit("party pa ", "rule president plurality seats=2\nparty pa "), edit(cora, cora+"rule president plurality seats=2\n"))
	add("bad-rule-text", "A rule contest.Parse refuses (a number not in canonical form).", edit(cora, cora+"rule president plurality seats=02\n"),
		"error line 9: contest president: contest rule")
	add("bad-rule-unknown-contest", "A rule of an undeclared contest.", edit(cora, cora+"rule mayor majority\n"),
		`error line 9: rule: unknown contest "mayor"`)
	add("bad-rule-repeated", "Two rule lines for one contest.", edit(cora, cora+"rule president majority\nrule president plurality seats=2\n"),
		"error line 10: contest president: repeated rule")
	add("bad-rule-default", "The default rule written out: it has one spelling, no line.", edit(cora, cora+"rule president plurality seats=1\n"),
		`error line 9: contest president: rule "plurality seats=1" is the default: leave the line out`)
	add("bad-rule-seats", "More seats than candidates.", edit(cora, cora+"rule president plurality seats=4\n"),
		"error line 9: contest president: 4 seats but 3 candidates")
	add("bad-rule-seats-registered", "Three votes a ballot at a station of 400,000,000 registered voters: its actas could need more undervotes than an acta can count.",
		strings.Replace(edit(cora, cora+"rule president plurality seats=3\n"), "station 100.1 1/100 500 ", "station 100.1 1/100 400000000 ", 1),
		"error line 5: station 100.1: 400000000 registered voters with 3 votes each in contest president make more votes than an acta can count (999999999)")
	add("bad-rule-referendum", "A referendum needs two candidates, yes then no.", edit(cora, cora+"rule president referendum\n"),
		"error line 9: contest president: a referendum has two candidates, yes then no, not 3")
	add("bad-candidate-after-rule", "A candidate after its contest's rule.", edit(cora, "rule president majority\n"+cora),
		"error line 9: candidate CORA: after the rule of contest president")
	// Districts.
	dArea := "area 1/100 Centre 100\n"
	districts := cora + "contest mayor d1 Mayor\ncandidate mayor DINA Candidate DINA\ncontest council d2 Council\ncandidate council EVA Candidate EVA\ncandidate council FAUSTO Candidate FAUSTO\nrule council plurality seats=2\n"
	dLines := "district d1 West side\ndistrict d1 station 100.1\ndistrict d2 North and the west side\ndistrict d2 area 1\ndistrict d2 station 100.1\n"
	withDistricts := func(lines string) string {
		return strings.Replace(edit(cora, districts), dArea, dArea+lines, 1)
	}
	ok("ok-district", "Contests scoped to districts: one of a station, one of an area and that station again (districts need not nest).",
		withDistricts(dLines), "")
	ok("ok-district-moved", "District membership lines above the areas and stations they name: Marshal writes them after the areas.",
		strings.Replace(edit(cora, districts), "area 1 North\n", dLines+"area 1 North\n", 1), withDistricts(dLines))
	add("bad-district-no-station", "A district without stations.", withDistricts(dLines+"district d3 Empty\n"),
		"error line 33: district d3 has no station")
	add("bad-district-unknown-station", "A district naming a station the definition does not have.", withDistricts(dLines+"district d1 station 999.1\n"),
		`error line 33: district d1: unknown station "999.1"`)
	add("bad-district-unknown-area", "A district naming an area the definition does not have.", withDistricts(dLines+"district d2 area 7\n"),
		`error line 33: district d2: unknown area "7"`)
	add("bad-district-duplicate", "A district declared twice.", withDistricts(dLines+"district d1 West side again\n"),
		"error line 33: duplicate district d1")
	add("bad-district-twice", "A station listed twice in one district.", withDistricts(dLines+"district d1 station 100.1\n"),
		"error line 33: district d1: station 100.1 listed twice")
	add("bad-district-area-path", "A district whose id is an area's path: a contest's scope could not tell them apart.",
		withDistricts(dLines+"district 1 One\ndistrict 1 station 100.2\n"), "error line 33: district 1: the path of an area too")
	add("bad-contest-district", "A contest scoped to a district the definition does not have.", withDistricts(strings.Replace(dLines, "d1", "d9", -1)),
		`error line 9: contest mayor: unknown area "d1" (nor a district)`)
	add("bad-duplicate-candidate", "A candidate declared twice in one contest.", edit("candidate president CORA Candidate CORA\n", "candidate president CORA Candidate CORA\ncandidate president ALBA Candidate ALBA\n"),
		"error line 9: duplicate candidate ALBA in contest president")
	add("bad-field-spaces", "Two spaces between fields.", edit("candidate president CORA Candidate CORA\n", "candidate president  CORA Candidate CORA\n"),
		`error line 8: want "candidate CONTEST ID NAME" (one space between fields)`)

	// Parties and keys.
	add("bad-party-id", "A party id with a plus sign, outside the id alphabet.", edit("party pc Party PC\n", "party p+c Party PC\n"),
		`error line 13: malformed party id "p+c"`, `error line 14: witness: unknown party "pc"`)
	add("bad-duplicate-party", "A party declared twice.", edit("party pc Party PC\n", "party pb Party PC\n"),
		"error line 13: duplicate party pb", `error line 14: witness: unknown party "pc"`)
	add("bad-witness-party", "A witness of an undeclared party.", edit("witness pc ", "witness pd "), `error line 14: witness: unknown party "pd"`)
	add("bad-key-garbage", "A witness key that is not a verifier key.", edit(witnessPA, "test/witness/pa+00000000+AAAA"), `error line 10: malformed witness key "test/witness/pa+00000000+AAAA"`)
	upper := strings.Replace(witnessPA, "+9fbe766b+", "+9FBE766B+", 1)
	add("bad-key-hash-case", "A witness key with its key hash in upper case, which note.NewVerifier accepts: one key, one spelling.", edit(witnessPA, upper),
		fmt.Sprintf("error line 10: malformed witness key %q", upper))
	wrongHash := strings.Replace(witnessPA, "+9fbe766b+", "+9fbe766c+", 1)
	add("bad-key-hash", "A witness key whose key hash is not its own.", edit(witnessPA, wrongHash), fmt.Sprintf("error line 10: malformed witness key %q", wrongHash))
	nonASCII, err := note.NewEd25519VerifierKey("test/wítness/pa", election.KeyBytes(key("test/witness/pd")))
	if err != nil {
		log.Fatal(err)
	}
	add("bad-key-name", "A witness key whose name is not ASCII, which note allows and actas do not.", edit(witnessPA, nonASCII),
		`error line 10: witness key name "test/wítness/pa": must be printable ASCII`)
	add("bad-key-enrolled-twice", "A station whose machine key is a witness's key: every role and station has a key of its own.", edit(machine1, witnessPA),
		"error line 22: station 100.1: key test/witness/pa is already enrolled for a witness of party pa")
	a, b := collision("test/witness/pa")
	add("bad-key-name-hash", "Two witness keys with the same name and key hash, which a signature line could not tell apart.",
		edit(witnessPA+"\n", a+"\nwitness pa "+b+"\n"), "error line 11: key test/witness/pa has the name and key hash of the key of a witness of party pa")
	add("bad-auditor-key", "An auditor key cut short.", edit("auditor "+f.Def.Auditors[0], "auditor "+f.Def.Auditors[0][:40]),
		fmt.Sprintf("error line 15: malformed auditor key %q", f.Def.Auditors[0][:40]))
	add("bad-center-repeated", "Two center lines.", edit("center "+f.Def.Center+"\n", "center "+f.Def.Center+"\ncenter "+key("test/center2")+"\n"),
		`error line 17: repeated "center" line`)
	add("bad-logwitness-party", "A log witness of an undeclared party.", edit("logwitness pb ", "logwitness pd "), "error logquorum 2 of 1 log witnesses: want 1 to 1",
		`error line 18: logwitness: unknown party "pd"`)
	add("bad-logquorum-form", "A log quorum with a leading zero.", edit("logquorum 2\n", "logquorum 02\n"), "error logquorum 0 of 2 log witnesses", `error line 19: logquorum: number "02" not in canonical form (leading zero)`)
	add("bad-logquorum-zero", "A log quorum of none.", edit("logquorum 2\n", "logquorum 0\n"), "error logquorum 0 of 2 log witnesses: want 1 to 2")
	add("bad-logquorum-large", "A log quorum larger than the log witnesses.", edit("logquorum 2\n", "logquorum 3\n"), "error logquorum 3 of 2 log witnesses: want 1 to 2")
	add("bad-logquorum-repeated", "Two logquorum lines.", edit("logquorum 2\n", "logquorum 2\nlogquorum 1\n"), `error line 20: repeated "logquorum" line`)
	logPA := f.Log["pa"].Public
	identity := pointKey("test/witness/forger", "0100000000000000000000000000000000000000000000000000000000000000")
	add("bad-key-small-order", "A witness key that is the identity point, under which Ed25519 verifies a signature made with no private key (R = the identity, s = 0) for any message.",
		edit(witnessPA, identity), fmt.Sprintf("error line 10: witness key %s: public key is a point of small order", election.KeyID(identity)))
	order8 := pointKey("test/logwitness/forger", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05")
	add("bad-key-small-order-8", "A log witness key that is a point of order 8.",
		edit(logPA, order8), "error logquorum 2 of 1 log witnesses: want 1 to 1", fmt.Sprintf("error line 17: log witness key %s: public key is a point of small order", election.KeyID(order8)))
	nonCanonical := pointKey("test/auditor/2", "f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
	add("bad-key-non-canonical", "An auditor key whose point is spelt with y = p+3 rather than 3: one key, one spelling.",
		edit(f.Def.Auditors[0], nonCanonical), fmt.Sprintf("error line 15: auditor key %s: public key is not a canonical encoding of a curve point", election.KeyID(nonCanonical)))
	cosigPA, err := fnote.VKeyToCosignatureV1(logPA)
	if err != nil {
		log.Fatal(err)
	}
	ok("ok-logwitness-cosignature-key", "A log witness key in the C2SP cosignature/v1 form (key type 0x04) that witness key generators print.", edit(logPA, cosigPA), "")
	add("bad-witness-cosignature-key", "A party witness key in the cosignature/v1 form, which only log witness keys may take.",
		edit(witnessPA, cosig(witnessPA)), fmt.Sprintf("error line 10: malformed witness key %q", cosig(witnessPA)))
	twoKeys := "logwitness pa " + key("test/logwitness/pa2") + "\n"
	ok("ok-logquorum-parties", "Three log witnesses of two parties: the quorum counts parties, so 2 is all of them.",
		edit("logquorum 2\n", twoKeys+"logquorum 2\n"), "")
	add("bad-logquorum-parties", "A log quorum of 3 with three log witnesses of two parties: one party's keys are one voice.",
		edit("logquorum 2\n", twoKeys+"logquorum 3\n"), "error logquorum 3 of 2 parties with log witnesses")
	ok("ok-loggroup", "Log groups, as Sigsum's policies have: either is met by pa or pb, both by either and pb, so the quorum needs pb's cosignature and is met by it alone or with pa's.",
		edit("logquorum 2\n", "loggroup either 1 pa pb\nloggroup both 2 either pb\nlogquorum both\n"), "")
	add("bad-loggroup-member", "A log group with a party that has no log witness.",
		edit("logquorum 2\n", "loggroup either 1 pa pc\nlogquorum either\n"), `error line 19: log group either: "pc" is neither a party with log witnesses, a public witness nor a log group declared above`,
		`error line 20: logquorum: unknown log group "either"`)
	add("bad-logquorum-group", "A logquorum naming no group.",
		edit("logquorum 2\n", "logquorum nobody\n"), `error line 19: logquorum: unknown log group "nobody"`)

	// The signed definition.
	authority := electiontest.Key("vectors", "test/authority")
	withAuthority := edit("center "+f.Def.Center+"\n", "authority "+authority.Public+"\ncenter "+f.Def.Center+"\n")
	signedDef := sign(withAuthority, authority)
	sigLine := signedDef[len(withAuthority)+1:]
	ok("ok-signed", "A definition with an authority line, signed by the authority: the canonical text, a blank line and the authority's signature line (a C2SP signed note). Its digest is that of its text alone.", signedDef, withAuthority)
	add("bad-signed-missing", "A definition with an authority line but no signature.", withAuthority,
		"error not signed by the authority "+election.KeyID(authority.Public))
	other := electiontest.Key("vectors", "test/impostor")
	add("bad-signed-other-key", "A definition signed by a key other than its authority's.", sign(withAuthority, other),
		"error not signed by the authority "+election.KeyID(authority.Public)+": signed only by keys the definition does not name as its authority")
	forged := strings.Replace(withAuthority, "station 100.2 1/100 500 ", "station 100.2 1/100 900 ", 1) + "\n" + sigLine
	add("bad-signed-altered", "A signed definition whose registered voters were changed after signing: the signature is the authority's, but does not verify.", forged,
		"error the authority's signature ("+election.KeyID(authority.Public)+") does not verify")
	add("bad-signed-no-authority", "A signed definition without an authority line.", sign(base, authority),
		"error signed, but has no authority line")
	add("bad-signed-not-canonical", "A signed definition whose text has a comment: the signed text must be the canonical one, whose digest it is.",
		sign(strings.Replace(withAuthority, "\nid ", "\n# Test election\nid ", 1), authority),
		"error signed text is not the definition in its canonical layout")
	add("bad-signed-extra", "A signed definition with a second signature by an unknown key besides the authority's.",
		signedDef+strings.TrimPrefix(sign(withAuthority, other), withAuthority+"\n"),
		"error signed by test/impostor as well as the authority")
	add("bad-signed-repeated", "A signed definition whose signature line is repeated.", signedDef+sigLine,
		"error the authority's signature is repeated")
	add("bad-signed-crlf", "A signed definition with CR LF line ends, which a signed note does not have.", strings.ReplaceAll(signedDef, "\n", "\r\n"),
		"error line 26: a signature line, but not after a blank line at the end")
	add("bad-authority-key", "An authority key cut short.", edit("center "+f.Def.Center+"\n", "authority "+authority.Public[:40]+"\ncenter "+f.Def.Center+"\n"),
		fmt.Sprintf("error line 16: malformed authority key %q", authority.Public[:40]))
	add("bad-authority-repeated", "Two authority lines.", edit("center "+f.Def.Center+"\n", "authority "+authority.Public+"\nauthority "+other.Public+"\ncenter "+f.Def.Center+"\n"),
		`error line 17: repeated "authority" line`)

	// Parts.
	whole := f.Def.Digest()
	wholeHex := hex.EncodeToString(whole[:])
	ok("ok-part", "A part, a terminal's copy of one station's definition: its whole line names the whole definition's digest, which is then its own.",
		strings.Replace(base[:strings.Index(base, "station 100.2 ")], "levels state centre\n", "levels state centre\nwhole "+wholeHex+"\n", 1), "")
	add("bad-whole-case", "A whole digest in upper case.", edit("levels state centre\n", "levels state centre\nwhole "+strings.ToUpper(wholeHex)+"\n"),
		"error line 5: whole: malformed digest")
	add("bad-whole-zero", "The all-zero whole digest, which would read as no whole line.", edit("levels state centre\n", "levels state centre\nwhole "+strings.Repeat("0", 64)+"\n"),
		"error line 5: whole: malformed digest")

	// Areas and stations.
	add("bad-area-id", "An area path with an empty id.", edit("area 1/100 Centre 100\n", "area 1/100 Centre 100\narea 1//7 Centre 7\n"), `error line 22: area "1//7": malformed id ""`)
	add("bad-area-deep", "An area deeper than the levels.", edit("area 1/100 Centre 100\n", "area 1/100 Centre 100\narea 1/100/7 Room 7\n"), "error line 22: area 1/100/7 is deeper than the 2 levels")
	add("bad-duplicate-area", "An area declared twice.", edit("area 1/100 Centre 100\n", "area 1/100 Centre 100\narea 1/100 Centre 100 again\n"), "error line 22: duplicate area 1/100")
	add("bad-area-parent", "An area whose parent is not declared.", edit("area 1/100 Centre 100\n", "area 1/100 Centre 100\narea 2/200 Centre 200\n"), "error line 22: area 2/200: unknown parent area 2")
	add("bad-station-id", "A station id with a character outside A-Z a-z 0-9 . _ -.", edit("station 100.2 ", "station 100:2 "), `error line 23: malformed station id "100:2"`)
	add("bad-duplicate-station", "A station declared twice.", edit("station 100.2 ", "station 100.1 "), "error line 23: station 100.1: duplicate station")
	add("bad-station-area", "A station in an undeclared area.", edit("station 100.2 1/100 ", "station 100.2 1/200 "), `error line 23: station 100.2: unknown area "1/200"`)
	add("bad-station-level", "A station in an area above the deepest level.", edit("station 100.2 1/100 ", "station 100.2 1 "), "error line 23: station 100.2: area 1 is not at the deepest level (centre)")
	add("bad-registered-leading-zero", "Registered voters with a leading zero.", edit("station 100.2 1/100 500 ", "station 100.2 1/100 0500 "),
		`error line 23: station 100.2: registered voters: number "0500" not in canonical form (leading zero)`)
	add("bad-registered-sign", "Registered voters with a sign.", edit("station 100.2 1/100 500 ", "station 100.2 1/100 +500 "),
		`error line 23: station 100.2: registered voters: malformed number "+500"`)
	add("bad-registered-large", "Registered voters beyond 999,999,999.", edit("station 100.2 1/100 500 ", "station 100.2 1/100 1000000000 "),
		`error line 23: station 100.2: registered voters: number "1000000000" too large`)
	add("bad-station-fields", "A station line without its machine key.", edit("station 100.2 1/100 500 "+f.Def.Station("100.2").Machine, "station 100.2 1/100 500"),
		`error line 23: want "station ID AREA REGISTERED KEY"`)
	add("bad-machine-key", "A machine key with a trailing space.", edit(f.Def.Station("100.2").Machine, f.Def.Station("100.2").Machine+" "),
		fmt.Sprintf("error line 23: station 100.2: malformed machine key %q", f.Def.Station("100.2").Machine+" "))
	obs := "triplicate election v1\nid bo2019\nname Observer\nlevels department centre\ncontest president * President\ncandidate president CC CC\ncandidate president MAS MAS - IPSP\narea 1 Chuquisaca\narea 1/1 Escuela\n"
	ok("ok-observer", "An observer's definition, built from published results: no machine enrolled (key -), and one station whose registered voters are unknown (-).",
		obs+"station 1001 1/1 237 -\nstation 1002 1/1 - -\n", "")
	ok("ok-observer-mixed", "One station with an enrolled machine and one without.",
		edit("station 100.2 1/100 500 "+f.Def.Station("100.2").Machine, "station 100.2 1/100 500 -"), "")
	add("bad-registered-unknown-machine", "Registered voters unknown (-) at a station with an enrolled machine, which needs them.",
		edit("station 100.2 1/100 500 ", "station 100.2 1/100 - "),
		"error line 23: station 100.2: registered voters unknown (-), but a machine is enrolled")
	add("bad-registered-dash", "Registered voters written with two dashes.", obs+"station 1001 1/1 -- -\n",
		`error line 10: station 1001: registered voters: malformed number "--"`)
	add("bad-observer-key-dashes", "A machine key of two dashes.", obs+"station 1001 1/1 237 --\n",
		`error line 10: station 1001: malformed machine key "--"`)
	var many, manyWant []string
	for i := 0; i < 50; i++ {
		many = append(many, fmt.Sprintf("turnout%d 80%%\n", i))
		manyWant = append(manyWant, fmt.Sprintf("error line %d: unknown line \"turnout%d\"", i+5, i))
	}
	add("bad-too-many-errors", "Fifty unknown lines: Parse stops at the fiftieth error.", edit("levels state centre\n", "levels state centre\n"+strings.Join(many, "")),
		append(manyWant, "error line 54: too many errors")...)
	add("bad-no-stations", "No station lines.", base[:strings.Index(base, "station ")], "error no stations")

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	// The public witnesses' vectors (ok-publicwitness, bad-publicquorum-*,
	// ...) were written by hand, not by this table: only the files this
	// table writes are replaced, and those it no longer writes removed.
	old, _ := filepath.Glob(filepath.Join(*dir, "*.txt"))
	for _, o := range old {
		if name := filepath.Base(o); !handWritten[name] {
			os.Remove(o)
		}
	}
	for _, v := range vs {
		ar := &txtar.Archive{Comment: []byte(v.comment + "\n"), Files: []txtar.File{{Name: "election", Data: []byte(v.text)}}}
		if v.canonical != "" {
			ar.Files = append(ar.Files, txtar.File{Name: "canonical", Data: []byte(v.canonical)})
		}
		if v.want[0] == "ok" {
			def, err := election.Parse([]byte(v.text))
			if err != nil {
				log.Fatalf("%s: %v", v.name, err)
			}
			digest := def.Digest()
			ar.Files = append(ar.Files, txtar.File{Name: "digest", Data: []byte(hex.EncodeToString(digest[:]) + "\n")})
		}
		ar.Files = append(ar.Files, txtar.File{Name: "want", Data: []byte(strings.Join(v.want, "\n") + "\n")})
		if err := os.WriteFile(filepath.Join(*dir, v.name+".txt"), txtar.Format(ar), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("wrote %d vectors to %s\n", len(vs), *dir)
}

// multiArea is a definition over three levels and two states.
func multiArea(key func(string) string) string {
	lines := []string{
		"triplicate election v1",
		"id demo",
		"name Elección de prueba",
		"levels state municipality centre",
		"contest president * Presidente",
		"candidate president ALBA Alba Ríos",
		"candidate president BRUNO Bruno Díaz",
		"contest governor-1 1 Gobernador del estado 1",
		"candidate governor-1 CARLA Carla Peña",
		"candidate governor-1 DARIO Darío Soto",
		"contest mayor-2.7 2/7 Alcalde",
		"candidate mayor-2.7 EVA Eva Luna",
		"candidate mayor-2.7 FIDEL Fidel Mora",
		"party pa Partido A",
		"witness pa " + key("demo/witness/pa/1"),
		"witness pa " + key("demo/witness/pa/2"),
		"party pb Partido B",
		"witness pb " + key("demo/witness/pb/1"),
		"auditor " + key("demo/auditor/1"),
		"area 1 Estado uno",
		"area 1/1 Municipio uno",
		"area 1/1/10 Escuela 10",
		"area 2 Estado dos",
		"area 2/7 Municipio siete",
		"area 2/7/20 Escuela 20",
		"area 2/8 Municipio ocho",
		"area 2/8/30 Escuela 30",
		"station 10.1 1/1/10 300 " + key("demo/machine/10.1"),
		"station 10.2 1/1/10 280 " + key("demo/machine/10.2"),
		"station 20.1 2/7/20 450 " + key("demo/machine/20.1"),
		"station 30.1 2/8/30 0 " + key("demo/machine/30.1"),
	}
	return strings.Join(lines, "\n") + "\n"
}

// collision returns two verifier keys of the given name with the same key
// hash: 32-byte public keys drawn from SHA-256 of a counter until two hashes
// meet (about 2^16 tries). Parse does not check that a public key is a
// curve point, so they need no private keys.
func collision(name string) (string, string) {
	seen := map[uint32][]byte{}
	for i := 0; ; i++ {
		pub := sha256.Sum256([]byte(fmt.Sprintf("collision %d", i)))
		h := sha256.Sum256(append([]byte(name+"\n\x01"), pub[:]...))
		kh := binary.BigEndian.Uint32(h[:4])
		if prev, ok := seen[kh]; ok {
			a, err1 := note.NewEd25519VerifierKey(name, prev)
			b, err2 := note.NewEd25519VerifierKey(name, pub[:])
			if err1 != nil || err2 != nil {
				log.Fatal(err1, err2)
			}
			return a, b
		}
		seen[kh] = pub[:]
	}
}

// pointKey returns a verifier key of the given name whose public key is the
// point with the given hex encoding.
func pointKey(name, h string) string {
	pub, err := hex.DecodeString(h)
	if err != nil {
		log.Fatal(err)
	}
	k, err := note.NewEd25519VerifierKey(name, pub)
	if err != nil {
		log.Fatal(err)
	}
	return k
}

// sign returns the definition text signed by the key, as a signed note.
func sign(text string, k *keys.Key) string {
	msg, err := note.Sign(&note.Note{Text: text}, k)
	if err != nil {
		log.Fatal(err)
	}
	return string(msg)
}

// cosig returns a verifier key in the cosignature/v1 form.
func cosig(vkey string) string {
	k, err := fnote.VKeyToCosignatureV1(vkey)
	if err != nil {
		log.Fatal(err)
	}
	return k
}

// handWritten are the vectors in the directory that this table does not
// write, and that it leaves as they are.
var handWritten = map[string]bool{
	"ok-publicwitness.txt": true, "ok-publicquorum-group.txt": true,
	"bad-logquorum-public.txt": true, "bad-publicquorum-group.txt": true, "bad-publicquorum-large.txt": true,
	"bad-publicquorum-none.txt": true, "bad-publicwitness-key.txt": true, "bad-publicwitness-name.txt": true,
}
