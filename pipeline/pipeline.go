// Package pipeline joins tidewatch's stages: it takes the posts the crawler
// finds through classification into the store, and from the store into the
// search index. The crawl, serve and demo commands all use it, so that no
// command holds orchestration of its own.
//
// The store is the source of truth. Every insert or change of a post bumps
// its seq; the index records the highest seq it holds (its watermark), and
// catches up by indexing every post above the watermark, in seq order. That
// one rule covers a normal Put, a process killed between the store commit
// and the index write, and an index rebuilt from nothing.
//
// A data directory holds:
//
//	tidewatch.db   the store (SQLite)
//	index.bleve/   the search index, derived and rebuildable
//	warc/          the evidence, WARC files
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"tidewatch/classify"
	"tidewatch/crawler"
	"tidewatch/evidence"
	"tidewatch/index"
	"tidewatch/store"
)

// Names inside the data directory.
const (
	DBFile   = "tidewatch.db"
	IndexDir = "index.bleve"
	WARCDir  = "warc"
)

// Options configure a Pipeline. The zero value works.
type Options struct {
	// Retention is how long a post is kept after it was last seen; Purge
	// deletes older ones. 0 keeps posts forever.
	Retention time.Duration
	// BatchSize is the number of posts per index batch; 0 means 500.
	BatchSize int
	// Queue is the number of index batches read ahead from the store while
	// the index writes; 0 means 2.
	Queue int
	// SkipCatchUp leaves the index as Open finds it, for a caller about to
	// Reindex anyway.
	SkipCatchUp bool
	// Classifier scores posts; nil means the one built in
	// (classify.New with its embedded lexicons, model and thresholds).
	Classifier *classify.Classifier
	// Crawler settings passed on to every crawl.
	UserAgent    string // "" means the seeds file's, then seeds.DefaultUserAgent
	IgnoreRobots bool   // tests and benchmarks only
	// Registerer receives the crawler's metrics; nil registers none.
	Registerer prometheus.Registerer
	// Logger receives progress and problems, never post text; nil logs nothing.
	Logger *slog.Logger
	// Now is the clock for retention; nil means time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.BatchSize <= 0 {
		o.BatchSize = 500
	}
	if o.Queue <= 0 {
		o.Queue = 2
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Pipeline is an open data directory with every stage wired. Its methods
// are safe for concurrent use.
type Pipeline struct {
	dir   string
	opts  Options
	log   *slog.Logger
	store *store.Store
	cls   *classify.Classifier
	warc  *evidence.Writer

	// idx is guarded by idxMu for swapping (Reindex); catchMu serialises
	// catch-ups, so the watermark only moves forward.
	idxMu   sync.RWMutex
	idx     *index.Index
	catchMu sync.Mutex

	putMu sync.Mutex // see Put

	closeOnce sync.Once
	closeErr  error

	mu        sync.Mutex
	crawlers  map[string]*crawler.Crawler // by user agent
	changed   map[string]int              // posts changed since Open, by source
	accounted map[string]int              // changed[source] when its last run was recorded
	progress  func(crawler.Progress)
}

// Open opens the data directory dir, creating it (mode 0700) if absent and
// narrowing an existing one to 0700. It opens the store, the classifier, the
// evidence writer and the index; an index that cannot be opened is moved
// aside and rebuilt from the store. Then the index catches up with the store.
func Open(ctx context.Context, dir string, opts Options) (*Pipeline, error) {
	opts = opts.withDefaults()
	p := &Pipeline{
		dir:       dir,
		opts:      opts,
		log:       opts.Logger,
		crawlers:  map[string]*crawler.Crawler{},
		changed:   map[string]int{},
		accounted: map[string]int{},
	}
	if err := p.open(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("pipeline: open %s: %w", dir, err)
	}
	return p, nil
}

func (p *Pipeline) open(ctx context.Context) error {
	if err := privateDir(p.dir, p.log); err != nil {
		return err
	}
	var err error
	if p.store, err = store.Open(ctx, filepath.Join(p.dir, DBFile)); err != nil {
		return err
	}
	if p.cls = p.opts.Classifier; p.cls == nil {
		if p.cls, err = classify.New(classify.Options{}); err != nil {
			return err
		}
	}
	if p.warc, err = evidence.Create(filepath.Join(p.dir, WARCDir), evidence.Options{}); err != nil {
		return err
	}
	if err := p.openIndex(ctx); err != nil {
		return err
	}
	if n, err := p.store.CountStale(ctx, p.cls.Version()); err != nil {
		return err
	} else if n > 0 {
		p.log.Warn("posts were scored by another classifier version; tidewatch rescore scores them again", "posts", n, "classifier", p.cls.Version())
	}
	if p.opts.SkipCatchUp {
		return nil
	}
	start := time.Now()
	n, err := p.catchUp(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		p.log.Info("index caught up with the store", "posts", n, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// privateDir creates dir with mode 0700, or narrows an existing one to it:
// the data directory holds evidence and personal data.
func privateDir(dir string, log *slog.Logger) error {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		if err := os.Chmod(dir, perm&0o700); err != nil {
			return fmt.Errorf("narrowing mode %v: %w", perm, err)
		}
		log.Warn("data directory was open to other users; narrowed", "dir", dir, "was", perm.String())
	}
	return nil
}

// Close closes every stage; later calls return the first one's result. The
// pipeline must not be used afterwards.
func (p *Pipeline) Close() error {
	p.closeOnce.Do(func() { p.closeErr = p.close() })
	return p.closeErr
}

func (p *Pipeline) close() error {
	var errs []error
	p.idxMu.Lock()
	if p.idx != nil {
		errs = append(errs, p.idx.Close())
		p.idx = nil
	}
	p.idxMu.Unlock()
	if p.warc != nil {
		errs = append(errs, p.warc.Close())
	}
	if p.store != nil {
		errs = append(errs, p.store.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("pipeline: close %s: %w", p.dir, err)
	}
	return nil
}

// Dir is the data directory.
func (p *Pipeline) Dir() string { return p.dir }

// Store is the store, for the web layer and the commands that read it.
func (p *Pipeline) Store() *store.Store { return p.store }

// Index is the search index. Reindex replaces it: do not keep the result
// across a Reindex.
func (p *Pipeline) Index() *index.Index {
	p.idxMu.RLock()
	defer p.idxMu.RUnlock()
	return p.idx
}

// Classifier is the classifier the pipeline scores posts with.
func (p *Pipeline) Classifier() *classify.Classifier { return p.cls }

// Evidence is the WARC writer the crawler records exchanges with.
func (p *Pipeline) Evidence() *evidence.Writer { return p.warc }

// Purge deletes the posts last seen longer ago than Options.Retention, from
// the store and then from the index, and returns how many. With no
// retention it deletes nothing.
func (p *Pipeline) Purge(ctx context.Context) (int, error) {
	if p.opts.Retention <= 0 {
		return 0, nil
	}
	before := p.opts.Now().Add(-p.opts.Retention)
	ids, err := p.store.Purge(ctx, before)
	if err != nil {
		return 0, fmt.Errorf("pipeline: purge: %w", err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	// A crash here leaves purged posts in the index; Open finds the counts
	// differ and rebuilds it.
	idx := p.Index()
	if idx == nil {
		return len(ids), errors.New("pipeline: purge: index closed")
	}
	if err := idx.Delete(ctx, ids); err != nil {
		return len(ids), fmt.Errorf("pipeline: purge: index: %w", err)
	}
	p.log.Info("purged posts past retention", "posts", len(ids), "last_seen_before", before.UTC().Format(time.RFC3339))
	return len(ids), nil
}

// exists reports whether a path exists.
func exists(path string) (bool, error) {
	_, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}
