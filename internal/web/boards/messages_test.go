package boards

import (
	"testing"

	"github.com/triplicate-vote/triplicate/internal/web/page/pagetest"
)

// Every message that the boards' templates and handlers translate has its
// Spanish.
func TestEverythingTranslated(t *testing.T) {
	pagetest.CheckTranslated(t, spanish)
}
