package simulate

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/center"
)

// Stage is one stage of the pipeline: how many items it finished and the
// time its workers were busy (summed over workers), and its wall time from
// its first item's start to its last's end.
type Stage struct {
	Name  string
	Total int64
	Done  atomic.Int64
	Busy  atomic.Int64 // nanoseconds, summed over workers
	first atomic.Int64 // unix nanoseconds
	last  atomic.Int64
}

func (s *Stage) begin() time.Time {
	now := time.Now()
	s.first.CompareAndSwap(0, now.UnixNano())
	return now
}

func (s *Stage) end(start time.Time) {
	now := time.Now()
	s.Busy.Add(int64(now.Sub(start)))
	s.Done.Add(1)
	s.last.Store(now.UnixNano())
}

// Wall is the stage's wall time, first start to last end.
func (s *Stage) Wall() time.Duration {
	f, l := s.first.Load(), s.last.Load()
	if f == 0 || l < f {
		return 0
	}
	return time.Duration(l - f)
}

// A pipeline takes every station's acta from its generation to the
// center's published log through bounded queues, a stage's workers each;
// the first error of any stage stops them all.
type pipeline struct {
	ctx     context.Context
	cancel  context.CancelFunc
	n       int
	stages  []*Stage // generate, vote, sign, cosign, transmit, log
	errOnce sync.Once
	err     error // the first error, once the pipeline is stopped
}

// item is one station's acta on its way through the pipeline.
type item struct {
	i   int
	a   *acta.Acta
	msg []byte
}

// queueDepth is how many items wait between two stages, at most.
const queueDepth = 256

func newPipeline(ctx context.Context, cancel context.CancelFunc, n int) *pipeline {
	p := &pipeline{ctx: ctx, cancel: cancel, n: n}
	for _, name := range []string{"generate", "vote", "sign", "cosign", "transmit", "log"} {
		p.stages = append(p.stages, &Stage{Name: name, Total: int64(n)})
	}
	return p
}

// fail stops the pipeline with err, if it is the first.
func (p *pipeline) fail(err error) {
	p.errOnce.Do(func() { p.err = err; p.cancel() })
}

// start starts every stage up to the transmission to the center at url,
// and returns a channel closed once every acta is transmitted.
func (p *pipeline) start(e *StreamElection, url string, senders int) <-chan struct{} {
	gen, vote, sign, cosign := p.stages[0], p.stages[1], p.stages[2], p.stages[3]
	genc, votec, signc, cosc := make(chan item, queueDepth), make(chan item, queueDepth), make(chan item, queueDepth), make(chan item, queueDepth)
	go func() {
		defer close(genc)
		for i := range p.n {
			t := gen.begin()
			gen.end(t)
			select {
			case genc <- item{i: i}:
			case <-p.ctx.Done():
				return
			}
		}
	}()
	workers := runtime.GOMAXPROCS(0)
	p.run(workers, genc, votec, func(it *item) error {
		t := vote.begin()
		it.a = e.finalActa(it.i)
		vote.end(t)
		return nil
	})
	p.run(workers, votec, signc, func(it *item) error {
		t := sign.begin()
		msg, err := e.sign(it.i, it.a)
		it.a, it.msg = nil, msg
		sign.end(t)
		return err
	})
	p.run(workers, signc, cosc, func(it *item) error {
		t := cosign.begin()
		msg, err := e.cosign(it.msg)
		it.msg = msg
		cosign.end(t)
		return err
	})
	return p.transmit(e, cosc, url, senders)
}

// run runs k workers that apply fn to each item of in and pass it to out
// (if not nil), closed once they are done.
func (p *pipeline) run(k int, in <-chan item, out chan<- item, fn func(*item) error) {
	var wg sync.WaitGroup
	for range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range in {
				if p.ctx.Err() != nil {
					continue // drain
				}
				if err := fn(&it); err != nil {
					p.fail(err)
					continue
				}
				if out != nil {
					select {
					case out <- it:
					case <-p.ctx.Done():
					}
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		if out != nil {
			close(out)
		}
	}()
}

// transmit posts every acta of in to the center at url, by senders
// concurrent senders, and returns a channel closed once they are done.
func (p *pipeline) transmit(e *StreamElection, in <-chan item, url string, senders int) <-chan struct{} {
	send := p.stages[4]
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: senders}}
	sent := make(chan struct{})
	var wg sync.WaitGroup
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range in {
				if p.ctx.Err() != nil {
					continue
				}
				t := send.begin()
				if _, err := Post(p.ctx, client, url, it.msg); err != nil {
					p.fail(fmt.Errorf("station %s: %w", e.Def.Stations[it.i].ID, err))
					continue
				}
				send.end(t)
			}
		}()
	}
	go func() { wg.Wait(); close(sent) }()
	return sent
}

// waitLogged is the log stage: it follows what the center's log has
// integrated, drawing the progress, until every acta is transmitted and a
// published checkpoint covers them all, and returns its size; or until the
// pipeline stops, and returns 0.
func (p *pipeline) waitLogged(c *center.Center, sent <-chan struct{}, prog *progress) uint64 {
	logged := p.stages[5]
	logged.first.Store(time.Now().UnixNano())
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	sentDone := false
	for {
		select {
		case <-sent:
			sentDone = true
			sent = nil
		case <-tick.C:
		case <-p.ctx.Done():
		}
		if p.ctx.Err() != nil {
			return 0
		}
		size, err := c.Ledger().Integrated(p.ctx)
		if err != nil {
			p.fail(err)
			return 0
		}
		logged.Done.Store(int64(max(size, 1) - 1)) // actas: entry 0 is the definition
		logged.last.Store(time.Now().UnixNano())
		prog.draw(p.stages)
		if sentDone {
			cp, err := c.Ledger().Published(p.ctx)
			if err != nil {
				p.fail(err)
				return 0
			}
			if cp.Size == uint64(p.n)+1 { // the actas and entry 0, the definition
				return cp.Size
			}
		}
	}
}

// progress draws the pipeline's progress: on a terminal one line per stage,
// redrawn; otherwise nothing until the summary lines.
type progress struct {
	w        io.Writer
	terminal bool
	start    time.Time
	drawn    int
}

func (p *progress) printf(format string, args ...any) {
	if p.w == nil {
		return
	}
	fmt.Fprintf(p.w, "%6.1fs  "+format+"\n", append([]any{time.Since(p.start).Seconds()}, args...)...)
}

func (p *progress) draw(stages []*Stage) {
	if p.w == nil || !p.terminal {
		return
	}
	var b strings.Builder
	if p.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", p.drawn)
	}
	for _, s := range stages {
		done := s.Done.Load()
		frac := 0.0
		if s.Total > 0 {
			frac = float64(done) / float64(s.Total)
		}
		const width = 30
		bar := strings.Repeat("█", int(frac*width)) + strings.Repeat("·", width-int(frac*width))
		rate := 0.0
		if f := s.first.Load(); f > 0 {
			el := time.Since(time.Unix(0, f)).Seconds()
			if done == s.Total {
				el = s.Wall().Seconds()
			}
			if el > 0 {
				rate = float64(done) / el
			}
		}
		fmt.Fprintf(&b, "\x1b[2K%-9s %s %9d/%d %5.1f%% %9.0f/s\n", s.Name, bar, done, s.Total, 100*frac, rate)
	}
	p.drawn = len(stages)
	io.WriteString(p.w, b.String())
}

// finish draws the last state of the bars, which stay on the terminal.
func (p *progress) finish(stages []*Stage) {
	p.draw(stages)
	p.drawn = 0
}
