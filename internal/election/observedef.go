package election

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// definition writes the results under the template and parses them.
func (res *results) definition(template []byte, templateName, csvName string) (*Definition, error) {
	if templateName == "" {
		templateName = "the template"
	}
	type tline struct {
		text string
		from int // the template's line, or 0
	}
	var out []tline
	add := func(from int, f string, args ...any) { out = append(out, tline{fmt.Sprintf(f, args...), from}) }
	add(0, "%s", Version)
	var tmpl []string
	if len(template) > 0 {
		text := strings.ReplaceAll(strings.TrimPrefix(string(template), "\uFEFF"), "\r\n", "\n")
		tmpl = strings.Split(strings.TrimSuffix(text, "\n"), "\n")
		if tmpl[0] != Version {
			return nil, fmt.Errorf("%s:1: first line must be %q", templateName, Version)
		}
	}
	haveID, haveName := false, false
	names := map[string]string{}      // contest id → name
	scopes := map[string]string{}     // contest id → scope
	renamed := map[[2]string]string{} // contest, candidate → name
	byID := map[string]*obsContest{}
	for _, x := range res.contests {
		byID[x.id] = x
	}
	var kept []tline
	for i, line := range tmpl[min(1, len(tmpl)):] {
		n := i + 2
		word, rest, _ := strings.Cut(line, " ")
		switch word {
		case "levels", "area", "station":
			return nil, fmt.Errorf("%s:%d: unexpected %q line: levels, areas and stations come from the CSV", templateName, n, word)
		case "contest":
			f := strings.SplitN(rest, " ", 3)
			if len(f) != 3 {
				return nil, fmt.Errorf("%s:%d: want %q", templateName, n, "contest ID SCOPE NAME")
			}
			if byID[f[0]] == nil {
				return nil, fmt.Errorf("%s:%d: contest %s is not in %s (its contests: %s)", templateName, n, f[0], csvName, contestIDs(res.contests))
			}
			names[f[0]], scopes[f[0]] = f[2], f[1]
			continue
		case "candidate":
			f := strings.SplitN(rest, " ", 3)
			if len(f) != 3 {
				return nil, fmt.Errorf("%s:%d: want %q", templateName, n, "candidate CONTEST ID NAME")
			}
			x := byID[f[0]]
			if x == nil {
				return nil, fmt.Errorf("%s:%d: candidate %s: contest %s is not in %s", templateName, n, f[1], f[0], csvName)
			}
			if x.index(f[1]) < 0 {
				return nil, fmt.Errorf("%s:%d: contest %s has no candidate %s in %s (its candidates: %s)", templateName, n, f[0], f[1], csvName, x.ids())
			}
			renamed[[2]string{f[0], f[1]}] = f[2]
			continue
		case "id":
			haveID = true
		case "name":
			haveName = true
		}
		kept = append(kept, tline{line, n})
	}
	base := strings.TrimSuffix(filepath.Base(csvName), filepath.Ext(csvName))
	if !haveID {
		id := slug(base)
		if id == "" {
			id = "observed"
		}
		add(0, "id %s", id)
	}
	if !haveName {
		add(0, "name Published results of %s", filepath.Base(csvName))
	}
	for _, x := range res.contests {
		name := names[x.id]
		if name == "" {
			name = x.name
		}
		if name == "" {
			name = x.id
		}
		scope := scopes[x.id]
		if scope == "" {
			scope = "*"
			if x.scope != nil && x.scope.parent != nil {
				scope = x.scope.code
			}
		}
		add(0, "contest %s %s %s", x.id, scope, name)
		for _, cand := range x.candidates {
			cn := cand.Name
			if n, ok := renamed[[2]string{x.id, cand.ID}]; ok {
				cn = n
			}
			add(0, "candidate %s %s %s", x.id, cand.ID, cn)
		}
	}
	out = append(out, kept...)
	levels := "levels"
	for i, l := range res.levels {
		id := slug(l)
		if id == "" {
			id = fmt.Sprintf("level%d", i+1)
		}
		levels += " " + id
	}
	add(0, "%s", levels)
	for _, a := range res.areas {
		add(0, "area %s %s", a.Path, a.Name)
	}
	for _, st := range res.stations {
		add(0, "station %s %s %s -", st.id, st.area.code, regField(st.registered))
	}
	var b strings.Builder
	for _, l := range out {
		b.WriteString(l.text)
		b.WriteByte('\n')
	}
	d, err := Parse([]byte(b.String()))
	var list ErrorList
	if errors.As(err, &list) {
		var msgs []string
		for _, e := range list {
			switch {
			case e.Line == 0:
				msgs = append(msgs, e.Msg)
			case out[e.Line-1].from > 0:
				msgs = append(msgs, fmt.Sprintf("%s:%d: %s", templateName, out[e.Line-1].from, e.Msg))
			case e.Station != "":
				msgs = append(msgs, fmt.Sprintf("%s: station %s: %s", csvName, e.Station, e.Msg))
			default:
				msgs = append(msgs, fmt.Sprintf("%s: %s (%q)", csvName, e.Msg, clip(out[e.Line-1].text, 80)))
			}
		}
		return nil, errors.New(strings.Join(msgs, "\n"))
	}
	return d, err
}

func regField(n int) string {
	if n == Unknown {
		return "-"
	}
	return fmt.Sprint(n)
}

func (c *obsContest) index(id string) int {
	return slices.IndexFunc(c.candidates, func(x Candidate) bool { return x.ID == id })
}

func (c *obsContest) ids() string {
	var ids []string
	for _, x := range c.candidates {
		ids = append(ids, x.ID)
	}
	return strings.Join(ids, " ")
}

func contestIDs(cs []*obsContest) string {
	var ids []string
	for _, x := range cs {
		ids = append(ids, x.id)
	}
	return strings.Join(ids, " ")
}
