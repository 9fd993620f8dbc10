package main

import (
	"fmt"
	"net/http"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/printing"
)

var actaVerifyCommand = &command{
	name:  "verify",
	args:  "-election FILE [-q] [-lang en|es] ACTA...",
	short: "check every signature of each acta against the election definition and print its tally;\nexit status 1 if any fails",
	run:   runActaVerify,
}

var actaCosignCommand = &command{
	name:  "cosign",
	args:  "-election FILE -key FILE ACTA...",
	short: "add a party witness's signature to each acta, in place, after checking the machine's",
	run:   runActaCosign,
}

// readElection reads the definition that the -election flag names.
func readElection(path string) (*election.Definition, error) {
	if path == "" {
		return nil, usagef("missing -election FILE (the election definition)")
	}
	return election.ReadFile(path)
}

func runActaVerify(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	defPath := fs.String("election", "", "election definition `file`")
	quiet := fs.Bool("q", false, "print only failures")
	langCode := langFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	lang, err := printing.ParseLang(*langCode)
	if err != nil {
		return usagef("acta verify: %v", err)
	}
	if fs.NArg() == 0 {
		return usagef("acta verify: no acta files")
	}
	def, err := readElection(*defPath)
	if err != nil {
		return err
	}
	failed := 0
	for _, path := range fs.Args() {
		sa, err := openActa(path, def)
		if err != nil {
			failed++
			fmt.Fprintf(c.stdout, "FAILED: %v\n", err)
			continue
		}
		if *quiet {
			continue
		}
		fmt.Fprintf(c.stdout, "%s: ok\n", path)
		if err := printing.WriteText(c.stdout, sa, def, lang); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d actas failed verification", failed, fs.NArg())
	}
	return nil
}

// openActa reads and checks one acta file; errors name the file.
func openActa(path string, def *election.Definition) (*acta.Signed, error) {
	msg, err := acta.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sa, err := acta.Open(msg, def)
	if err != nil {
		if isImage(msg) {
			return nil, fmt.Errorf("%s: this is an image: use `triplicate acta scan -election FILE %s` to read the acta from its QR codes", path, path)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sa, nil
}

// isImage reports whether a file is a PNG or JPEG, as a photo or scan of a
// printed acta is.
func isImage(data []byte) bool {
	t := http.DetectContentType(data)
	return t == "image/png" || t == "image/jpeg"
}

func runActaCosign(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	defPath := fs.String("election", "", "election definition `file`")
	keyPath := fs.String("key", "", "the witness's private key `file`")
	if err := parse(fs, args, "key"); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("acta cosign: no acta files")
	}
	def, err := readElection(*defPath)
	if err != nil {
		return err
	}
	key, err := keys.ReadFile(*keyPath)
	if err != nil {
		return err
	}
	who, ok := def.Signer(key.Public)
	if !ok || who.Role != election.RoleWitness {
		return fmt.Errorf("%s: key %s is not a witness key of election %s", *keyPath, key.Name(), def.ID)
	}
	failed := 0
	for _, path := range fs.Args() {
		if err := acta.CosignFile(path, def, key); err != nil {
			failed++
			fmt.Fprintf(c.stdout, "FAILED: %v\n", err)
			continue
		}
		fmt.Fprintf(c.stdout, "%s: cosigned by a witness of %s (%s)\n", path, who.Party, key.Name())
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d actas not cosigned", failed, fs.NArg())
	}
	return nil
}
