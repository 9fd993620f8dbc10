package acta_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// finalActa returns a valid final acta of station 100.1 of the fixture.
func finalActa(f *electiontest.Fixture) *acta.Acta {
	st := f.Def.Station("100.1")
	a := &acta.Acta{
		Election: f.Def.ID, Station: st.ID, Kind: acta.Final, Machine: st.Machine,
		Opened:     time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC),
		Closed:     time.Date(2024, 7, 28, 18, 4, 31, 0, time.UTC),
		Registered: st.Registered, Ballots: 10,
		Records:  acta.Digest([]string{"0000000000AB president=ALBA\n"}),
		Contests: acta.Blank(f.Def.Ballot(st)),
	}
	a.Contests[0].Candidates[0].Votes = 6
	a.Contests[0].Candidates[1].Votes = 3
	a.Contests[0].Null = 1
	return a
}

func TestSignCosignOpen(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	msg, err := acta.Sign(finalActa(f), f.Machines["100.1"])
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Parties {
		if msg, err = acta.Cosign(msg, f.Def, f.Witness[p]); err != nil {
			t.Fatal(err)
		}
	}
	sa, err := acta.Open(msg, f.Def)
	if err != nil {
		t.Fatal(err)
	}
	if len(sa.Signatures) != 4 || sa.Contests[0].Candidates[0].Votes != 6 {
		t.Fatalf("opened %d signatures, tally %+v", len(sa.Signatures), sa.Contests)
	}
	if _, err := acta.Cosign(msg, f.Def, f.Witness["pa"]); err == nil {
		t.Error("cosigning twice with one key succeeded")
	}
	signed, _ := acta.Sign(finalActa(f), f.Machines["100.1"])
	if all, err := acta.Cosign(signed, f.Def, f.Witness["pa"], f.Witness["pb"], f.Witness["pc"]); err != nil || !bytes.Equal(all, msg) {
		t.Errorf("cosigning by every party at once: %v\n%s\nwant, as in turn:\n%s", err, all, msg)
	}
	if _, err := acta.Cosign(signed, f.Def, f.Witness["pa"], f.Witness["pa"]); err == nil {
		t.Error("cosigning at once twice with one key succeeded")
	}
	if _, err := acta.Sign(finalActa(f), f.Machines["100.2"]); err == nil {
		t.Error("signing with another station's machine key succeeded")
	}
	other := electiontest.New(electiontest.Options{Seed: "other"})
	if _, err := acta.Open(msg, other.Def); !errors.Is(err, acta.ErrNotEnrolled) {
		t.Errorf("open against another election's keys: %v, want ErrNotEnrolled", err)
	}
	t.Logf("%s", msg)
}

func TestTooManySignatures(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	msg, err := acta.Sign(finalActa(f), f.Machines["100.1"])
	if err != nil {
		t.Fatal(err)
	}
	sig := msg[bytes.LastIndex(msg[:len(msg)-1], []byte("\n"))+1:]
	for i := range acta.MaxSignatures {
		msg = append(msg, bytes.Replace(sig, []byte("100.1"), []byte(fmt.Sprintf("x%d", i)), 1)...)
	}
	_, err = acta.Open(msg, f.Def)
	if !errors.Is(err, acta.ErrMalformed) || !strings.Contains(err.Error(), "101 signatures, more than the 100 an acta may carry") {
		t.Fatalf("Open: %v", err)
	}
}

// TestErrorMessages checks that the mistakes people make with acta files
// get errors that name the mistake, not the bytes it left.
func TestErrorMessages(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	msg, err := acta.Sign(finalActa(f), f.Machines["100.1"])
	if err != nil {
		t.Fatal(err)
	}
	machine := f.Machines["100.1"].Name()
	// The signature line with its key hash changed, as by an edit of the
	// base64's first characters.
	i := bytes.LastIndex(msg[:len(msg)-1], []byte("\n")) + 1
	prefix := "— " + machine + " "
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(msg[i+len(prefix):])))
	if err != nil {
		t.Fatal(err)
	}
	sig[0] ^= 1
	hashEdited := append(slices.Clip(msg[:i]), prefix+base64.StdEncoding.EncodeToString(sig)+"\n"...)
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	tests := []struct {
		name      string
		msg       []byte
		want, not []error
		text      string
	}{
		{"machine signature altered", hashEdited, []error{acta.ErrSignature}, []error{acta.ErrUnknownSigner},
			"signature by " + machine + " does not verify"},
		{"station not in the election", bytes.Replace(msg, []byte("station 100.1\n"), []byte("station 100.9\n"), 1),
			[]error{acta.ErrMismatch, acta.ErrSignature}, nil, "no station 100.9 in election"},
		{"CRLF", bytes.ReplaceAll(msg, []byte("\n"), []byte("\r\n")), []error{acta.ErrMalformed}, nil,
			"line 1: Windows line endings (CRLF): convert to LF"},
		{"PNG", png, []error{acta.ErrMalformed}, nil, "a PNG image, not the text of an acta"},
		{"JPEG", jpeg, []error{acta.ErrMalformed}, nil, "a JPEG image, not the text of an acta"},
		// An editor's byte-order mark is no tampering: say what it is.
		{"BOM", append([]byte("\xef\xbb\xbf"), msg...), []error{acta.ErrMalformed}, []error{acta.ErrSignature}, "byte-order mark"},
		{"UTF-16", []byte("\xff\xfet\x00r\x00"), []error{acta.ErrMalformed}, nil, "UTF-16 text"},
		{"PDF", []byte("%PDF-1.3\n%\xe2\xe3\xcf\xd3\n"), []error{acta.ErrMalformed}, nil, "a PDF, not the text of an acta"},
	}
	for _, tt := range tests {
		_, err := acta.Open(tt.msg, f.Def)
		if err == nil {
			t.Errorf("%s: accepted", tt.name)
			continue
		}
		for _, w := range tt.want {
			if !errors.Is(err, w) {
				t.Errorf("%s: %v\nwant an error wrapping %v", tt.name, err, w)
			}
		}
		for _, w := range tt.not {
			if errors.Is(err, w) {
				t.Errorf("%s: %v\nwraps %v", tt.name, err, w)
			}
		}
		if !strings.Contains(err.Error(), tt.text) {
			t.Errorf("%s: %v\nwant it to say %q", tt.name, err, tt.text)
		}
	}
	// Parse, given a body alone, says the same of CRLF.
	body := msg[:bytes.Index(msg, []byte("\n\n"))+1]
	if _, err := acta.Parse(bytes.ReplaceAll(body, []byte("\n"), []byte("\r\n"))); err == nil || !strings.Contains(err.Error(), "Windows line endings (CRLF)") {
		t.Errorf("Parse of a CRLF body: %v", err)
	}
}

// TestReadFile: an acta file larger than any acta is refused before it is
// read whole, naming the file.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "huge.acta")
	if err := os.WriteFile(big, bytes.Repeat([]byte("x"), acta.MaxBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := acta.ReadFile(big); err == nil || !strings.Contains(err.Error(), "huge.acta: larger than any acta") {
		t.Errorf("ReadFile of %d bytes: %v", acta.MaxBytes+1, err)
	}
	ok := filepath.Join(dir, "ok.acta")
	os.WriteFile(ok, []byte("triplicate acta v1\n"), 0o644)
	if data, err := acta.ReadFile(ok); err != nil || string(data) != "triplicate acta v1\n" {
		t.Errorf("ReadFile: %q, %v", data, err)
	}
}

// A party witness does not cosign an acta of another definition of the
// same election id: Cosign checks it against the witness's definition.
func TestCosignOtherDefinition(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	other, err := election.Parse([]byte(strings.Replace(string(f.Text), "station 100.2 1/100 500 ", "station 100.2 1/100 600 ", 1)))
	if err != nil {
		t.Fatal(err)
	}
	st := f.Def.Station("100.1")
	a := &acta.Acta{Election: f.Def.ID, Definition: other.Digest(), Station: st.ID, Kind: acta.Zero, Machine: st.Machine,
		Software: "triplicate (devel) unknown", Opened: time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC),
		Registered: st.Registered, Records: acta.Digest(nil), Contests: acta.Blank(f.Def.Ballot(st))}
	msg, err := acta.Sign(a, f.Machines[st.ID])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acta.Cosign(msg, f.Def, f.Witness["pa"]); !errors.Is(err, acta.ErrOtherDefinition) || !errors.Is(err, acta.ErrMismatch) {
		t.Fatalf("Cosign of an acta of another definition: %v, want ErrOtherDefinition", err)
	}
	if _, err := acta.Cosign(msg, other, f.Witness["pa"]); err != nil {
		t.Fatalf("Cosign with the definition it names: %v", err)
	}
}
