package center

import (
	"context"
	"fmt"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/store"
)

// What the dashboard's pages (package web/dashboard) read of a center, besides
// Result and Ledger.

// Election returns the definition of the center's election.
func (c *Center) Election() *election.Definition { return c.def }

// Station returns what the center has of a station: its actas in the log, in
// log order, and what was made of each, once the index holds every entry
// decided so far. It is what GET /v1/stations/{id} answers.
func (c *Center) Station(ctx context.Context, id string) (*StationResponse, error) {
	st := c.def.Station(id)
	if st == nil {
		return nil, fmt.Errorf("%w: election %s has no station %q", errNotFound, c.def.ID, id)
	}
	if err := c.idx.sync(ctx); err != nil {
		return nil, err
	}
	entries, err := c.store.Station(ctx, id)
	if err != nil {
		return nil, err
	}
	resp := &StationResponse{Station: id, Area: st.Area, Registered: st.Registered, Actas: []StationEntry{}}
	for _, a := range c.def.AreaPath(st.Area) {
		resp.Place = append(resp.Place, a.Name)
	}
	for _, e := range entries {
		resp.Actas = append(resp.Actas, StationEntry{Kind: e.Kind, Index: e.Index, Status: string(e.Status), Acta: string(e.Acta)})
		resp.Reported = resp.Reported || e.Kind == string(acta.Final) && e.Status == store.Accepted
	}
	return resp, nil
}

// StationEntries returns how many log entries of a station the center has
// decided: what a page of the station shows changes only with it, so the
// page can be kept until it does without asking the index.
func (c *Center) StationEntries(id string) int {
	i := c.def.StationIndex(id)
	if i < 0 {
		return 0
	}
	return c.dec.stationEntries(i)
}

// Reported reports whether a station has an accepted final acta.
func (c *Center) Reported(id string) bool {
	return c.dec.reported(id)
}
