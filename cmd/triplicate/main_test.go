package main

import (
	"bytes"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"triplicate": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the command end to end: each testdata/*.txt is a script
// of commands with their expected exit status, stdout and stderr.
// Scripts that run servers find free ports in $PORT1, $PORT2 and $PORT3.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata", Setup: func(env *testscript.Env) error {
		for _, name := range []string{"PORT1", "PORT2", "PORT3"} {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return err
			}
			env.Setenv(name, strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
			ln.Close()
		}
		return nil
	}})
}

// TestExitStatus checks the three exit statuses: 0 for success, 1 for a
// failure, 2 for a mistake in the command line.
func TestExitStatus(t *testing.T) {
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"help"}, 0},
		{[]string{"acta", "verify", "-h"}, 0},
		{nil, 2},
		{[]string{"nonsense"}, 2},
		{[]string{"keygen"}, 2},
		{[]string{"acta", "verify", "-bogus"}, 2},
		{[]string{"acta", "verify", "x.acta"}, 2},
		{[]string{"machine", "close"}, 2},
		{[]string{"acta", "verify", "-election", "nosuch.txt", "x.acta"}, 1},
		{[]string{"election", "check", "nosuch.txt"}, 1},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		if got := run(tt.args, &out, &errOut); got != tt.want {
			t.Errorf("triplicate %s: exit status %d, want %d\n%s", strings.Join(tt.args, " "), got, tt.want, errOut.String())
		}
	}
}
