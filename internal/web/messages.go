package web

// spanish translates the pages' English messages: the common ones here, each
// part's in its own file. A test makes sure every message the templates and
// handlers use is here, and that no two parts translate one differently.
var spanish = catalog(commonSpanish, dashboardSpanish, kioskSpanish, reportSpanish)

func catalog(parts ...map[string]string) map[string]string {
	m := map[string]string{}
	for _, p := range parts {
		for k, v := range p {
			if old, ok := m[k]; ok && old != v {
				panic("web: " + k + " is translated both " + old + " and " + v)
			}
			m[k] = v
		}
	}
	return m
}

// commonSpanish is the layout's and the error pages' messages. Keep it sorted.
var commonSpanish = map[string]string{
	"Back to the start":             "Volver al inicio",
	"Bad request":                   "Solicitud incorrecta",
	"election %s has no station %q": "la elección %s no tiene la mesa %q",
	"Failure":                       "Falla",
	"Language":                      "Idioma",
	"Not allowed":                   "No permitido",
	"Not found":                     "No encontrado",
	"Not possible now":              "No es posible ahora",
	"Unavailable":                   "No disponible",
}
