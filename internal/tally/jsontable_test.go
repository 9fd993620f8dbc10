package tally

import (
	"testing"
)

func TestReadTableJSON(t *testing.T) {
	def := csvMultiDef()
	m := mustMapping(t, "station=centre+table,registered=reg,president.ALBA=alba,president.blank=blank", def)
	tb := Table{Name: "t.json", Layout: LayoutJSON, Mapping: m}
	t.Run("array", func(t *testing.T) {
		in := "[\n" +
			`{"centre": "100", "table": 1, "reg": 500, "alba": "12", "blank": 0, "name": {"x": [1]}},` + "\n" +
			`{"centre": 100, "table": "2", "reg": " 400 ", "alba": 3, "blank": 1, "note": null}` + "\n]\n"
		checkTable(t, in, tb, def, []tableRow{
			{"object 1 (line 2)", "100.1", fig100(500, csvU, 12, csvU, csvU, 0)},
			{"object 2 (line 3)", "100.2", fig100(400, csvU, 3, csvU, csvU, 1)},
		}, nil, nil)
	})
	t.Run("json lines", func(t *testing.T) {
		in := `{"centre":"100","table":"1","reg":500,"alba":12,"blank":0}` + "\r\n" +
			`{"centre":"100","table":"2","reg":400,"alba":3,"blank":1}` + "\n"
		checkTable(t, "\uFEFF"+in, tb, def, []tableRow{
			{"object 1 (line 1)", "100.1", fig100(500, csvU, 12, csvU, csvU, 0)},
			{"object 2 (line 2)", "100.2", fig100(400, csvU, 3, csvU, csvU, 1)},
		}, nil, nil)
	})
	t.Run("bad objects", func(t *testing.T) {
		in := "[\n" +
			`{"centre":"100","table":"1","reg":500,"alba":12.5,"blank":0},` + "\n" +
			`{"centre":"100","table":"1","reg":500,"alba":-1,"blank":0},` + "\n" +
			`{"centre":"100","table":"1","reg":500,"Alba":1,"blank":0},` + "\n" +
			`{"centre":"100","table":"1","reg":null,"alba":1,"blank":0},` + "\n" +
			`{"centre":"100","table":"9","reg":1,"alba":1,"blank":0},` + "\n" +
			`{"centre":"100","table":"2","reg":1,"alba":1,"blank":0}` + "\n]"
		checkTable(t, in, tb, def, []tableRow{{"object 6 (line 7)", "100.2", fig100(1, csvU, 1, csvU, csvU, 0)}}, []string{
			`t.json:2: object 1: key alba: "12.5" is not a count`,
			`t.json:3: object 2: key alba: "-1" is not a count`,
			`t.json:4: object 3: no key alba`,
			`t.json:5: object 4: key reg: a JSON null, not a number or a string`,
			`t.json:6: object 5: station "100.9" not in the election`,
		}, nil)
	})
	t.Run("twice", func(t *testing.T) {
		in := `{"centre":"100","table":"1","reg":500,"alba":1,"blank":0}` + "\n" +
			`{"centre":"0100","table":"01","reg":500,"alba":1,"blank":0}` + "\n"
		tb := tb
		tb.IDs = IDRule{TrimZeros: true}
		checkTable(t, in, tb, def, nil, []string{
			"t.json:2: station 100.1 given twice, at object 1 (line 1) and object 2 (line 2): its rows from this file are dropped",
		}, nil)
	})
	t.Run("duplicate key", func(t *testing.T) {
		// Readers disagree on which of two "alba" counts: refused, and the
		// stream cannot go on.
		in := `{"centre":"100","table":"2","reg":1,"alba":1,"blank":0}` + "\n" +
			`{"centre":"100","table":"1","reg":500,` + "\n" + `"alba":1,"alba":2,"blank":0}` + "\n"
		checkTable(t, in, tb, def, []tableRow{{"object 1 (line 1)", "100.2", fig100(1, csvU, 1, csvU, csvU, 0)}}, []string{
			`t.json: line 3: name "alba" given twice in one object`,
		}, nil)
	})
	t.Run("syntax", func(t *testing.T) {
		checkTable(t, "[\n{\"centre\":\"100\",\n\"table\" 1}]", tb, def, nil, []string{`t.json: line 3: invalid character '1' after object name (expecting ':')`}, nil)
		checkTable(t, "[1]", tb, def, nil, []string{`t.json: line 1: a JSON number where an object goes`}, nil)
		checkTable(t, "", tb, def, nil, []string{`t.json: no objects`}, nil)
		checkTable(t, "[]", tb, def, nil, []string{`t.json: no objects`}, nil)
		checkTable(t, "[{\"centre\":1}", tb, def, nil, []string{`t.json:1: object 1: no keys table, reg, alba, blank`, `t.json: line 1: the JSON ends too soon`}, nil)
		checkTable(t, "{\"centre\":\"\xe9\"}", tb, def, nil, []string{`t.json: line 1: invalid UTF-8 (Latin-1? declare encoding = "latin-1")`}, nil)
	})
	t.Run("latin-1", func(t *testing.T) {
		m := mustMapping(t, "station=mesa,president.ALBA=Núñez", def)
		checkTable(t, "{\"mesa\":\"100.1\",\"N\xfa\xf1ez\":4}", Table{Name: "t.json", Layout: LayoutJSON, Mapping: m, Encoding: "latin-1"}, def,
			[]tableRow{{"object 1 (line 1)", "100.1", fig100(csvU, csvU, 4)}}, nil, nil)
	})
}
