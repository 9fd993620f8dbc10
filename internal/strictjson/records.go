package strictjson

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// Record is one flat JSON object of a stream that [Records] reads.
type Record struct {
	N       int // 1 for the first object
	Line    int // the line where it starts
	Members []Member
}

// Member is one member of a [Record].
type Member struct {
	Name string
	// Kind is the value's first byte as JSON writes it: '"' a string, '0' a
	// number, 'n' null, 't' or 'f' a boolean, '{' or '[' a nested value,
	// which is not kept.
	Kind  byte
	Value string // a string's text, or a number's literal as written
	Line  int
}

// Records reads a stream of flat JSON objects — one array of them, or JSON
// Lines (objects one after the other) — without holding the stream, and
// calls fn with each in order; the Record is reused for the next. As
// everywhere in this package, a name given twice in one object is refused
// (readers disagree on which counts), and so is invalid UTF-8. A syntax
// error ends the reading and is returned naming its line; so is fn's error.
func Records(r io.Reader, fn func(*Record) error) error {
	lr := &lineReader{r: r}
	dec := jsontext.NewDecoder(lr)
	fail := func(err error) error {
		var syn *jsontext.SyntacticError
		if errors.As(err, &syn) {
			what := syn.Err.Error()
			if errors.Is(err, jsontext.ErrDuplicateName) {
				what = fmt.Sprintf("name %q given twice in one object", syn.JSONPointer.LastToken())
			}
			return fmt.Errorf("line %d: %s", lr.line(syn.ByteOffset), what)
		}
		if err == io.ErrUnexpectedEOF {
			return fmt.Errorf("line %d: the JSON ends too soon", lr.line(dec.InputOffset()))
		}
		return err
	}
	var rec Record
	array := false
	for first := true; ; first = false {
		if first {
			if dec.PeekKind() == '[' {
				if _, err := dec.ReadToken(); err != nil {
					return fail(err)
				}
				array = true
			}
		}
		if array && dec.PeekKind() == ']' {
			if _, err := dec.ReadToken(); err != nil {
				return fail(err)
			}
			if _, err := dec.ReadToken(); err != io.EOF {
				return fmt.Errorf("line %d: more after the end of the array", lr.line(dec.InputOffset()))
			}
			return nil
		}
		tok, err := dec.ReadToken()
		if err == io.EOF && !array {
			return nil
		}
		if err != nil {
			return fail(err)
		}
		if tok.Kind() != '{' {
			return fmt.Errorf("line %d: a JSON %s where an object goes", lr.line(dec.InputOffset()-1), kindName(tok.Kind()))
		}
		rec.N++
		rec.Line = lr.line(dec.InputOffset() - 1)
		rec.Members = rec.Members[:0]
		for dec.PeekKind() != '}' {
			name, err := dec.ReadToken()
			if err != nil {
				return fail(err)
			}
			m := Member{Name: name.String(), Kind: byte(dec.PeekKind())}
			switch m.Kind {
			case '{', '[':
				if err := dec.SkipValue(); err != nil {
					return fail(err)
				}
			default:
				v, err := dec.ReadToken()
				if err != nil {
					return fail(err)
				}
				m.Value = v.String()
			}
			m.Line = lr.line(dec.InputOffset() - 1)
			rec.Members = append(rec.Members, m)
		}
		if _, err := dec.ReadToken(); err != nil {
			return fail(err)
		}
		if err := fn(&rec); err != nil {
			return err
		}
	}
}

func kindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "string"
	case '0':
		return "number"
	case '[':
		return "array"
	case 'n':
		return "null"
	case 't', 'f':
		return "boolean"
	}
	return strings.TrimSpace(k.String())
}

// lineReader reads r and keeps where each line starts, to say the line of
// an offset.
type lineReader struct {
	r     io.Reader
	n     int64
	start []int64 // offsets of the lines after the first
}

func (l *lineReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for b := p[:n]; ; {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			break
		}
		l.start = append(l.start, l.n+int64(n-len(b)+i+1))
		b = b[i+1:]
	}
	l.n += int64(n)
	return n, err
}

// line returns the line (from 1) of the byte at an offset.
func (l *lineReader) line(off int64) int {
	return 1 + sort.Search(len(l.start), func(i int) bool { return l.start[i] > off })
}
