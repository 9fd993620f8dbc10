package ledger

import (
	"context"
	"time"
)

// SetPublicClock gives a slow feed a clock of the test's.
func SetPublicClock(c *PublicConfig, now func() time.Time, sleepUntil func(context.Context, time.Time) error) {
	c.testingOnly.now, c.testingOnly.sleepUntil = now, sleepUntil
}
