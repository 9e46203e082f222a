package search

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/signpost-uk/signpost/directory"
)

// Index states, as /healthz reports them.
const (
	StateReady      = "ready"
	StateRebuilding = "rebuilding"
)

// Keys kept inside the bleve index.
var (
	keyLastSeq        = []byte("signpost:last_seq")
	keyMappingVersion = []byte("signpost:mapping_version")
)

// Options configures Open.
type Options struct {
	Logger *slog.Logger
	// PollInterval is how often the change log is checked; default 200 ms, so
	// an edit is searchable well within a second.
	PollInterval time.Duration
	// BatchSize is how many services go into one index batch; default 500.
	BatchSize int
	// ResultCache is how many search results are kept for repeated searches;
	// default 2000, negative for none. A result is only ever served for the
	// index state it was computed on.
	ResultCache int
}

// Index is the search index of one directory store.
type Index struct {
	store *directory.Store
	dir   string
	vocab *Vocab
	opts  Options
	log   *slog.Logger

	mu       sync.RWMutex
	idx      bleve.Index // nil until the first build has finished
	engine   *engine     // bitmaps and coordinates of idx's segments
	topNeeds []string    // the top-level needs, the category facet's values
	state    atomic.Value
	lastSeq  atomic.Uint64
	gen      atomic.Uint64 // changes whenever what a search would find may change
	results  *lru[*Result]
	wake     chan struct{}
	done     chan struct{}
	stop     context.CancelFunc
}

// Open opens the index in dir, or starts rebuilding it from the store when it
// is missing, unreadable or built with another mapping version. It returns at
// once; Searcher answers from the store until the index is ready. Run follows
// the change log until ctx ends; Close stops it.
func Open(ctx context.Context, dir string, store *directory.Store, opts Options) (*Index, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.PollInterval == 0 {
		opts.PollInterval = 200 * time.Millisecond
	}
	if opts.BatchSize == 0 {
		opts.BatchSize = 500
	}
	if opts.ResultCache == 0 {
		opts.ResultCache = 2000
	}
	v, err := DefaultVocab()
	if err != nil {
		return nil, err
	}
	x := &Index{store: store, dir: dir, vocab: v, opts: opts, log: opts.Logger, wake: make(chan struct{}, 1), done: make(chan struct{}),
		engine: newEngine(), results: newLRU[*Result](max(0, opts.ResultCache))}
	x.gen.Store(1)
	for _, n := range v.Needs {
		if n.Parent == "" {
			x.topNeeds = append(x.topNeeds, n.ID)
		}
	}
	x.state.Store(StateRebuilding)
	idx, seq, why := openExisting(dir)
	if idx != nil {
		x.idx = idx
		x.lastSeq.Store(seq)
		x.state.Store(StateReady)
	} else {
		x.log.Info("search index will be rebuilt from the store", "reason", why, "dir", dir)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	x.stop = cancel
	go x.run(runCtx)
	return x, nil
}

// openExisting opens an index that is usable as it is, or says why not.
func openExisting(dir string) (bleve.Index, uint64, string) {
	if _, err := os.Stat(dir); err != nil {
		return nil, 0, "no index yet"
	}
	idx, err := bleve.OpenUsing(dir, map[string]interface{}{"bolt_timeout": "1s"})
	if err != nil {
		return nil, 0, "unreadable: " + err.Error()
	}
	version, err := idx.GetInternal(keyMappingVersion)
	if err != nil || string(version) != MappingVersion() {
		idx.Close()
		return nil, 0, fmt.Sprintf("mapping version %q, this binary needs %q", version, MappingVersion())
	}
	raw, err := idx.GetInternal(keyLastSeq)
	if err != nil || len(raw) != 8 {
		idx.Close()
		return nil, 0, "no record of the last applied change"
	}
	if _, err := idx.DocCount(); err != nil {
		idx.Close()
		return nil, 0, "unreadable: " + err.Error()
	}
	return idx, binary.BigEndian.Uint64(raw), ""
}

// Generation changes whenever the index changes, so anything derived from a
// search can be cached against it.
func (x *Index) Generation() uint64 { return x.gen.Load() }

// State is "ready" or "rebuilding".
func (x *Index) State() string { return x.state.Load().(string) }

// LastApplied is the change-log sequence the index has applied up to.
func (x *Index) LastApplied() uint64 { return x.lastSeq.Load() }

// Notify asks the follower to look at the change log now.
func (x *Index) Notify() {
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// Close stops following and closes the index.
func (x *Index) Close() error {
	x.stop()
	<-x.done
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.idx != nil {
		err := x.idx.Close()
		x.idx = nil
		return err
	}
	return nil
}

func (x *Index) run(ctx context.Context) {
	defer close(x.done)
	if x.State() == StateRebuilding {
		start := time.Now()
		if err := x.rebuild(ctx); err != nil {
			if ctx.Err() == nil {
				x.log.Error("search index rebuild failed; searches keep using the store", "err", err)
			}
			return
		}
		x.log.Info("search index rebuilt", "seconds", time.Since(start).Seconds())
	}
	tick := time.NewTicker(x.opts.PollInterval)
	defer tick.Stop()
	for {
		if err := x.CatchUp(ctx); err != nil && ctx.Err() == nil {
			x.log.Error("search index update failed; will retry", "err", err)
		}
		if err := x.warm(); err != nil && ctx.Err() == nil {
			x.log.Warn("search index: reading coordinates ahead failed; searches will read them", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-x.wake:
		}
	}
}

// rebuild builds a new index from the store beside the old one, then swaps it in.
func (x *Index) rebuild(ctx context.Context) error {
	x.state.Store(StateRebuilding)
	// Changes made while building are replayed afterwards, from here.
	from, err := x.store.LastChange(ctx)
	if err != nil {
		return err
	}
	tmp := x.dir + ".building"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(x.dir), 0o750); err != nil {
		return err
	}
	idx, err := bleve.NewUsing(tmp, buildMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, map[string]interface{}{"bolt_timeout": "1s"})
	if err != nil {
		return fmt.Errorf("create index: %w", err)
	}
	// Reading the store and building documents overlaps with bleve's
	// indexing of the previous batch.
	type prepared struct {
		ids  []string
		docs []map[string]any
		err  error
	}
	batches := make(chan prepared, 2)
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	go func() {
		defer close(batches)
		after := ""
		for readCtx.Err() == nil {
			services, err := x.store.ServicesAfter(readCtx, after, rebuildBatch)
			if err != nil {
				batches <- prepared{err: err}
				return
			}
			if len(services) == 0 {
				return
			}
			p := prepared{ids: make([]string, len(services)), docs: make([]map[string]any, len(services))}
			for i, s := range services {
				p.ids[i], p.docs[i] = s.ID, x.document(s)
			}
			select {
			case batches <- p:
			case <-readCtx.Done():
				return
			}
			after = services[len(services)-1].ID
		}
	}()
	for p := range batches {
		if p.err == nil {
			p.err = ctx.Err()
		}
		if p.err == nil {
			b := idx.NewBatch()
			for i, id := range p.ids {
				if err := b.Index(id, p.docs[i]); err != nil {
					p.err = err
					break
				}
			}
			if p.err == nil {
				p.err = idx.Batch(b)
			}
		}
		if p.err != nil {
			stopReading()
			for range batches { // let the reader finish
			}
			idx.Close()
			return p.err
		}
	}
	if err := ctx.Err(); err != nil {
		idx.Close()
		return err
	}
	b := idx.NewBatch()
	b.SetInternal(keyMappingVersion, []byte(MappingVersion()))
	b.SetInternal(keyLastSeq, seqBytes(from))
	if err := idx.Batch(b); err != nil {
		idx.Close()
		return err
	}
	// One segment answers faster than the dozen a bulk load leaves behind.
	if adv, err := idx.Advanced(); err == nil {
		if sc, ok := adv.(*scorch.Scorch); ok {
			if err := sc.ForceMerge(ctx, nil); err != nil && ctx.Err() == nil {
				x.log.Warn("search index: merging its segments failed; it still works, a little slower", "err", err)
			}
		}
	}
	if err := idx.Close(); err != nil {
		return err
	}

	x.mu.Lock()
	defer x.mu.Unlock()
	if x.idx != nil {
		x.idx.Close()
		x.idx = nil
	}
	old := x.dir + ".old"
	os.RemoveAll(old)
	if err := os.Rename(x.dir, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, x.dir); err != nil {
		return err
	}
	os.RemoveAll(old)
	opened, err := bleve.OpenUsing(x.dir, map[string]interface{}{"bolt_timeout": "1s"})
	if err != nil {
		return err
	}
	x.idx = opened
	x.engine = newEngine()
	x.lastSeq.Store(from)
	x.gen.Add(1)
	x.state.Store(StateReady)
	return nil
}

// rebuildBatch is how many services go into one index batch of a rebuild:
// bigger than a follower's batch, as fewer, larger segments merge less.
const rebuildBatch = 1000

func seqBytes(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return b[:]
}

// CatchUp applies every change-log entry after the last applied one, in
// order and in batches; each batch records its last sequence in the index, so
// a crash replays at most the batch it was in.
func (x *Index) CatchUp(ctx context.Context) error {
	if x.State() != StateReady {
		return nil
	}
	for {
		from := x.lastSeq.Load()
		changes, err := x.store.ChangesSince(ctx, from, 1000)
		if err != nil || len(changes) == 0 {
			return err
		}
		services := map[string]bool{}
		for _, ch := range changes {
			switch ch.Kind {
			case directory.KindService:
				services[ch.ID] = true
			case directory.KindOrganization, directory.KindLocation, directory.KindTaxonomy:
				// The services showing the organisation's name, the location's
				// place or the term's name are indexed again.
				var ids []string
				var err error
				switch ch.Kind {
				case directory.KindOrganization:
					ids, err = x.store.ServiceIDsOfOrganization(ctx, ch.ID)
				case directory.KindLocation:
					ids, err = x.store.ServiceIDsAtLocation(ctx, ch.ID)
				default:
					ids, err = x.store.ServiceIDsWithTerm(ctx, ch.ID)
				}
				if err != nil {
					return err
				}
				for _, id := range ids {
					services[id] = true
				}
			}
		}
		x.mu.RLock()
		idx := x.idx
		b := idx.NewBatch()
		for id := range services {
			s, err := x.store.ServiceDetail(ctx, id)
			switch {
			case directory.ErrorCode(err) == directory.ENOTFOUND:
				b.Delete(id)
			case err != nil:
				x.mu.RUnlock()
				return err
			default:
				if err := b.Index(id, x.document(s)); err != nil {
					x.mu.RUnlock()
					return err
				}
			}
		}
		last := changes[len(changes)-1].Seq
		b.SetInternal(keyLastSeq, seqBytes(last))
		err = idx.Batch(b)
		x.mu.RUnlock()
		if err != nil {
			return err
		}
		x.lastSeq.Store(last)
		x.gen.Add(1)
	}
}

// warm reads ahead what the filter engine needs of the current snapshot's
// segments (coordinates), so that the first search near a place after a
// rebuild or a merge does not pay for it.
func (x *Index) warm() error {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.idx == nil {
		return nil
	}
	adv, err := x.idx.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	return x.engine.view(snap).readPoints()
}

// WaitReady blocks until the index is ready (or ctx ends).
func (x *Index) WaitReady(ctx context.Context) error {
	for x.State() != StateReady {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-x.done:
			if x.State() != StateReady {
				return errors.New("the search index could not be built; see the log")
			}
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}
