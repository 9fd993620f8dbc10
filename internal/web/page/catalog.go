package page

// Catalog is a program's Spanish of its English messages: the layout's
// and the error page's (commonSpanish) and the program's own. A message
// missing from it is shown in English; each program's test makes sure
// none is (pagetest.CheckTranslated).
type Catalog map[string]string

// NewCatalog returns the catalog of a program's parts of messages and the
// layout's. It panics if two of them translate one message differently.
func NewCatalog(parts ...map[string]string) Catalog {
	m := Catalog{}
	for _, p := range append([]map[string]string{commonSpanish}, parts...) {
		for k, v := range p {
			if old, ok := m[k]; ok && old != v {
				panic("page: " + k + " is translated both " + old + " and " + v)
			}
			m[k] = v
		}
	}
	return m
}

// T translates an English message into a language.
func (c Catalog) T(l Lang, msg string) string {
	if l == Spanish {
		if s, ok := c[msg]; ok {
			return s
		}
	}
	return msg
}

// commonSpanish is the layout's and the error pages' messages. Keep it
// sorted.
var commonSpanish = map[string]string{
	"Back to the start": "Volver al inicio",
	"Bad request":       "Solicitud incorrecta",
	"Failure":           "Falla",
	"Language":          "Idioma",
	"Locked for now":    "Bloqueado por ahora",
	"Not allowed":       "No permitido",
	"Not found":         "No encontrado",
	"Not possible now":  "No es posible ahora",
	"Refused":           "Rechazado",
	"Unavailable":       "No disponible",
}
