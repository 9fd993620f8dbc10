package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/machine"
	"github.com/triplicate-vote/triplicate/internal/web/kiosk"
)

var machineServeCommand = &command{
	name: "serve",
	args: "-dir DIR [-addr HOST:PORT] [-pin-file FILE] [-print-command CMD] [-center URL] [-election FILE -station ID -key FILE]",
	short: "serve the station's terminal as a kiosk page: voters select, review and cast, and the kiosk prints\n" +
		"their voucher with -print-command (sh -c CMD, the voucher's PDF on its stdin); the poll worker logs in\n" +
		"at /worker with a PIN, read from -pin-file or $TRIPLICATE_PIN (never a flag's value, which ps shows),\n" +
		"to open the polls, enable each voter's ballot, close and transmit. -election, -station and -key set up\n" +
		"DIR, as for open.",
	run: runMachineServe,
}

// pinEnv names the environment variable that may hold the poll worker's PIN.
const pinEnv = "TRIPLICATE_PIN"

func runMachineServe(c *cli, self *command, args []string) error {
	var set setupFlags
	var addr, pinFile, printCmd, centerURL string
	_, dir, err := dirFlags(c, self, args, func(fs *flag.FlagSet) {
		set.register(fs)
		fs.StringVar(&addr, "addr", "127.0.0.1:8090", "`address` to listen on")
		fs.StringVar(&pinFile, "pin-file", "", "`file` holding the poll worker's PIN (else $"+pinEnv+")")
		fs.StringVar(&printCmd, "print-command", "", "shell `command` that prints a voucher, its PDF on stdin, keeping no copy\n(e.g. 'lp -d voucher -o job-sheets=none -' with CUPS's PreserveJobFiles No)")
		fs.StringVar(&centerURL, "center", "", "the tallying center's `URL`, to transmit the final acta to")
	})
	if err != nil {
		return err
	}
	pin, err := readPIN(pinFile)
	if err != nil {
		return err
	}
	if err := set.setup(self, dir); err != nil {
		return err
	}
	// From before the terminal is loaded: a signal then still releases it.
	ctx, stop, logger := c.serving()
	defer stop()
	cfg := kiosk.Config{PIN: pin, Center: centerURL, Logger: logger}
	if printCmd != "" {
		cfg.Print = kiosk.PrintCommand(printCmd)
	} else {
		logger.Warn("kiosk: no -print-command: vouchers are shown and not printed")
	}
	return machine.Use(dir, func(t *machine.Terminal) error {
		return kiosk.Serve(ctx, t, addr, cfg, func(url string) {
			st := t.Status()
			fmt.Fprintf(c.stdout, "kiosk of station %s (election %s, polls %s) listening on %s\n", st.Station, st.Election, st.Phase, url)
		})
	})
}

// readPIN reads the poll worker's PIN from a file, else from $TRIPLICATE_PIN.
func readPIN(file string) (string, error) {
	var pin, from string
	switch {
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", err
		}
		pin, from = strings.TrimRight(string(b), "\r\n"), file
	case os.Getenv(pinEnv) != "":
		pin, from = os.Getenv(pinEnv), "$"+pinEnv
	default:
		return "", usagef("machine serve: give the poll worker's PIN in a file (-pin-file FILE) or in $%s", pinEnv)
	}
	if err := kiosk.CheckPIN(pin); err != nil {
		return "", fmt.Errorf("%s: %v", from, err)
	}
	return pin, nil
}
