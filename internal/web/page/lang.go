package page

import (
	"net/http"
	"net/url"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Lang is a page's language: "en" or "es".
type Lang string

const (
	English Lang = "en"
	Spanish Lang = "es"
)

// The first is the default for a browser that asks for neither.
var (
	supported = []language.Tag{language.English, language.Spanish}
	matcher   = language.NewMatcher(supported)
	printers  = map[Lang]*message.Printer{
		English: message.NewPrinter(language.English),
		Spanish: message.NewPrinter(language.Spanish),
	}
)

// RequestLang is the language of a request: ?lang= (remembered in a
// cookie), else the cookie, else Accept-Language.
func RequestLang(w http.ResponseWriter, r *http.Request) Lang {
	if l, ok := ParseLang(r.URL.Query().Get("lang")); ok {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
		return l
	}
	if c, err := r.Cookie("lang"); err == nil {
		if l, ok := ParseLang(c.Value); ok {
			return l
		}
	}
	return BrowserLang(r)
}

// BrowserLang is the language that a request's Accept-Language asks for.
func BrowserLang(r *http.Request) Lang {
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	_, i, _ := matcher.Match(tags...)
	if i == 1 {
		return Spanish
	}
	return English
}

// ParseLang returns the language of a code, "en" or "es".
func ParseLang(s string) (Lang, bool) {
	switch Lang(s) {
	case English, Spanish:
		return Lang(s), true
	}
	return "", false
}

// Other is the language a page's switch offers.
func (l Lang) Other() Lang {
	if l == Spanish {
		return English
	}
	return Spanish
}

// Name is the language's name in itself, for the switch.
func (l Lang) Name() string {
	if l == Spanish {
		return "Español"
	}
	return "English"
}

// In returns an address with the language in its query, for the links and
// forms of pages that keep their language in their addresses, never in a
// cookie (the kiosk's).
func (l Lang) In(path string) string {
	return path + "?" + url.Values{"lang": {string(l)}}.Encode()
}

// Num formats an integer with the language's digit grouping: 1,234,567 or
// 1.234.567.
func (l Lang) Num(n int) string { return printers[l].Sprintf("%d", n) }

// Num64 is Num of any integer type: int64, uint64, int32 or int.
func (l Lang) Num64(n any) string { return printers[l].Sprintf("%d", n) }

// Pct formats a fraction as a percentage with two decimals: 12.34% or 12,34 %.
func (l Lang) Pct(f float64) string {
	if l == Spanish {
		return printers[l].Sprintf("%.2f", 100*f) + " %"
	}
	return printers[l].Sprintf("%.2f", 100*f) + "%"
}

// Points formats percentage points with two decimals: 0.12 or 0,12.
func (l Lang) Points(f float64) string { return printers[l].Sprintf("%.2f", f) }
