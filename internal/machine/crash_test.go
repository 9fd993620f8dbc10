package machine

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// voterEnv names the state directory TestHelperVoter votes on; with
// voterEnv+"_VOTES" set, it stops after that many votes.
const voterEnv = "TRIPLICATE_MACHINE_VOTER"

// TestHelperVoter is the voter process of TestCrash, not a test: it loads the
// terminal (opening the polls if need be), prints "ready", then votes as fast
// as it can and prints "ack SERIAL" for each vote once Vote has returned.
func TestHelperVoter(t *testing.T) {
	dir := os.Getenv(voterEnv)
	if dir == "" {
		t.Skip("the voter process of TestCrash")
	}
	limit, _ := strconv.Atoi(os.Getenv(voterEnv + "_VOTES"))
	term, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	if _, err := term.Open(); err != nil && !errors.Is(err, ErrAlreadyOpen) {
		t.Fatal(err)
	}
	fmt.Println("ready")
	choices := []string{"ALBA", "BRUNO", "CORA", "blank", "null"}
	for n := 0; limit == 0 || n < limit; n++ {
		v, err := term.Vote(map[string]string{"president": choices[rand.IntN(len(choices))]})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("ack %s\n", v.Serial) // one write(2): whole or not at all
	}
}

// voter is a running TestHelperVoter process.
type voter struct {
	cmd    *exec.Cmd
	ready  chan struct{} // closed when it prints "ready"
	done   chan struct{} // closed when its output ends
	acks   []string      // serials of the votes it acknowledged
	output bytes.Buffer  // everything else it printed, then its stderr
	stderr bytes.Buffer
}

func startVoter(t *testing.T, dir string, votes int) *voter {
	v := &voter{ready: make(chan struct{}), done: make(chan struct{})}
	v.cmd = exec.Command(os.Args[0], "-test.run=^TestHelperVoter$")
	v.cmd.Env = append(os.Environ(), voterEnv+"="+dir)
	if votes > 0 {
		v.cmd.Env = append(v.cmd.Env, voterEnv+"_VOTES="+strconv.Itoa(votes))
	}
	v.cmd.Stderr = &v.stderr
	out, err := v.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := v.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(v.done)
		r := bufio.NewReader(out)
		for {
			// A line cut short by the kill has no "\n" and is not an ack.
			line, err := r.ReadString('\n')
			if err != nil {
				v.output.WriteString(line)
				return
			}
			switch serial, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "ack "); {
			case ok && validSerial(serial):
				v.acks = append(v.acks, serial)
			case line == "ready\n":
				close(v.ready)
			default:
				v.output.WriteString(line)
			}
		}
	}()
	return v
}

// wait waits for the process to end and reports whether a signal ended it.
func (v *voter) wait(t *testing.T) (killed bool) {
	select {
	case <-v.done:
	case <-time.After(30 * time.Second):
		v.cmd.Process.Kill()
		t.Fatal("voter process hangs")
	}
	err := v.cmd.Wait()
	v.output.Write(v.stderr.Bytes())
	if ws, ok := v.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return true
	}
	if err != nil {
		t.Fatalf("voter process: %v\n%s", err, v.output.Bytes())
	}
	return false
}

// TestCrash kills a voting process at random moments, restarts it each
// time, then closes the polls and checks that every acknowledged vote was
// counted, none twice, and nothing else but the votes in flight at a kill.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts processes")
	}
	const rounds = 8
	_, def, skey := testElection(t, electiontest.Options{Registered: 20000})
	dir := filepath.Join(t.TempDir(), "100.1")
	if err := Setup(dir, def, "100.1", skey); err != nil {
		t.Fatal(err)
	}

	acked := map[string]bool{}
	kills := 0
	for round := range rounds + 1 {
		last := round == rounds
		votes := 0
		if last {
			votes = 50 // and then exit on its own
		}
		v := startVoter(t, dir, votes)
		if !last {
			// Kill some voters while they vote, others at any moment
			// from their start: loading, recovering, opening the polls.
			if round%2 == 0 {
				select {
				case <-v.ready:
				case <-v.done:
				}
				time.Sleep(rand.N(15 * time.Millisecond))
			} else {
				time.Sleep(rand.N(60 * time.Millisecond))
			}
			v.cmd.Process.Signal(syscall.SIGKILL)
		}
		if v.wait(t) {
			kills++
		} else if !last {
			t.Fatalf("round %d: voter exited before it was killed\n%s", round, v.output.Bytes())
		}
		for _, s := range v.acks {
			if acked[s] {
				t.Fatalf("serial %s acknowledged twice", s)
			}
			acked[s] = true
		}
		t.Logf("round %d: %d votes acknowledged", round, len(v.acks))
	}

	term := load(t, dir, Options{})
	final, err := term.ClosePolls()
	if err != nil {
		t.Fatal(err)
	}
	sa, err := acta.Open(final, def)
	if err != nil {
		t.Fatal(err)
	}
	set, err := os.ReadFile(filepath.Join(dir, recordsFile))
	if err != nil {
		t.Fatal(err)
	}
	counted := map[string]bool{}
	lines := strings.SplitAfter(string(set), "\n")
	lines = lines[:len(lines)-1]
	for _, line := range lines {
		serial, _, _ := strings.Cut(line, " ")
		if counted[serial] {
			t.Errorf("serial %s counted twice", serial)
		}
		counted[serial] = true
	}
	for s := range acked {
		if !counted[s] {
			t.Errorf("acknowledged vote %s lost", s)
		}
	}
	if len(lines) != sa.Ballots {
		t.Errorf("%d records, the final acta counts %d ballots", len(lines), sa.Ballots)
	}
	if sa.Ballots > len(acked)+kills {
		t.Errorf("%d ballots counted, but only %d acknowledged and %d kills", sa.Ballots, len(acked), kills)
	}
	t.Logf("%d kills, %d votes acknowledged, %d counted", kills, len(acked), sa.Ballots)
}
