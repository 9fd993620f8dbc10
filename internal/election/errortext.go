package election

import (
	"fmt"
	"io"
)

// WriteText writes the list for a person reading the definition file: one
// error a line, where it is first, as a compiler says it
// ("FILE:LINE: station ID: message").
func (l ErrorList) WriteText(w io.Writer, file string) error {
	for _, e := range l {
		where := file
		if e.Line > 0 {
			where = fmt.Sprintf("%s:%d", where, e.Line)
		}
		if e.Station != "" {
			where += ": station " + e.Station
		}
		if _, err := fmt.Fprintf(w, "%s: %s\n", where, e.Msg); err != nil {
			return err
		}
	}
	return nil
}
