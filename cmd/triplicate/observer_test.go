package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestElectionInitObserverBolivia builds an observer's definition from the
// official count of Bolivia's 2019 presidential first round (34,555 actas,
// CC0; see internal/election/testdata/bolivia2019/README.md), checks it, and
// verifies the published count against it, whose totals are the OEP's.
func TestElectionInitObserverBolivia(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 34,555 actas")
	}
	dir := t.TempDir()
	z, err := zip.OpenReader("../../internal/election/testdata/bolivia2019/final_computo.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	f, err := z.Open("final_computo.csv")
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(dir, "final_computo.csv")
	if err := os.WriteFile(csv, data, 0o644); err != nil {
		t.Fatal(err)
	}
	template := filepath.Join(dir, "template.txt")
	if err := os.WriteFile(template, []byte("triplicate election v1\nid bo2019\nname Elecciones Generales 2019\n"+
		"contest president * Presidente y Vicepresidente\ncandidate president MAS-IPSP Movimiento al Socialismo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	def := filepath.Join(dir, "election.txt")
	cmd := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != 0 {
			t.Fatalf("triplicate %s: exit status %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
		}
		return out.String()
	}
	out := cmd("election", "init", "-observer", "-station", "Número Mesa",
		"-levels", "Departamento,Provincia,Municipio,Localidad,Recinto", "-registered", "Inscritos",
		"-blank", "Blancos", "-null", "Nulos", "-template", template, "-o", def, csv)
	if want := "election bo2019, an observer's definition (no machine keys): 34555 stations, 9708 areas, 1 contests with 9 candidates"; !strings.Contains(out, want) {
		t.Errorf("election init -observer: %s\nwant %q", out, want)
	}
	text, err := os.ReadFile(def)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"levels Departamento Provincia Municipio Localidad Recinto\n",
		"contest president * Presidente y Vicepresidente\ncandidate president CC CC\ncandidate president FPV FPV\ncandidate president MTS MTS\n" +
			"candidate president UCS UCS\ncandidate president MAS-IPSP Movimiento al Socialismo\ncandidate president 21F 21F\n" +
			"candidate president PDC PDC\ncandidate president MNR MNR\ncandidate president PAN-BOL PAN-BOL\n",
		"area 8/1/1/1/1 Embajada\n",
		"\nstation 1001 8/1/1/1/1 237 -\n",
	} {
		if !bytes.Contains(text, []byte(want)) {
			t.Errorf("definition lacks %q", want)
		}
	}
	if out := cmd("election", "check", def); !strings.Contains(out, "ok: election bo2019 (Elecciones Generales 2019): 1 contests, 9708 areas, 34555 stations") {
		t.Errorf("election check: %s", out)
	}
	// The published count, read against it as an unsigned source: the
	// OEP's totals. Read alone, it was compared with nothing: not clean.
	var vout, verr bytes.Buffer
	if code := run([]string{"verify", "-election", def, "-csv", csv, "-csv-map",
		"station=Número Mesa,registered=Inscritos,CC=CC,FPV=FPV,MTS=MTS,UCS=UCS,MAS-IPSP=MAS - IPSP,21F=21F,PDC=PDC,MNR=MNR,PAN-BOL=PAN-BOL,blank=Blancos,null=Nulos"}, &vout, &verr); code != 1 {
		t.Errorf("verify of one unsigned count alone: exit status %d, want 1\n%s", code, verr.String())
	}
	out = vout.String()
	for _, want := range []string{"compared with nothing", "stations: 34555 agree", "MAS-IPSP        2889359", "CC              2240920", "blank             93507", "null             229337"} {
		if !strings.Contains(out, want) {
			t.Errorf("verify lacks %q:\n%s", want, out)
		}
	}
}
