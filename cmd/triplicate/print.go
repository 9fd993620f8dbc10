package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/printing"
	"github.com/triplicate-vote/triplicate/internal/qr"
)

var actaPrintCommand = &command{
	name: "print",
	args: "-election FILE [-lang en|es] [-o FILE.pdf] ACTA",
	short: "write a PDF of the acta: one labelled copy per party witness plus the center's, each with\n" +
		"the tally and the whole signed acta in QR codes",
	run: runActaPrint,
}

var actaScanCommand = &command{
	name: "scan",
	args: "-election FILE [-out DIR] IMAGE...",
	short: "read the QR codes of printed actas from PNG or JPEG photos and scans, join their parts,\n" +
		"verify them and write the acta files; say which image failed and why",
	run: runActaScan,
}

func runActaPrint(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	defPath := fs.String("election", "", "election definition `file`")
	out := fs.String("o", "", "PDF `file` to write (default: the acta's name with .pdf)")
	langCode := langFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	lang, err := printing.ParseLang(*langCode)
	if err != nil {
		return usagef("acta print: %v", err)
	}
	if fs.NArg() != 1 {
		return usagef("acta print: want one acta file, have %d arguments", fs.NArg())
	}
	def, err := readElection(*defPath)
	if err != nil {
		return err
	}
	path := fs.Arg(0)
	sa, err := openActa(path, def)
	if err != nil {
		return err
	}
	pdf, err := printing.PDF(sa, def, lang)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if *out == "" {
		*out = strings.TrimSuffix(path, filepath.Ext(path)) + ".pdf"
	}
	if err := os.WriteFile(*out, pdf, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s: %d copies of station %s's %s acta\n", *out, len(def.Parties)+1, sa.Station, sa.Kind)
	return nil
}

// langFlag registers -lang, the language of what a command prints.
func langFlag(fs *flag.FlagSet) *string {
	return fs.String("lang", "en", "the `language` to print in: en (English) or es (Spanish)")
}

func runActaScan(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	defPath := fs.String("election", "", "election definition `file`")
	outDir := fs.String("out", ".", "`directory` to write the actas to")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("acta scan: no image files")
	}
	def, err := readElection(*defPath)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		return err
	}
	scanned, errs := qr.ScanFiles(def, fs.Args())
	for _, s := range scanned {
		path, first, kept, err := qr.Keep(*outDir, s.Signed)
		if err != nil {
			return err
		}
		note := map[qr.Kept]string{qr.KeptNew: "written to", qr.KeptAlready: "already in",
			qr.KeptResigned: "the same count as " + first + " with other signatures, kept in",
			qr.KeptDiffers:  "DIFFERS from the count already kept in " + first + " for this station; both kept, this one in"}[kept]
		fmt.Fprintf(c.stdout, "%s: station %s, %s acta, %d signatures: verified, %s %s\n",
			strings.Join(s.Files, ", "), s.Station, s.Kind, len(s.Signatures), note, path)
	}
	es := spanishLocale()
	for _, err := range errs {
		fmt.Fprintf(c.stdout, "FAILED: %v\n", err)
		if why := qr.Spanish(err); es && why != "" {
			fmt.Fprintf(c.stdout, "  %s\n", why)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%d problems scanning %d images; %d actas read", len(errs), fs.NArg(), len(scanned))
	}
	return nil
}

// spanishLocale reports whether the user's locale is Spanish, as the C
// library would choose it: LC_ALL, else LC_MESSAGES, else LANG.
func spanishLocale() bool {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := os.Getenv(v); l != "" {
			return strings.HasPrefix(l, "es")
		}
	}
	return false
}
