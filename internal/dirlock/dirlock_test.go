package dirlock_test

import (
	"errors"
	"os"
	"os/exec"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/dirlock"
)

func TestHelperHolder(t *testing.T) {
	dir := os.Getenv("DIRLOCK_HOLD")
	if dir == "" {
		t.Skip("the other process of TestLock")
	}
	if _, err := dirlock.Open(dir); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("held\n")
	select {} // until killed
}

func TestLock(t *testing.T) {
	dir := t.TempDir()
	d, err := dirlock.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	// flock locks belong to open files: a second open in this process is
	// refused too.
	if _, err := dirlock.Open(dir); !errors.Is(err, dirlock.ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	d.Close()
	if d, err = dirlock.Open(dir); err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	d.Close()

	// Another process holds it until it dies, however it dies.
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHolder$")
	cmd.Env = append(os.Environ(), "DIRLOCK_HOLD="+dir)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := out.Read(buf); err != nil || string(buf) != "held\n" {
		t.Fatalf("holder said %q, %v", buf, err)
	}
	if _, err := dirlock.Open(dir); !errors.Is(err, dirlock.ErrLocked) {
		t.Fatalf("Open while another process holds it: %v", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if d, err = dirlock.Open(dir); err != nil {
		t.Fatalf("Open after the holder was killed: %v", err)
	}
	d.Close()
}
