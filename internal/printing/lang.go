package printing

import "fmt"

// Lang is the language a sheet, a tape or a voucher is printed in: "en" or
// "es", the codes of the web pages' languages. The acta itself, its names
// and its signatures are the same bytes in every language; only the words
// around them change.
type Lang string

const (
	English Lang = "en"
	Spanish Lang = "es"
)

// ParseLang returns the language of a code, "en" or "es".
func ParseLang(s string) (Lang, error) {
	switch l := Lang(s); l {
	case English, Spanish:
		return l, nil
	}
	return "", fmt.Errorf("printing language %q: want en or es", s)
}

// t translates an English message. A message missing from the catalog is
// printed in English; every message printed in Spanish is reported to
// looked, which the tests set to find the missing and the unused.
func (l Lang) t(msg string) string {
	if l != Spanish {
		return msg
	}
	s, ok := spanish[msg]
	looked(msg, ok)
	if !ok {
		return msg
	}
	return s
}

// f translates a format, then formats.
func (l Lang) f(format string, args ...any) string {
	return fmt.Sprintf(l.t(format), args...)
}

// n translates the form of a message for a count n: one for n == 1, many
// otherwise, both formats taking n as their first argument.
func (l Lang) n(n int, one, many string, args ...any) string {
	format := many
	if n == 1 {
		format = one
	}
	return l.f(format, append([]any{n}, args...)...)
}

// looked is told every message looked up in Spanish, and whether it has
// its Spanish: the tests fail on any that has none.
var looked = func(msg string, ok bool) {}

// spanish is the Spanish of every message printed. Keep it sorted.
var spanish = map[string]string{
	" (continued)":            " (continuación)",
	"%s acta":                 "acta %s",
	"%s, station %s: %s":      "%s, mesa %s: %s",
	"Acta %s, station %s, %s": "Acta %s, mesa %s, %s",
	"Area":                    "Área",
	"Auditor":                 "Auditor",
	"BLANK (no choice)":       "BLANCO (ninguna opción)",
	"Ballots cast":            "Votos emitidos",
	"Ballots in this contest": "Votos en esta contienda",
	"Blank":                   "Blanco",
	"Check that this voucher shows your choices, then fold it and drop it in the box. It is matched to the machine's electronic record by its serial.": "Compruebe que este comprobante muestra sus opciones; luego dóblelo y deposítelo en la urna. Se empareja con el registro electrónico de la máquina por su número de serie.",
	"Closed":                           "Cierre",
	"Contest %d: %s":                   "Elección %d: %s",
	"Copy for the tallying center":     "Copia para el centro de totalización",
	"Copy for the witness of %s":       "Copia para el testigo de %s",
	"Counted":                          "Conteo",
	"Definition":                       "Definición",
	"Electronic records SHA-256":       "SHA-256 de los registros",
	"Final count at closing":           "Escrutinio final al cierre",
	"Hand count of the paper vouchers": "Conteo manual de los comprobantes de papel",
	"Machine":                          "Máquina",
	"NULL (spoiled on purpose)":        "NULO (anulado a propósito)",
	"Name":                             "Nombre",
	"Null":                             "Nulo",
	"Opened":                           "Apertura",
	"Registered voters":                "Electores inscritos",
	"Signature":                        "Firma",
	"Signatures in ink of the witnesses at the table": "Firmas en tinta de los testigos de mesa",
	"Signed digitally by":                             "Firmado digitalmente por",
	"Software":                                        "Software",
	"Station":                                         "Mesa",
	"Station %s":                                      "Mesa %s",
	"Tally sheet (acta): %s":                          "Acta de escrutinio: %s",
	"The machine of station %s":                       "La máquina de la mesa %s",
	"The whole signed acta is in these %[2]d QR codes; any %[1]d of them give it back. Scan them with: triplicate acta scan": "El acta firmada completa está en estos %[2]d códigos QR; bastan %[1]d cualesquiera. Escanéelos con: triplicate acta scan",
	"The whole signed acta is in these %[2]d QR codes; either of them gives it back. Scan them with: triplicate acta scan":   "El acta firmada completa está en estos %[2]d códigos QR; basta cualquiera de los dos. Escanéelos con: triplicate acta scan",
	"Total":                      "Total",
	"VOTING VOUCHER":             "COMPROBANTE DE VOTO",
	"Voucher %s, station %s, %s": "Comprobante %s, mesa %s, %s",
	"Undervotes":                 "Votos no usados",
	"Votes":                      "Votos",
	"Vouchers in the box":        "Comprobantes en la urna",
	"Witness of %s":              "Testigo de %s",
	"Zero count at opening":      "Escrutinio en cero a la apertura",
	"ballots":                    "votos",
	"blank":                      "blanco",
	"undervotes":                 "votos no usados",
	"copy %d of %d":              "copia %d de %d",
	"counted":                    "conteo",
	"closed":                     "cierre",
	"definition":                 "definición",
	"final":                      "final",
	"hand":                       "manual",
	"null":                       "nulo",
	"of acta %s":                 "del acta %s",
	"opened":                     "apertura",
	"page %d of %s":              "página %d de %s",
	"part %d/%d":                 "parte %d/%d",
	"place":                      "lugar",
	"%d of %d registered":        "%d de %d inscritos",
	"signed by":                  "firmado por",
	"software":                   "software",
	"station %s":                 "mesa %s",
	"the QR codes of this copy are on page %s": "los códigos QR de esta copia están en la página %s",
	"zero": "cero",
}
