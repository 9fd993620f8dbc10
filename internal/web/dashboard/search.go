package dashboard

import (
	"errors"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// maxQuery is the longest search query, in bytes.
const maxQuery = 100

// maxHits is the most stations, and the most areas, a search lists.
const maxHits = 50

// Queries the search refuses.
var (
	errTooLong  = errors.New("search too long")
	errBadChars = errors.New("search with characters other than letters, digits, spaces and . - _ , ' /")
)

// query is a parsed search: the text as typed, trimmed, and its words
// folded (lower case, without accents) for matching names.
type query struct {
	Text  string
	words []string
}

// parseQuery checks a search and folds its words. An empty query is
// valid and matches nothing.
func parseQuery(s string) (query, error) {
	if len(s) > maxQuery {
		return query{}, errTooLong
	}
	if !utf8.ValidString(s) {
		return query{}, errBadChars
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), unicode.Is(unicode.Mn, r), r == ' ':
		case strings.ContainsRune(".-_,'/", r):
		default:
			return query{}, errBadChars
		}
	}
	q := query{Text: strings.Join(strings.Fields(s), " ")}
	q.words = strings.Fields(fold(q.Text))
	return q, nil
}

// fold lowers a text and strips its accents, so that "Petare" finds
// "PETARE" and "caña" finds "CANA".
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// searchIndex finds stations by id (whole or its beginning) and areas by
// the words of their names, built once.
type searchIndex struct {
	ids   []string // every station id, sorted
	areas []searchArea
}

type searchArea struct {
	node *areaNode
	name string // folded: the area's name and its ancestors'
	own  string // folded: the area's name
}

func newSearchIndex(def *election.Definition, t *areaTree) *searchIndex {
	x := &searchIndex{}
	for _, st := range def.Stations {
		x.ids = append(x.ids, st.ID)
	}
	sort.Strings(x.ids)
	for _, a := range def.Areas {
		n := t.nodes[a.Path]
		var names []string
		for _, p := range n.ancestors()[1:] {
			names = append(names, p.Name)
		}
		names = append(names, n.Name)
		x.areas = append(x.areas, searchArea{node: n, name: fold(strings.Join(names, " ")), own: fold(n.Name)})
	}
	return x
}

// hits is what a search found; More says there were more than listed.
type hits struct {
	Stations []string
	Areas    []*areaNode
	More     bool
}

// find returns the stations whose id begins with the query, and the areas
// whose name, with their ancestors', holds every word of it — and whose own
// name holds one, so that a parish's name finds the parish and not each
// area within it.
func (x *searchIndex) find(q query) hits {
	var h hits
	if q.Text == "" {
		return h
	}
	if !strings.Contains(q.Text, " ") {
		i := sort.SearchStrings(x.ids, q.Text)
		for ; i < len(x.ids) && strings.HasPrefix(x.ids[i], q.Text); i++ {
			if len(h.Stations) == maxHits {
				h.More = true
				break
			}
			h.Stations = append(h.Stations, x.ids[i])
		}
	}
	for _, a := range x.areas {
		if !containsAll(a.name, q.words) || !containsAny(a.own, q.words) {
			continue
		}
		if len(h.Areas) == maxHits {
			h.More = true
			break
		}
		h.Areas = append(h.Areas, a.node)
	}
	return h
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return len(words) > 0
}
