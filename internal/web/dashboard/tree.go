package dashboard

import (
	"strings"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// areaTree is the election's jurisdiction tree, built once: each area's
// child areas and, at the deepest level, its stations.
type areaTree struct {
	nodes map[string]*areaNode // by path; "" is the whole election
}

type areaNode struct {
	Path     string
	Name     string
	Level    string // "" for the whole election
	Parent   *areaNode
	Children []*areaNode // in definition order
	Stations []string    // ids of the stations in the area itself, in definition order
}

func newAreaTree(def *election.Definition) *areaTree {
	t := &areaTree{nodes: map[string]*areaNode{"": {Name: def.Name}}}
	for _, a := range def.Areas {
		t.add(def, a.Path)
	}
	for _, st := range def.Stations {
		n := t.add(def, st.Area)
		n.Stations = append(n.Stations, st.ID)
	}
	return t
}

// add returns the node of an area, adding it and its ancestors if new.
func (t *areaTree) add(def *election.Definition, path string) *areaNode {
	if n := t.nodes[path]; n != nil {
		return n
	}
	parent := ""
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		parent = path[:i]
	}
	p := t.add(def, parent)
	n := &areaNode{Path: path, Name: path, Parent: p}
	if a := def.Area(path); a != nil {
		n.Name = a.Name
	}
	if depth := strings.Count(path, "/"); depth < len(def.Levels) {
		n.Level = def.Levels[depth]
	}
	p.Children = append(p.Children, n)
	t.nodes[path] = n
	return n
}

// ancestors returns the areas above a node, outermost (the election) first.
func (n *areaNode) ancestors() []*areaNode {
	var out []*areaNode
	for p := n.Parent; p != nil; p = p.Parent {
		out = append([]*areaNode{p}, out...)
	}
	return out
}

// URL is the area's page.
func (n *areaNode) URL() string {
	if n.Path == "" {
		return "/"
	}
	return "/areas/" + n.Path
}

// levelName is a jurisdiction level's name in the page's language: the
// levels definitions commonly use are translated, any other is shown as
// the definition writes it.
func levelName(l *page.Page, level string) string {
	switch level {
	case "state":
		return l.T("state")
	case "municipality":
		return l.T("municipality")
	case "parish":
		return l.T("parish")
	case "centre":
		return l.T("centre")
	}
	return level
}
