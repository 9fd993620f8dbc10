package announced

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// version is the body's first line.
const version = "triplicate announced v1"

// Marshal returns the announcement's body in its one encoding. It refuses
// an announcement that Parse would not read back the same.
func (s *Announcement) Marshal() ([]byte, error) {
	var b strings.Builder
	b.WriteString(version + "\n")
	line := func(k, v string) { b.WriteString(k + " " + v + "\n") }
	line("election", s.Election)
	line("definition", hex.EncodeToString(s.Definition[:]))
	line("size", strconv.FormatUint(s.Size, 10))
	line("root", hex.EncodeToString(s.Root[:]))
	line("station", s.Station)
	line("index", strconv.FormatUint(s.Index, 10))
	line("registered", strconv.Itoa(s.Registered))
	line("ballots", strconv.Itoa(s.Ballots))
	for _, c := range s.Contests {
		line("contest", c.ID)
		for _, x := range c.Candidates {
			line("candidate", x.ID+" "+strconv.Itoa(x.Votes))
		}
		line("blank", strconv.Itoa(c.Blank))
		line("null", strconv.Itoa(c.Null))
	}
	body := b.String()
	back, err := Parse([]byte(body))
	if err != nil {
		return nil, fmt.Errorf("announcement of station %q: %v", s.Station, err)
	}
	if len(back.Contests) != len(s.Contests) {
		return nil, fmt.Errorf("announcement of station %q: does not read back", s.Station)
	}
	return []byte(body), nil
}
