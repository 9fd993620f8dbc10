//go:build !race

package printtest

// Race is true under -race, which makes the image work of the
// scanning tests ten times slower: they then scan fewer sheets.
const Race = false
