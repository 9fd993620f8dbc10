// Package pagetest is what the tests of triplicate's web programs share:
// a headless chromium to drive their pages, screenshots of them, and the
// check that every message a program's templates and handlers use has its
// Spanish.
package pagetest

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// The browser tests drive Debian's chromium (installed by .ci/run), headless.
// TRIPLICATE_CHROMIUM names another binary. Without one they skip, saying
// so — except under CI, where a missing browser is a failure.

func chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("TRIPLICATE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium on this machine: .ci/run installs Debian's chromium package")
	}
	t.Skip("no chromium on this machine: install Debian's chromium package or set TRIPLICATE_CHROMIUM; browser tests skipped")
	return ""
}

// NewBrowser starts a headless chromium with a fresh profile that asks for
// pages in the given Accept-Language, and returns a tab's context, which
// ends with the test. Options are added to chromium's (TrustTLS).
func NewBrowser(t testing.TB, acceptLanguage string, options ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	// Not t.TempDir: chromium's helper processes may still be writing the
	// profile while the test's directories are removed.
	profile, err := os.MkdirTemp("", "triplicate-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("accept-lang", acceptLanguage),
		chromedp.Flag("lang", acceptLanguage),
	)
	opts = append(opts, options...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
		os.RemoveAll(profile)
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// Screenshot saves the whole page as a PNG: in $TRIPLICATE_SCREENSHOTS if
// set (CI keeps them as test output), else in the test's temporary
// directory. It returns the file's path.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	dir := os.Getenv("TRIPLICATE_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	file := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "-")+"-"+name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", file)
	return file
}

// uses are how templates and handlers use a message: .T "..." in
// templates, .T("...") and T(lang, "...") in Go, the titles given to
// Render and the error pages, and the messages of Fail and NewMessage.
var uses = []*regexp.Regexp{
	regexp.MustCompile(`\.T "((?:[^"\\]|\\.)*)"`),
	regexp.MustCompile(`\.T\("((?:[^"\\]|\\.)*)"\)`),
	regexp.MustCompile(`\bT\([^,()"]+, "((?:[^"\\]|\\.)*)"\)`),
	regexp.MustCompile(`[Rr]ender\([^,]+, [^,]+, [^,]+, "[^"]+", "((?:[^"\\]|\\.)*)"`),
	regexp.MustCompile(`title = "((?:[^"\\]|\\.)*)"`),
	regexp.MustCompile(`[Ff]ail\([^,]+, [^,]+, [^,]+, "((?:[^"\\]|\\.)*)"`),
	regexp.MustCompile(`NewMessage\("((?:[^"\\]|\\.)*)"`),
	regexp.MustCompile(`\.Sayf "((?:[^"\\]|\\.)*)"`),
	regexp.MustCompile(`\.Count [^"]*"(?:[^"\\]|\\.)*" "((?:[^"\\]|\\.)*)"`),
}

// CheckTranslated fails the test for every message that the templates
// (templates/*.html) and the Go files of the package in the current
// directory use and that c has no Spanish for.
func CheckTranslated(t *testing.T, c page.Catalog) {
	t.Helper()
	files, _ := filepath.Glob("templates/*.html")
	gos, _ := filepath.Glob("*.go")
	checked := 0
	for _, f := range append(files, gos...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range uses {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				checked++
				if _, ok := c[m[1]]; !ok {
					t.Errorf("%s: %q has no Spanish", f, m[1])
				}
			}
		}
	}
	if checked < 5 {
		t.Fatalf("found only %d messages: the patterns no longer match the code", checked)
	}
}

var (
	action    = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	comment   = regexp.MustCompile(`(?s)<!--.*?-->`)
	tag       = regexp.MustCompile(`(?s)<[^>]*>`)
	entity    = regexp.MustCompile(`&[#a-zA-Z0-9]+;`)
	shown     = regexp.MustCompile(`\b(?:alt|title|placeholder|aria-label|value)="([^"]*)"`)
	word      = regexp.MustCompile(`\p{L}{2,}`)
	untouched = regexp.MustCompile(`(?s)<(pre|code|script|style)\b.*?</(pre|code|script|style)>`)
)

// CheckNoBareText fails the test for every word that a template
// (templates/*.html) shows as it is, outside an action: text between tags
// and the values of the attributes a reader sees or hears (alt, title,
// placeholder, aria-label, value). Such text would be in one language on
// every page; a page's words go through .T. The words in allowed (names
// that are the same in every language: PDF, JSON, UTC) pass.
func CheckNoBareText(t *testing.T, allowed ...string) {
	t.Helper()
	files, _ := filepath.Glob("templates/*.html")
	if len(files) == 0 {
		t.Fatal("no templates/*.html")
	}
	ok := map[string]bool{}
	for _, w := range allowed {
		ok[w] = true
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// Blank out what is not shown as is, keeping the line numbers.
		blank := func(re *regexp.Regexp, s string) string {
			return re.ReplaceAllStringFunc(s, func(m string) string {
				return strings.Map(func(r rune) rune {
					if r == '\n' {
						return r
					}
					return ' '
				}, m)
			})
		}
		src := blank(action, blank(comment, string(b)))
		var texts []string
		for _, m := range shown.FindAllStringSubmatchIndex(src, -1) {
			texts = append(texts, strings.Repeat("\n", strings.Count(src[:m[2]], "\n"))+src[m[2]:m[3]])
		}
		texts = append(texts, blank(tag, src))
		for _, text := range texts {
			for _, m := range word.FindAllStringIndex(text, -1) {
				if w := text[m[0]:m[1]]; !ok[w] {
					t.Errorf("%s:%d: %q is shown untranslated", f, strings.Count(text[:m[0]], "\n")+1, w)
				}
			}
		}
	}
}

// TextNodes is the text a reader sees on a page, a piece between two
// tags each, less what the page quotes verbatim (pre, code).
func TextNodes(html string) []string {
	html = untouched.ReplaceAllString(html, "<>")
	html = comment.ReplaceAllString(html, "<>")
	var out []string
	for _, t := range tag.Split(html, -1) {
		t = entity.ReplaceAllStringFunc(t, func(e string) string {
			switch e {
			case "&#39;":
				return "'"
			case "&amp;":
				return "&"
			case "&#34;", "&quot;":
				return `"`
			}
			return " "
		})
		if t = strings.Join(strings.Fields(t), " "); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// VisibleText is TextNodes joined by spaces.
func VisibleText(html string) string { return strings.Join(TextNodes(html), " ") }

// CheckSpanish fails the test for every piece of text a page shows in
// Spanish as it shows it in English, once the data — names, ids, figures,
// the given strings that read alike in both languages — is taken out:
// such a piece is untranslated. get returns the page at a path in a
// language ("en", "es").
func CheckSpanish(t *testing.T, get func(path, lang string) string, paths, data []string) {
	t.Helper()
	data = slices.Clone(data)
	slices.SortFunc(data, func(a, b string) int { return len(b) - len(a) }) // longest first
	strip := func(s string) string {
		for _, d := range data {
			s = strings.ReplaceAll(s, d, " ")
		}
		return strings.Join(letters.FindAllString(s, -1), " ")
	}
	for _, path := range paths {
		english := map[string]bool{}
		for _, n := range TextNodes(get(path, "en")) {
			english[strip(n)] = true
		}
		for _, n := range TextNodes(get(path, "es")) {
			if s := strip(n); s != "" && english[s] {
				t.Errorf("%s in Spanish shows %q as in English", path, n)
			}
		}
	}
}

// letters is a word of a text, for CheckSpanish: figures are data.
var letters = regexp.MustCompile(`\p{L}{2,}`)

//go:embed axe/axe.min.js
var axeSource string

// Axe runs axe-core (axe/README.md) on the page the tab shows, with the
// WCAG 2 A and AA rules, and returns its violations, one line each: the
// rule, what it asks, and the elements that break it.
func Axe(t testing.TB, ctx context.Context) []string {
	t.Helper()
	var loaded bool
	var found []struct {
		ID, Help string
		Nodes    []struct{ Target []string }
	}
	err := chromedp.Run(ctx,
		chromedp.Evaluate(`if (typeof axe === "undefined") { `+axeSource+` }; true`, &loaded),
		chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})
			.then(r => r.violations.map(v => ({ID: v.id, Help: v.help, Nodes: v.nodes.map(n => ({Target: n.target.map(String)}))})))`,
			&found, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	var out []string
	for _, v := range found {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, strings.Join(n.Target, " "))
		}
		out = append(out, fmt.Sprintf("%s (%s): %s", v.ID, v.Help, strings.Join(where, ", ")))
	}
	return out
}
