package center

import "github.com/triplicate-vote/triplicate/internal/store"

// WrapIndex has the center opened with c stand wrap between itself and its
// index, so that a test can make the index's writes fail.
func WrapIndex(c *Config, wrap func(store.Index) store.Index) { c.testingOnly.wrapIndex = wrap }

// HoldBundle stands for a reader whose signed announcements are being
// written, until the returned function is called.
func HoldBundle(c *Center) (release func()) {
	c.bundling <- struct{}{}
	return func() { <-c.bundling }
}
