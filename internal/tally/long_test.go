package tally

import (
	"testing"
)

func TestReadTableLong(t *testing.T) {
	def := csvMultiDef()
	labels := LongMapping{
		Station: []string{"mesa"}, Contest: "cargo", Choice: "opcion", Votes: "votos",
		Contests: map[string]string{"Presidente": "president", "Alcalde": "mayor", "Senado": "contest2"},
		Choices: map[string]string{
			"Alba": "president.ALBA", "Bruno": "president.BRUNO", "Cora": "president.CORA",
			"Xavi": "mayor.XAVI", "Yara": "mayor.YARA",
			"EN BLANCO": "blank", "NULOS": "null", "INSCRITOS": "registered", "VOTANTES": "ballots",
		},
	}
	tb := Table{Name: "l.csv", Layout: LayoutLong, Long: labels}
	head := "mesa,cargo,opcion,votos\n"
	mayor := func(f []int32, v ...int32) []int32 {
		f = append(f, csvU, csvU, csvU, csvU)
		copy(f[12:], v)
		return f
	}
	t.Run("good", func(t *testing.T) {
		// 100.1's rows are not together; blank is of each row's contest;
		// registered comes with whatever contest.
		in := head +
			"100.1,Presidente,Alba,10\n" +
			"100.1,Presidente,Bruno,20\n" +
			"200.1,Alcalde,Xavi,5\n" +
			"100.1,Presidente,EN BLANCO,1\n" +
			"200.1,Alcalde,EN BLANCO,2\n" +
			"100.1,Presidente,INSCRITOS,500\n" +
			"100.1,,VOTANTES,31\r\n" +
			"200.1,Presidente,Cora,7\n"
		checkTable(t, in, tb, def, []tableRow{
			{"line 2", "100.1", fig100(500, 31, 10, 20, csvU, 1)},
			{"line 4", "200.1", mayor(fig100(csvU, csvU, csvU, csvU, 7), 5, csvU, 2)},
		}, nil, []string{
			`l.csv: contest label "Senado" (contest contest2) is in the mapping but in no row`,
			`l.csv: choice label "NULOS" (null) is in the mapping but in no row`,
			`l.csv: choice label "Yara" (mayor.YARA) is in the mapping but in no row`,
		})
	})
	t.Run("bad labels once", func(t *testing.T) {
		in := head +
			"100.1,Presidente,Alba,10\n" +
			"100.1,Presidente,Zoe,1\n" +
			"100.2,Presidente,Zoe,2\n" +
			"100.2,Gobernador,Alba,2\n" +
			"100.1,Gobernador,Alba,2\n" +
			"100.1,Alcalde,Xavi,3\n" +
			"100.1,Alcalde,Alba,3\n"
		checkTable(t, in, tb, def, []tableRow{
			{"line 2", "100.1", fig100(csvU, csvU, 10)},
		}, []string{
			`l.csv:3: column opcion: "Zoe" is not in the mapping's choices`,
			`l.csv:5: column cargo: contest "Gobernador" is not in the mapping's contests`,
			`l.csv:7: contest mayor is not on the ballot of station 100.1`,
			`l.csv:8: column opcion: "Alba" is of contest president, in a row of contest mayor`,
		}, []string{
			`l.csv: contest label "Senado" (contest contest2) is in the mapping but in no row`,
			`l.csv: choice label "Bruno" (president.BRUNO) is in the mapping but in no row`,
			`l.csv: choice label "Cora" (president.CORA) is in the mapping but in no row`,
			`l.csv: choice label "EN BLANCO" (blank) is in the mapping but in no row`,
			`l.csv: choice label "INSCRITOS" (registered) is in the mapping but in no row`,
			`l.csv: choice label "NULOS" (null) is in the mapping but in no row`,
			`l.csv: choice label "VOTANTES" (ballots) is in the mapping but in no row`,
			`l.csv: choice label "Yara" (mayor.YARA) is in the mapping but in no row`,
		})
	})
	t.Run("figure twice", func(t *testing.T) {
		// Even with the same count: the station's rows are all dropped.
		in := head +
			"100.1,Presidente,Alba,10\n" +
			"100.2,Presidente,Alba,4\n" +
			"100.1,Presidente,Bruno,20\n" +
			"100.1,Presidente,Alba,10\n" +
			"100.1,Presidente,Alba,11\n"
		rows, errs, _ := ReadTable(stringsReader(in), tb, def)
		if g := rowsOf(rows); len(g) != 1 || g[0].station != "100.2" {
			t.Errorf("rows %v, want 100.2's only", g)
		}
		want := []string{"l.csv:5: station 100.1: president.ALBA given twice, on lines 2 and 5: its rows from this file are dropped"}
		if g := errStrings(errs); len(g) != 1 || g[0] != want[0] {
			t.Errorf("errors %q, want %q", g, want)
		}
	})
	t.Run("bad rows", func(t *testing.T) {
		in := head +
			"100.1,Presidente,Alba,-3\n" +
			"100.1,Presidente,Bruno,1.5\n" +
			"100.1,Presidente,Cora,007\n" +
			"100.9,Presidente,Cora,7\n" +
			",Presidente,Cora,7\n" +
			"100.1,Presidente,Cora\n" +
			"100.1,Presidente,Cora,7\n"
		checkTable(t, in, tb, def, []tableRow{{"line 8", "100.1", fig100(csvU, csvU, csvU, csvU, 7)}}, []string{
			`l.csv:2: column votos: "-3" is not a count`,
			`l.csv:3: column votos: "1.5" is not a count`,
			`l.csv:4: column votos: "007" is not a count (leading zero)`,
			`l.csv:5: station "100.9" not in the election`,
			`l.csv:6: column mesa: empty cell (the station id)`,
			`l.csv:7: 3 fields, but the header has 4`,
		}, []string{
			`l.csv: contest label "Alcalde" (contest mayor) is in the mapping but in no row`,
			`l.csv: contest label "Senado" (contest contest2) is in the mapping but in no row`,
			`l.csv: choice label "EN BLANCO" (blank) is in the mapping but in no row`,
			`l.csv: choice label "INSCRITOS" (registered) is in the mapping but in no row`,
			`l.csv: choice label "NULOS" (null) is in the mapping but in no row`,
			`l.csv: choice label "VOTANTES" (ballots) is in the mapping but in no row`,
			`l.csv: choice label "Xavi" (mayor.XAVI) is in the mapping but in no row`,
			`l.csv: choice label "Yara" (mayor.YARA) is in the mapping but in no row`,
		})
	})
	t.Run("missing columns", func(t *testing.T) {
		checkTable(t, "mesa,opcion,votes\n", tb, def, nil, []string{"l.csv:1: header has no columns cargo, votos"}, nil)
	})
	t.Run("ids as labels", func(t *testing.T) {
		// No maps: labels are the definition's ids; a composite station.
		m := LongMapping{Station: []string{"c", "m"}, Contest: "contest", Choice: "choice", Votes: "n"}
		in := "c,m,contest,choice,n\n" +
			"100,1,president,ALBA,3\n" +
			"100,1,contest2,null,4\n" +
			"100,1,president,registered,9\n" +
			"100,1,president,contest2.CORA,5\n" +
			"100,1,president,ZED,5\n" +
			"100,1,mayor,XAVI,5\n" +
			"100,1,senate,ALBA,5\n"
		checkTable(t, in, Table{Name: "l.csv", Layout: LayoutLong, Long: m}, def,
			[]tableRow{{"line 2", "100.1", []int32{9, csvU, 3, csvU, csvU, csvU, csvU, csvU, csvU, csvU, csvU, 4}}},
			[]string{
				`l.csv:5: column choice: "contest2.CORA" is of contest contest2, in a row of contest president`,
				`l.csv:6: column choice: "ZED" is not a candidate, blank, null, registered or ballots`,
				`l.csv:7: contest mayor is not on the ballot of station 100.1`,
				`l.csv:8: column contest: "senate" is not a contest of the election`,
			}, nil)
	})
	t.Run("one contest no column", func(t *testing.T) {
		one := csvVE2024().Def
		m := LongMapping{Station: []string{"mesa"}, Choice: "c", Votes: "v", Choices: map[string]string{"Edmundo": "EG", "Nulos": "null"}}
		st := one.Stations[0].ID
		in := "mesa,c,v\n" + st + ",Edmundo,100\n" + st + ",Nulos,3\n"
		rows, errs, warns := ReadTable(stringsReader(in), Table{Name: "ve.csv", Layout: LayoutLong, Long: m}, one)
		if len(errs) > 0 || len(warns) > 0 || len(rows) != 1 {
			t.Fatalf("rows %v errors %q warnings %q", rowsOf(rows), errStrings(errs), warns)
		}
		f := rows[0].Figures
		if f.Votes[0] != 100 || f.Votes[len(f.Votes)-1] != 3 || f.Votes[1] != csvU {
			t.Errorf("figures %v", f)
		}
	})
	t.Run("bare label several contests", func(t *testing.T) {
		m := LongMapping{Station: []string{"mesa"}, Choice: "c", Votes: "v"}
		checkTable(t, "mesa,c,v\n100.1,ALBA,1\n", Table{Name: "l.csv", Layout: LayoutLong, Long: m}, def, nil,
			[]string{`l.csv:2: column c: "ALBA" names no contest, and the election has 3: map it to CONTEST.ALBA or name the contest column`}, nil)
	})
	t.Run("bad mapping", func(t *testing.T) {
		m := labels
		m.Choices = map[string]string{"X": "president.ZED"}
		checkTable(t, head, Table{Name: "l.csv", Layout: LayoutLong, Long: m}, def, nil,
			[]string{`l.csv: long mapping: choice label X: unknown figure president.ZED (want CONTEST.CANDIDATE, CANDIDATE, blank, null, registered or ballots)`}, nil)
		m = labels
		m.Contests = map[string]string{"P": "presidency"}
		checkTable(t, head, Table{Name: "l.csv", Layout: LayoutLong, Long: m}, def, nil,
			[]string{`l.csv: long mapping: contest label P maps to unknown contest presidency`}, nil)
	})
	t.Run("latin-1", func(t *testing.T) {
		m := labels
		m.Choices = map[string]string{"Alba Núñez": "president.ALBA"}
		in := head + "100.1,Presidente,Alba N\xfa\xf1ez,3\n"
		checkTable(t, in, Table{Name: "l.csv", Layout: LayoutLong, Long: m, Encoding: "latin-1"}, def,
			[]tableRow{{"line 2", "100.1", fig100(csvU, csvU, 3)}}, nil,
			[]string{`l.csv: contest label "Alcalde" (contest mayor) is in the mapping but in no row`, `l.csv: contest label "Senado" (contest contest2) is in the mapping but in no row`})
		checkTable(t, in, Table{Name: "l.csv", Layout: LayoutLong, Long: m}, def, nil,
			[]string{`l.csv:2: column opcion: not UTF-8 (Latin-1? declare encoding = "latin-1")`},
			[]string{
				`l.csv: contest label "Alcalde" (contest mayor) is in the mapping but in no row`,
				`l.csv: contest label "Presidente" (contest president) is in the mapping but in no row`,
				`l.csv: contest label "Senado" (contest contest2) is in the mapping but in no row`,
				`l.csv: choice label "Alba Núñez" (president.ALBA) is in the mapping but in no row`,
			})
	})
}
