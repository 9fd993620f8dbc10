package center

// Static publication: for each published checkpoint the center writes the
// results as files that never change once written, so that an object store
// or a CDN can serve a country's readers instead of the center:
//
//	DATA/public/results/SIZE/index.json          the whole election (GET /v1/results)
//	DATA/public/results/SIZE/areas/AREA.json     each jurisdiction (GET /v1/results/AREA)
//	DATA/public/results/SIZE/announced.json      the per-station figures (GET /v1/announced)
//	DATA/public/results/latest.json              the latest SIZE and its checkpoint (mutable)
//
// SIZE is the checkpoint's size, and the files are the results of exactly the
// log entries before it. A SIZE directory is written whole under a temporary
// name, every file and directory synced, and then renamed into place, so a
// crash never leaves a partial one visible; latest.json is replaced
// atomically after it. Only the last PublishKeep sizes are kept.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/ledger"
)

const (
	// DefaultPublishKeep is how many published sizes' result files are kept
	// unless Config.PublishKeep says otherwise.
	DefaultPublishKeep = 20
	// DefaultPublishInterval is the least time between two publications
	// unless Config.PublishInterval says otherwise.
	DefaultPublishInterval = 5 * time.Second
	// publishShare is how many times as long as the last publication took
	// the center waits before the next, at least: a publication writes the
	// figures of every station (some 1.5 KB each in announced.json), so that
	// at a country's size it takes seconds, and publishing must not take
	// more than a fifth of the center's time from ingest.
	publishShare = 4
)

// Cache-Control of the public files.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheLatest    = "public, max-age=5" // about one publication interval
)

// Latest is DATA/public/results/latest.json: the latest publication.
type Latest struct {
	Election   string `json:"election"`
	Size       uint64 `json:"size"`       // the checkpoint's size
	Path       string `json:"path"`       // the publication's directory, relative to /public/: results/SIZE/
	Checkpoint string `json:"checkpoint"` // the published, cosigned checkpoint
}

// A publisher writes the results' static files of each published
// checkpoint and serves them.
type publisher struct {
	def    *election.Definition
	ledger *ledger.Ledger
	dec    *decider
	log    *slog.Logger

	mu       sync.Mutex // one publication at a time
	dir      string     // DATA/public/results
	root     *os.Root   // DATA/public, served under /public/
	keep     int
	interval time.Duration
	latest   uint64 // the size latest.json names, if any
	any      bool   // latest.json was written by this process
	stop     chan struct{}
	done     chan struct{}
}

// startPublisher starts publishing the results' files in cfg.Dir/public as
// cfg says, until close.
func startPublisher(cfg Config, lg *ledger.Ledger, dec *decider, log *slog.Logger) (*publisher, error) {
	keep, interval := cfg.PublishKeep, cfg.PublishInterval
	if keep <= 0 {
		keep = DefaultPublishKeep
	}
	if interval == 0 {
		interval = DefaultPublishInterval
	}
	dir := filepath.Join(cfg.Dir, "public", "results")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(filepath.Join(cfg.Dir, "public"))
	if err != nil {
		return nil, err
	}
	p := &publisher{def: cfg.Election, ledger: lg, dec: dec, log: log,
		dir: dir, root: root, keep: keep, interval: interval, stop: make(chan struct{}), done: make(chan struct{})}
	if interval < 0 {
		close(p.done) // only Publish publishes
		return p, nil
	}
	go p.loop()
	return p, nil
}

// loop publishes whenever the published size has changed, at most once an
// interval, and waiting publishShare times as long as the last publication
// took if that is longer, until close.
func (p *publisher) loop() {
	defer close(p.done)
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
		}
		start := time.Now()
		if _, err := p.publish(context.Background()); err != nil && !errors.Is(err, errStopped) {
			p.log.Warn("publishing the results' files", "err", err)
		}
		t.Reset(max(p.interval, publishShare*time.Since(start)))
	}
}

func (p *publisher) close() {
	close(p.stop)
	<-p.done
	p.root.Close()
}

var errStopped = errors.New("the center is closing")

// Publish writes the results' files of the latest published checkpoint, if
// they are not written yet, and points latest.json at them. The center does
// this in the background; Publish does it now.
func (c *Center) Publish(ctx context.Context) (*Latest, error) {
	return c.pub.publish(ctx)
}

// publish is Publish, one at a time; after close it returns errStopped.
func (p *publisher) publish(ctx context.Context) (*Latest, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.stop:
		return nil, errStopped
	default:
	}
	cp, err := p.ledger.Published(ctx)
	if err != nil {
		return nil, err
	}
	latest := &Latest{Election: p.def.ID, Size: cp.Size, Path: fmt.Sprintf("results/%d/", cp.Size), Checkpoint: string(cp.Raw)}
	final := filepath.Join(p.dir, strconv.FormatUint(cp.Size, 10))
	if _, err := os.Stat(final); errors.Is(err, fs.ErrNotExist) {
		if err := p.writeResults(ctx, cp.Size, string(cp.Raw), final); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	} else if p.any && p.latest == cp.Size {
		return latest, nil
	}
	var buf bytes.Buffer
	encode(&buf, latest)
	if err := durable.WriteFile(filepath.Join(p.dir, "latest.json"), buf.Bytes(), 0o644); err != nil {
		return nil, err
	}
	p.latest, p.any = cp.Size, true
	p.prune()
	return latest, nil
}

// writeResults writes the results of the first size log entries into a
// temporary directory and renames it to final.
func (p *publisher) writeResults(ctx context.Context, size uint64, checkpoint, final string) error {
	snap := p.dec.reportedIn(size)
	r := newResults(p.def)
	for _, i := range snap {
		r.add(p.dec.figures, i)
	}
	tmp, err := os.MkdirTemp(p.dir, ".tmp-"+strconv.FormatUint(size, 10)+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // nothing left once renamed
	// MkdirTemp makes it 0o700: a web server running as another user must
	// read it.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	// The files, encoded and written by a few workers: fsync waits for the
	// disk, not the processor.
	type file struct {
		name  string // relative to tmp, slash-separated
		v     any
		write func(io.Writer) error // instead of v
	}
	files := make(chan file, 64)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for f := range files {
				write := f.write
				if write == nil {
					buf.Reset()
					encode(&buf, f.v)
					write = func(w io.Writer) error {
						_, err := w.Write(buf.Bytes())
						return err
					}
				}
				if err := writeSynced(filepath.Join(tmp, filepath.FromSlash(f.name)), write); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	dirs := map[string]bool{"": true, "areas": true}
	err = os.Mkdir(filepath.Join(tmp, "areas"), 0o755)
	areas := make([]string, 0, len(r.areas))
	for a := range r.areas {
		areas = append(areas, a)
	}
	slices.Sort(areas) // parents before children
	for _, a := range areas {
		if err != nil {
			break
		}
		res, _ := r.result(a)
		name := "index.json"
		if a != "" {
			name = "areas/" + a + ".json"
			if d := path.Dir(name); !dirs[d] {
				err = os.MkdirAll(filepath.Join(tmp, filepath.FromSlash(d)), 0o755)
				dirs[d] = true
			}
		}
		files <- file{name: name, v: res}
	}
	if err == nil {
		files <- file{name: "announced.json", write: func(w io.Writer) error {
			return p.dec.figures.writeAnnounced(w, size, checkpoint, snap)
		}}
	}
	close(files)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errs:
		default:
		}
	}
	for d := range dirs {
		if err == nil {
			err = durable.SyncDir(filepath.Join(tmp, filepath.FromSlash(d)))
		}
	}
	if err != nil {
		return fmt.Errorf("writing the results at log size %d: %w", size, err)
	}
	return durable.Rename(tmp, final)
}

// prune removes all but the last keep sizes, and any temporary directory a
// crash left behind.
func (p *publisher) prune() {
	ents, err := os.ReadDir(p.dir)
	if err != nil {
		p.log.Warn("pruning the results' files", "err", err)
		return
	}
	var sizes []uint64
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			os.RemoveAll(filepath.Join(p.dir, e.Name()))
		} else if n, err := strconv.ParseUint(e.Name(), 10, 64); err == nil && e.IsDir() {
			sizes = append(sizes, n)
		}
	}
	slices.Sort(sizes)
	for len(sizes) > p.keep {
		if sizes[0] != p.latest {
			if err := os.RemoveAll(filepath.Join(p.dir, strconv.FormatUint(sizes[0], 10))); err != nil {
				p.log.Warn("pruning the results' files", "err", err)
			}
		}
		sizes = sizes[1:]
	}
}

// encode writes v as the API does.
func encode(buf *bytes.Buffer, v any) {
	enc := json.NewEncoder(buf)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// writeSynced makes a file with what write writes, synced.
func writeSynced(name string, write func(io.Writer) error) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// publicPath matches the files served under /public/: latest.json and the
// files of a publication. Area ids never begin with a dot, so no name here
// is a temporary file or climbs out.
var publicPath = regexp.MustCompile(`^results/(latest\.json|[0-9]+/(index|announced)\.json|[0-9]+/areas/` +
	areaID + `(/` + areaID + `)*\.json)$`)

// areaID matches an area's id (election.ValidID).
const areaID = `[A-Za-z0-9][A-Za-z0-9._-]{0,63}`

// servePublic serves DATA/public read-only: the publications' files,
// cacheable for ever, and latest.json, cacheable for a few seconds.
func (p *publisher) serve(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/public/")
	if !publicPath.MatchString(name) {
		http.Error(w, "no such public file: "+name, http.StatusNotFound)
		return
	}
	f, err := p.root.Open(filepath.FromSlash(name))
	if err != nil {
		http.Error(w, "no such public file: "+name, http.StatusNotFound)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.IsDir() {
		http.Error(w, "no such public file: "+name, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if name == "results/latest.json" {
		w.Header().Set("Cache-Control", cacheLatest)
	} else {
		w.Header().Set("Cache-Control", cacheImmutable)
	}
	http.ServeContent(w, r, "", fi.ModTime(), f)
}
