package verify

// Check is one check of the trust model (doc/design/decisions.md and the
// README's table of attacks say what each proves).
type Check string

const (
	// CheckAltered: a station's figures at the center differ from the acta
	// its machine signed.
	CheckAltered Check = "altered-at-center"
	// CheckEquivocation: two different actas of one station, both signed by
	// its machine's key. It proves the key's misuse, not who misused it: no
	// one is charged, and no version is taken as the station's count.
	CheckEquivocation Check = "equivocation"
	// CheckSubstitution: the log holds an entry of a station whose
	// signature fails or whose signer is not the station's enrolled key.
	CheckSubstitution Check = "substitution"
	// CheckTotals: announced totals that are not the sum of the logged actas.
	CheckTotals Check = "totals-altered"
	// CheckHandCount: a signed hand count that differs from the machine's
	// acta.
	CheckHandCount Check = "hand-count"
	// CheckOmitted: a station whose final acta is in the center's proven
	// log, left out of the center's announcement.
	CheckOmitted Check = "omitted"
	// CheckOutcome: the announced winner of a contest is not the winner of
	// the corrected count, and the stations not counted cannot change it.
	CheckOutcome Check = "outcome-differs"
	// CheckReopened: a final acta whose opening time is not that of any zero
	// tape its machine signed: the machine was opened again after the
	// opening the witnesses saw.
	CheckReopened Check = "reopened"
	// CheckSplitView: two checkpoints of the log, both signed by the center,
	// that are not of one history.
	CheckSplitView Check = "split-view"
	// CheckOtherDefinition: the log's entry 0 does not name the election
	// definition the verifier was given (by its digest): the log is of
	// another definition, perhaps of the same election id, and nothing in
	// it is used.
	CheckOtherDefinition Check = "other-definition"
	// CheckImpossible: figures that cannot hold (more votes than registered
	// voters, votes that do not add up to the ballots).
	CheckImpossible Check = "impossible"
	// CheckDuplicate: a source that gives one station twice.
	CheckDuplicate Check = "duplicate"
	// CheckMissing: a station the definition enrols with no acta in the log
	// (or no count in any source).
	CheckMissing Check = "missing"
	// CheckUnsigned: an unsigned count that differs from the signed one (or,
	// without one, from the announced one). It weighs less.
	CheckUnsigned Check = "unsigned-differs"
	// CheckInvalidEntry: a log entry that is not a valid acta of the
	// election.
	CheckInvalidEntry Check = "invalid-entry"
	// CheckAudit: a risk-limiting audit whose hand counts cannot confirm
	// the reported outcome: a full hand count is due.
	CheckAudit Check = "audit"
)

// Checks lists every check, in the order reports show them.
var Checks = []Check{CheckOutcome, CheckAltered, CheckTotals, CheckOmitted, CheckEquivocation, CheckSubstitution, CheckReopened, CheckSplitView, CheckOtherDefinition,
	CheckHandCount, CheckAudit, CheckInvalidEntry, CheckImpossible, CheckDuplicate, CheckMissing, CheckUnsigned}

// checkDescriptions says in a line what each check finds, for readers of the
// report who do not know the trust model.
var checkDescriptions = map[Check]string{
	CheckAltered:         "a station's figures at the center differ from the acta its machine signed",
	CheckTotals:          "announced totals that are not the sum of the actas in the log",
	CheckOmitted:         "a station whose acta is in the center's log, left out of its announcement",
	CheckOutcome:         "an announced winner that the corrected count does not elect",
	CheckEquivocation:    "two different actas of one station, both signed by its machine: the key was misused, by whom the signatures do not say",
	CheckSubstitution:    "a log entry whose signature fails or is not the station's enrolled key",
	CheckReopened:        "a final acta whose opening is not the one the machine's zero tape records",
	CheckSplitView:       "two checkpoints of the log, both signed by the center, that are not of one history",
	CheckHandCount:       "a signed hand count that differs from the machine's acta",
	CheckOtherDefinition: "a log whose first entry names another election definition than the one given: nothing in it is used",
	CheckInvalidEntry:    "a log entry that is not a valid acta of the election",
	CheckImpossible:      "figures that cannot hold (more votes than voters, votes that do not add up)",
	CheckDuplicate:       "a source that gives one station twice",
	CheckMissing:         "a station with no acta in the log, or no count in any source",
	CheckUnsigned:        "an unsigned count that differs from the signed or announced one (it weighs less)",
	CheckAudit:           "a risk-limiting audit of the paper that cannot confirm the reported outcome",
}

// Description says in a line what a check finds, in English; "" for a check
// this version does not know.
func (c Check) Description() string { return checkDescriptions[c] }

// Finding is one discrepancy, with its evidence.
type Finding struct {
	Check   Check  `json:"check"`
	Station string `json:"station,omitempty"`
	// Proven: the evidence is signed (actas, checkpoints) and proves the
	// discrepancy by itself. Otherwise it rests on unsigned figures.
	Proven   bool        `json:"proven"`
	Summary  string      `json:"summary"`
	Counts   []CountView `json:"counts,omitempty"`   // each source's figures
	Evidence []Evidence  `json:"evidence,omitempty"` // what proves it

	counts  []Count  // filled into Counts and Evidence by the report
	same    []Count  // other copies of the signed counts: evidence only
	entries []uint64 // log entries to include as evidence
}

// CountView is one source's figures of a station, as a report shows them.
type CountView struct {
	Source     string          `json:"source"`
	SourceKind SourceKind      `json:"source_kind"`
	Where      string          `json:"where,omitempty"`
	Kind       string          `json:"kind"` // final, hand, zero
	Signed     bool            `json:"signed"`
	Primary    string          `json:"primary,omitempty"`   // the signing machine's or auditor's key id
	Witnesses  []string        `json:"witnesses,omitempty"` // parties that cosigned
	Index      *int64          `json:"index,omitempty"`     // log entry
	Registered int32           `json:"registered"`
	Ballots    int32           `json:"ballots"`
	Contests   []ContestCounts `json:"contests"`
}

// ContestCounts is the figures of one contest; -1 is unknown.
type ContestCounts struct {
	Contest    string           `json:"contest"`
	Candidates []CandidateCount `json:"candidates"`
	Blank      int32            `json:"blank"`
	Null       int32            `json:"null"`
}

// CandidateCount is one candidate's votes; -1 is unknown.
type CandidateCount struct {
	Candidate string `json:"candidate"`
	Votes     int32  `json:"votes"`
}

// Evidence is one piece of evidence a third party can recheck offline with
// the election's definition.
type Evidence struct {
	// Kind: "acta" (a signed acta, verbatim), "log-entry" (an acta in the
	// log with its inclusion proof in Checkpoint), "checkpoint" (a signed
	// checkpoint of the log), "announced" (the center's unsigned statement,
	// as Counts shows it), "announced-signed" (the center's signed
	// announcement of a station, verbatim in Announcement:
	// doc/spec/announced.md).
	Kind       string   `json:"kind"`
	Source     string   `json:"source"`
	Where      string   `json:"where,omitempty"`
	Acta       string   `json:"acta,omitempty"`
	Index      *uint64  `json:"index,omitempty"`
	Proof      [][]byte `json:"proof,omitempty"`
	Checkpoint string   `json:"checkpoint,omitempty"`
	// Announcement is the center's signed announcement, verbatim.
	Announcement string `json:"announcement,omitempty"`
	Note         string `json:"note,omitempty"` // what could not be obtained
}
