package center_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"database/sql"

	"github.com/jackc/pgx/v5"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/store"
	"github.com/triplicate-vote/triplicate/internal/store/storetest"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// finalActa returns the final acta of a station of the fixture, signed by its
// machine, with the given votes for ALBA, BRUNO and CORA.
func finalActa(t testing.TB, f *electiontest.Fixture, station string, votes ...int) []byte {
	st := f.Def.Station(station)
	a := &acta.Acta{
		Election: f.Def.ID, Station: station, Kind: acta.Final, Machine: st.Machine,
		Opened:     time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC),
		Closed:     time.Date(2024, 7, 28, 18, 0, 0, 0, time.UTC),
		Registered: st.Registered, Records: acta.Digest(nil),
		Contests: acta.Blank(f.Def.Ballot(st)),
	}
	for i, v := range votes {
		a.Contests[0].Candidates[i].Votes = v
		a.Ballots += v
	}
	msg, err := acta.Sign(a, f.Machines[station])
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

func openCenter(t testing.TB, f *electiontest.Fixture, dir string) (*center.Center, *httptest.Server) {
	return openCenterStore(t, f, dir, "")
}

// openCenterStore opens a center that keeps its index at index (see
// center.Config.Store).
func openCenterStore(t testing.TB, f *electiontest.Fixture, dir, index string) (*center.Center, *httptest.Server) {
	reg := prometheus.NewRegistry()
	c, err := center.Open(context.Background(), center.Config{
		Election: f.Def, Key: f.Center, Dir: dir, Store: index, AdminToken: "s3cret", Registry: reg,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c.Handler(reg))
	t.Cleanup(func() {
		srv.Close()
		c.Close(context.Background())
	})
	return c, srv
}

type response struct {
	code int
	body []byte
	sub  center.SubmitResponse
}

func post(t testing.TB, url string, body []byte, header ...string) response {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := response{code: resp.StatusCode}
	r.body, _ = io.ReadAll(resp.Body)
	json.Unmarshal(r.body, &r.sub)
	return r
}

func get(t testing.TB, url string, v any) int {
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if v != nil && resp.StatusCode == 200 {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: %v\n%s", url, err, body)
		}
	}
	return resp.StatusCode
}

// eachBackend runs a test with the center's index in each backend: SQLite in
// the data directory (index ""), and a fresh schema of the test PostgreSQL
// (the test is skipped, saying why, if there is none).
func eachBackend(t *testing.T, test func(t *testing.T, index, schema string)) {
	for _, b := range storetest.Backends {
		t.Run(b, func(t *testing.T) {
			var index, schema string
			if b == "postgres" {
				index, schema = storetest.Postgres(t)
			}
			test(t, index, schema)
		})
	}
}

func TestSubmit(t *testing.T) {
	eachBackend(t, func(t *testing.T, index, _ string) { testSubmit(t, index) })
}

func testSubmit(t *testing.T, index string) {
	f := electiontest.New(electiontest.Options{Stations: 3})
	dir := t.TempDir()
	c, srv := openCenterStore(t, f, dir, index)
	submit := srv.URL + "/v1/actas"
	good := finalActa(t, f, "100.1", 6, 3, 1)

	steps := []struct {
		name   string
		body   []byte
		code   int
		status string
		index  uint64
		msg    string
	}{
		{"first acta", good, 200, "accepted", 1, ""},
		{"the same again", good, 200, "duplicate", 1, ""},
		{"cosigned copy", mustCosign(t, good, f), 200, "same-count", 1, ""},
		{"another station", finalActa(t, f, "100.2", 1, 1, 1), 200, "accepted", 2, ""},
		{"a different count", finalActa(t, f, "100.1", 6, 4, 0), 409, "conflict", 3, ""},
		{"that count again", finalActa(t, f, "100.1", 6, 4, 0), 409, "conflict", 3, ""},
		{"empty", nil, 400, "", 0, "empty body"},
		{"garbage", []byte("hello\n"), 400, "", 0, "malformed acta"},
		{"truncated", good[:len(good)-20], 400, "", 0, "malformed acta"},
		{"altered", bytes.Replace(good, []byte("candidate ALBA 6"), []byte("candidate ALBA 7"), 1), 403, "", 0, "does not verify"},
		{"too large", bytes.Repeat([]byte("x"), center.MaxActaBytes+1), 413, "", 0, "too large"},
		{"other election", finalActa(t, electiontest.New(electiontest.Options{Seed: "other", Stations: 3}), "100.3", 1, 0, 0), 403, "", 0, "key not enrolled"},
	}
	for _, s := range steps {
		r := post(t, submit, s.body)
		if r.code != s.code {
			t.Fatalf("%s: status %d, want %d\n%s", s.name, r.code, s.code, r.body)
		}
		if s.status != "" && (r.sub.Status != s.status || r.sub.Index != s.index) {
			t.Fatalf("%s: %+v, want status %s index %d", s.name, r.sub, s.status, s.index)
		}
		if s.msg != "" && !strings.Contains(string(r.body), s.msg) {
			t.Fatalf("%s: %q, want it to say %q", s.name, r.body, s.msg)
		}
	}

	// The station shows its accepted acta and the evidence against its machine.
	var st center.StationResponse
	if code := get(t, srv.URL+"/v1/stations/100.1", &st); code != 200 || !st.Reported || len(st.Actas) != 2 || st.Actas[1].Status != "conflict" {
		t.Fatalf("station 100.1: %d %+v", code, st)
	}
	if resp, err := http.Get(srv.URL + "/v1/stations/100.1?format=csv"); err != nil {
		t.Fatal(err)
	} else {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.HasPrefix(string(body), "station,area,registered,kind,index,status,acta\n100.1,1/100,500,final,1,accepted,") {
			t.Fatalf("station CSV:\n%s", body)
		}
	}
	if code := get(t, srv.URL+"/v1/stations/999", nil); code != 404 {
		t.Errorf("unknown station: %d, want 404", code)
	}

	// Results count the accepted actas only.
	var res center.Result
	if code := get(t, srv.URL+"/v1/results", &res); code != 200 {
		t.Fatalf("results: %d", code)
	}
	if res.StationsReported != 2 || res.StationsExpected != 3 || res.Ballots != 13 || res.Contests[0].Candidates[0].Votes != 7 || res.Contests[0].Null != 0 {
		t.Fatalf("results: %+v", res)
	}
	var area center.Result
	if get(t, srv.URL+"/v1/results/1/100", &area); area.Ballots != 13 || area.Level != "centre" {
		t.Fatalf("results of 1/100: %+v", area)
	}
	if code := get(t, srv.URL+"/v1/results/9", nil); code != 404 {
		t.Errorf("unknown area: %d, want 404", code)
	}

	// A receipt: a published checkpoint signed by the center, and a proof.
	var rc tlog.Receipt
	if code := get(t, srv.URL+"/v1/receipts/1", &rc); code != 200 { // the first acta; entry 0 is the definition
		t.Fatalf("receipt: %d", code)
	}
	v, _ := note.NewVerifier(f.Center.Public)
	cp, _, _, err := log.ParseCheckpoint([]byte(rc.Checkpoint), v.Name(), v)
	if err != nil {
		t.Fatal(err)
	}
	if err := proof.VerifyInclusion(rfc6962.DefaultHasher, 1, cp.Size, rfc6962.DefaultHasher.HashLeaf(good), rc.Proof, cp.Hash); err != nil {
		t.Fatalf("receipt of entry 1: %v", err)
	}
	if code := get(t, srv.URL+"/v1/receipts/99", nil); code != 404 {
		t.Errorf("receipt of an entry beyond the log: %d, want 404", code)
	}
	if code := get(t, srv.URL+"/log/checkpoint", nil); code != 200 {
		t.Errorf("log checkpoint: %d", code)
	}
	if code := get(t, srv.URL+"/metrics", nil); code != 200 {
		t.Errorf("metrics: %d", code)
	}

	// Closing ingest takes the admin token.
	if r := post(t, srv.URL+"/v1/admin/ingest", []byte("closed")); r.code != 401 {
		t.Fatalf("close ingest without the token: %d", r.code)
	}
	if r := post(t, srv.URL+"/v1/admin/ingest", []byte("closed"), "Authorization", "Bearer s3cret"); r.code != 200 {
		t.Fatalf("close ingest: %d %s", r.code, r.body)
	}
	if r := post(t, submit, finalActa(t, f, "100.3", 1, 0, 0)); r.code != 503 {
		t.Fatalf("submit with ingest closed: %d", r.code)
	}
	// Closed it stays, across a restart.
	c.Close(context.Background())
	_, srv = openCenterStore(t, f, dir, index)
	submit = srv.URL + "/v1/actas"
	if r := post(t, submit, finalActa(t, f, "100.3", 1, 0, 0)); r.code != 503 {
		t.Fatalf("submit with ingest closed, after a restart: %d", r.code)
	}
	if r := post(t, srv.URL+"/v1/admin/ingest", []byte("open"), "Authorization", "Bearer s3cret"); r.code != 200 {
		t.Fatalf("open ingest: %d", r.code)
	}
	if r := post(t, submit, finalActa(t, f, "100.3", 1, 0, 0)); r.code != 200 {
		t.Fatalf("submit after reopening: %d", r.code)
	}
}

func mustCosign(t testing.TB, msg []byte, f *electiontest.Fixture) []byte {
	out, err := acta.Cosign(msg, f.Def, f.Witness["pa"])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRebuild checks that the index is derived data: made anew from the log
// alone, or caught up from the log after it was lost, it gives the same
// results and the same decisions.
func TestRebuild(t *testing.T) {
	eachBackend(t, testRebuild)
}

func testRebuild(t *testing.T, index, schema string) {
	ctx := context.Background()
	f := electiontest.New(electiontest.Options{Stations: 40})
	dir := t.TempDir()
	cfg := center.Config{Election: f.Def, Key: f.Center, Dir: dir, Store: index}
	c, err := center.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 40; i++ {
		station := fmt.Sprintf("100.%d", i)
		if _, err := c.Submit(ctx, finalActa(t, f, station, i, 40-i, i%3)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Submit(ctx, finalActa(t, f, "100.7", 1, 1, 1)); err != nil {
		t.Fatal(err)
	}
	want := snapshot(t, c)
	if _, err := center.Rebuild(ctx, cfg); err == nil || !strings.Contains(err.Error(), "is the center running?") {
		t.Fatalf("Rebuild under a running center: %v", err)
	}
	if _, err := center.Open(ctx, cfg); err == nil {
		t.Fatal("a second center opened the same data directory")
	}
	if err := c.Close(ctx); err != nil {
		t.Fatal(err)
	}
	wantRows := rows(t, dir, index)
	if len(wantRows) != 41 || wantRows[40].Status != store.Conflict {
		t.Fatalf("the index has %d rows, want 41 with a conflict last", len(wantRows))
	}

	n, err := center.Rebuild(ctx, cfg)
	if err != nil || n != 41 {
		t.Fatalf("Rebuild: %d entries, %v; want 41", n, err)
	}
	if got := rows(t, dir, index); !reflect.DeepEqual(got, wantRows) {
		t.Fatalf("the rebuilt index differs from the one ingest made")
	}
	c, err = center.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, c); got != want {
		t.Fatalf("after rebuild:\n%s\nwant:\n%s", got, want)
	}
	c.Close(ctx)

	if index == "" {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(filepath.Join(dir, "index.db"+suffix))
		}
	} else {
		storetest.Drop(t, schema)
	}
	c, err = center.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, c); got != want {
		t.Fatalf("after losing the index:\n%s\nwant:\n%s", got, want)
	}
	c.Close(ctx)

	// Gaps, as a crash between the indexer's batches leaves: filled in log
	// order, with the same decisions.
	if index == "" {
		db, err := sql.Open("sqlite", filepath.Join(dir, "index.db"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`DELETE FROM entries WHERE idx IN (3, 6, 20)`); err != nil {
			t.Fatal(err)
		}
		db.Close()
	} else {
		storetest.Exec(t, `DELETE FROM `+pgx.Identifier{schema, "entries"}.Sanitize()+` WHERE idx IN (3, 6, 20)`)
	}
	c, err = center.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, c); got != want {
		t.Fatalf("after gaps in the index:\n%s\nwant:\n%s", got, want)
	}
	c.Close(ctx)
	if got := rows(t, dir, index); !reflect.DeepEqual(got, wantRows) {
		t.Fatalf("the index with its gaps filled differs from the one ingest made")
	}
}

// TestSubmitAbandoned: a machine that hangs up while its acta is being
// logged does not leave an acta in the log that the center ignores.
func TestSubmitAbandoned(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	c, err := center.Open(context.Background(), center.Config{Election: f.Def, Key: f.Center, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out, err := c.Submit(ctx, finalActa(t, f, "100.1", 6, 3, 1))
	if err != nil || out.Status != store.Accepted {
		t.Fatalf("Submit with the caller gone: %+v, %v", out, err)
	}
	out, err = c.Submit(context.Background(), finalActa(t, f, "100.1", 1, 1, 1))
	if err != nil || out.Status != store.Conflict {
		t.Fatalf("a different count afterwards: %+v, %v; want a conflict", out, err)
	}
}

// snapshot is every result and announcement of a center, as JSON.
func snapshot(t *testing.T, c *center.Center) string {
	var b strings.Builder
	for _, area := range []string{"", "1", "1/100"} {
		res, _ := c.Result(context.Background(), area)
		j, _ := json.Marshal(res)
		b.Write(j)
		b.WriteByte('\n')
	}
	// Wait until a checkpoint covers everything, then announce.
	for {
		cp, err := c.Ledger().Published(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if size, _ := c.Ledger().Integrated(context.Background()); cp.Size == size {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	a, err := c.Announce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	a.Checkpoint = "" // its signature and timestamp differ from one run to the next
	j, _ := json.Marshal(a)
	b.Write(j)
	return b.String()
}

// rows returns every row of the index of the center in dir, kept at index
// (see center.Config.Store).
func rows(t *testing.T, dir, index string) []store.Entry {
	if index == "" {
		index = filepath.Join(dir, "index.db")
	}
	s, err := store.Open(context.Background(), index, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var out []store.Entry
	if err := s.Scan(context.Background(), func(e store.Entry) error { out = append(out, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPostgresLikeSQLite ingests the same actas, in the same order, through
// a center with its index in SQLite and one with it in PostgreSQL: every
// answer, station page, index row and result is the same, before and after
// a restart that loads each from its index.
func TestPostgresLikeSQLite(t *testing.T) {
	index, _ := storetest.Postgres(t)
	const n = 60
	f := electiontest.New(electiontest.Options{Stations: n})
	var actas [][]byte
	for i := 1; i <= n; i++ {
		station := fmt.Sprintf("100.%d", i)
		a := finalActa(t, f, station, i, n-i, i%7)
		actas = append(actas, a)
		switch i % 10 {
		case 0:
			actas = append(actas, a) // a duplicate
		case 3:
			actas = append(actas, mustCosign(t, a, f)) // the same count
		case 7:
			actas = append(actas, finalActa(t, f, station, 1, 2, 3)) // a conflict, logged as evidence
		}
	}
	type side struct {
		dir, index string
		answers    []string
		pages      []string
		snapshot   string
		rows       []store.Entry
	}
	sides := []*side{{dir: t.TempDir()}, {dir: t.TempDir(), index: index}}
	for _, s := range sides {
		c, srv := openCenterStore(t, f, s.dir, s.index)
		for _, a := range actas {
			r := post(t, srv.URL+"/v1/actas", a)
			s.answers = append(s.answers, fmt.Sprint(r.code, " ", string(r.body)))
		}
		for i := 1; i <= n; i++ {
			var st center.StationResponse
			code := get(t, fmt.Sprintf("%s/v1/stations/100.%d", srv.URL, i), &st)
			j, _ := json.Marshal(st)
			s.pages = append(s.pages, fmt.Sprint(code, " ", string(j)))
		}
		srv.Close()
		if err := c.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		c, _ = openCenterStore(t, f, s.dir, s.index)
		s.snapshot = snapshot(t, c)
		c.Close(context.Background())
		s.rows = rows(t, s.dir, s.index)
	}
	sq, pg := sides[0], sides[1]
	if !reflect.DeepEqual(sq.answers, pg.answers) {
		t.Fatalf("the centers answered differently:\n%v\n%v", sq.answers, pg.answers)
	}
	if !reflect.DeepEqual(sq.pages, pg.pages) {
		t.Fatalf("the centers' station pages differ:\n%v\n%v", sq.pages, pg.pages)
	}
	if sq.snapshot != pg.snapshot {
		t.Fatalf("the centers' results differ:\n%s\n%s", sq.snapshot, pg.snapshot)
	}
	if len(sq.rows) != n+n/10 || !reflect.DeepEqual(sq.rows, pg.rows) {
		for i := range min(len(sq.rows), len(pg.rows)) {
			if !reflect.DeepEqual(sq.rows[i], pg.rows[i]) {
				t.Errorf("row %d: SQLite %+v, PostgreSQL %+v", i, sq.rows[i], pg.rows[i])
				break
			}
		}
		t.Fatalf("the indexes differ: %d rows in SQLite, %d in PostgreSQL, %d wanted", len(sq.rows), len(pg.rows), n+n/10)
	}
}

func TestStoreNotPostgres(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	_, err := center.Open(context.Background(), center.Config{Election: f.Def, Key: f.Center, Dir: t.TempDir(), Store: "index.db"})
	if err == nil || !strings.Contains(err.Error(), "want a postgres://") {
		t.Fatalf("Open with a store that is not a PostgreSQL URL: %v", err)
	}
}
