// Package strictjson reads JSON one way only, so that what triplicate reads
// from a JSON file is what jq, Python and a browser read from it too: a
// member's name must match its field's exactly (encoding/json folds case,
// so {"votes": 4, "Votes": 40} is 40 to it and 4 to others), a name given
// twice in one object is refused (readers disagree on which counts), a
// member that no field takes is refused, and the input is a single JSON
// value of valid UTF-8.
//
// It is a thin layer over github.com/go-json-experiment/json, whose
// defaults are already strict in the first two ways, with errors that say
// the line.
package strictjson

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Unmarshal reads data, one JSON value, into v. Its error names the line
// and, where known, the member (as a JSON pointer) that failed.
func Unmarshal(data []byte, v any) error {
	return explain(data, json.Unmarshal(data, v, json.RejectUnknownMembers(true)))
}

// UnmarshalPart is Unmarshal for a reader of part of a format that another
// program owns: members that no field takes are skipped. Names still match
// exactly, and a name given twice is still refused.
func UnmarshalPart(data []byte, v any) error {
	return explain(data, json.Unmarshal(data, v))
}

// explain says what err is, and where in data.
func explain(data []byte, err error) error {
	if err == nil {
		return nil
	}
	var (
		offset  int64 = -1
		pointer jsontext.Pointer
		what    string
	)
	var syn *jsontext.SyntacticError
	var sem *json.SemanticError
	switch {
	case errors.As(err, &syn):
		offset, pointer, what = syn.ByteOffset, syn.JSONPointer, syn.Err.Error()
		if strings.Contains(what, "after top-level value") {
			what = "more after the end of the JSON value"
		}
	case errors.As(err, &sem):
		offset, pointer = sem.ByteOffset, sem.JSONPointer
		switch {
		case errors.Is(sem.Err, json.ErrUnknownName):
			what = fmt.Sprintf("unknown field %q", pointer.LastToken())
			pointer = pointer.Parent()
		case sem.Err != nil:
			what = sem.Err.Error()
		case sem.JSONKind != 0 && sem.GoType != nil:
			what = fmt.Sprintf("a JSON %s where a %s goes", sem.JSONKind, goKind(sem.GoType.String()))
		default:
			what = err.Error()
		}
	default:
		return err
	}
	var b bytes.Buffer
	if offset >= 0 && offset <= int64(len(data)) {
		fmt.Fprintf(&b, "line %d: ", 1+bytes.Count(data[:offset], []byte("\n")))
	}
	if pointer != "" {
		fmt.Fprintf(&b, "%s: ", pointer)
	}
	b.WriteString(what)
	return errors.New(b.String())
}

// goKind names a Go type as a JSON reader would think of it.
func goKind(t string) string {
	switch t {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "number"
	}
	return t
}
