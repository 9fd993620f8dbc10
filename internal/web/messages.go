package web

// spanish translates the pages' English messages. Keep it sorted; a test
// makes sure every message the templates and handlers use is here.
var spanish = map[string]string{
	"Back to the start":             "Volver al inicio",
	"Bad request":                   "Solicitud incorrecta",
	"election %s has no station %q": "la elección %s no tiene la mesa %q",
	"Language":                      "Idioma",
	"Not allowed":                   "No permitido",
	"Not found":                     "No encontrado",
	"Not possible now":              "No es posible ahora",
	"Unavailable":                   "No disponible",
}
