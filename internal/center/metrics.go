package center

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/store"
)

type metrics struct {
	actas   *prometheus.CounterVec
	rejects *prometheus.CounterVec
	latency prometheus.Histogram
	logSize prometheus.Gauge
	// indexDown is 1 while the index is unavailable and ingest paused.
	indexDown prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		actas: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "triplicate_center_actas_total",
			Help: "Actas submitted and decided, by what the center made of them.",
		}, []string{"status"}),
		rejects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "triplicate_center_rejected_total",
			Help: "Actas refused before they were logged, by reason.",
		}, []string{"reason"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "triplicate_center_submit_seconds",
			Help:    "Time to decide a submitted acta, logging it durably if need be.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}),
		logSize: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "triplicate_center_log_entries",
			Help: "Entries in the log, published or not.",
		}),
		indexDown: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "triplicate_center_index_unavailable",
			Help: "1 while the index's database is unavailable and ingest is paused, else 0.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.actas, m.rejects, m.latency, m.logSize, m.indexDown)
	}
	return m
}

func (m *metrics) submitted(s store.Status, d time.Duration) {
	m.actas.WithLabelValues(string(s)).Inc()
	m.latency.Observe(d.Seconds())
}

func (m *metrics) rejected(err error) {
	reason := "other"
	for _, r := range []struct {
		err  error
		name string
	}{
		{acta.ErrMalformed, "malformed"}, {acta.ErrImpossible, "impossible"},
		{acta.ErrMismatch, "mismatch"}, {acta.ErrNotEnrolled, "not-enrolled"},
		{acta.ErrSignature, "signature"}, {acta.ErrUnknownSigner, "unknown-signer"},
	} {
		if errors.Is(err, r.err) {
			reason = r.name
			break
		}
	}
	m.rejects.WithLabelValues(reason).Inc()
}
