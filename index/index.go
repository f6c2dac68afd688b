package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bolterrors "go.etcd.io/bbolt/errors"
	"golang.org/x/sync/errgroup"
)

// Outcomes callers branch on.
var (
	// ErrCorrupt: the directory exists but holds no usable index (torn
	// write, missing segment, another mapping version). Move it aside and
	// rebuild from the store.
	ErrCorrupt = errors.New("index corrupt or unreadable")
	// ErrLocked: another process has the index open for writing.
	ErrLocked = errors.New("index in use by another process")
	// ErrQuery: the search request is malformed; the message says why.
	ErrQuery = errors.New("bad query")
	// ErrNotFound: no post with that ID in the index.
	ErrNotFound = errors.New("post not in index")
	// ErrReadOnly: a write on an index opened with Options.ReadOnly.
	ErrReadOnly = errors.New("index opened read-only")
)

// Error records a failed operation on the index in Dir.
type Error struct {
	Op, Dir string
	Err     error
}

func (e *Error) Error() string { return "index: " + e.Op + " " + e.Dir + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Options configures an Index. The zero value is a writable index with the
// defaults below.
type Options struct {
	// ReadOnly opens an existing index for searching only; Open fails with
	// an error wrapping fs.ErrNotExist when there is none.
	ReadOnly bool
	// BatchSize is the number of posts per Bleve batch in Put and Feed.
	// 0 means 1000, which with two writers indexed about 8000 posts/s on
	// 2 cores in BenchmarkIndexThroughput (20k posts).
	BatchSize int
	// Writers is the number of batches Put and Feed write at once: Bleve
	// builds a batch's segment on the calling goroutine, so one writer
	// keeps one core busy. 0 means 2.
	Writers int
	// FlushInterval is the longest a post waits in Feed's partial batch.
	// 0 means 1s.
	FlushInterval time.Duration
	// LockWait is how long Open waits for another process's lock before
	// failing with ErrLocked. 0 means 2s.
	LockWait time.Duration
	// PhoneRegions are the regions tried for phone numbers typed without
	// a country code (see NormalizePhone). nil means GB, FR, BE, NL.
	PhoneRegions []string
}

func (o Options) withDefaults() Options {
	if o.BatchSize <= 0 {
		o.BatchSize = 1000
	}
	if o.Writers <= 0 {
		o.Writers = 2
	}
	if o.FlushInterval <= 0 {
		o.FlushInterval = time.Second
	}
	if o.LockWait <= 0 {
		o.LockWait = 2 * time.Second
	}
	if len(o.PhoneRegions) == 0 {
		o.PhoneRegions = defaultPhoneRegions
	}
	return o
}

// Doc is a post as the index sees it. Text is the original text (stored,
// highlighted); NormText is the classifier's normalised form, searched
// beside it so that obfuscated spellings are found.
type Doc struct {
	ID, Platform, Source, URL, Author string
	Text, NormText                    string
	Lang                              string   // primary language; picks the analyzer
	Langs                             []string // every language detected
	Score                             float64  // classifier score in [0,1]
	Label                             string
	Groups                            []string // indicator groups
	Phones                            []string // E.164; other forms are normalised
	Handles                           []string
	Links                             []string
	Published, Fetched                time.Time
	Seq                               int64 // the store's sequence number; see Watermark
	CaseID                            string
	Review                            string // review state
}

// Index is a Bleve index of posts, derived from the store. It is safe for
// concurrent use.
type Index struct {
	dir  string
	opts Options
	b    bleve.Index
	m    *mapping.IndexMappingImpl

	analyzers map[string]analysis.Analyzer // by field: text_* and norm

	compactMu sync.Mutex // one Compact at a time: Bleve refuses two force merges
	wmu       sync.Mutex // serialises writers so the watermark only grows
	watermark int64      // guarded by wmu; mirrored in published for readers
	published atomic.Int64

	// generation counts applied batches; termCounts are cached for one.
	generation atomic.Uint64
	countsMu   sync.Mutex
	counts     *termCountsCache
	columns    columnCache // decoded doc values by segment, for collect
	// bleveOnly leaves facets and sorts to Bleve's collector and phrases
	// to its phrase searcher; tests set it to compare with Bleve's own
	// answer.
	bleveOnly bool

	// unpersisted counts batches applied but not yet on disk (batches are
	// unsafe, see Open); Close waits for it, since Bleve's does not.
	unpersisted sync.WaitGroup
	persistMu   sync.Mutex
	persistErr  error
}

const (
	keyMapping   = "tidewatch.mapping"
	keyWatermark = "tidewatch.watermark"
)

// Open opens the index in dir, creating it if absent (or an empty
// directory). An existing directory that does not open as an index of this
// mapping version gives an error wrapping ErrCorrupt; one held by another
// process, ErrLocked.
func Open(dir string, opts Options) (*Index, error) {
	opts = opts.withDefaults()
	im, err := buildMapping()
	if err != nil {
		return nil, &Error{"open", dir, fmt.Errorf("mapping: %w", err)}
	}
	cfg := map[string]any{
		"bolt_timeout": opts.LockWait.String(),
		// By default a Bleve batch returns only once persisted, and the
		// persister stalls while the merger catches up, so on a disk with
		// ~20 ms fsyncs a batch of 1000 posts took 0.3 to 5 s. Unsafe
		// batches return once searchable and persist in the background.
		// Safe here: the store is the source of truth, and the watermark
		// rides in the same batch, so a crash loses a suffix of batches
		// together with their watermark, and catch-up re-puts exactly that.
		"unsafe_batch": true,
	}
	if opts.ReadOnly {
		cfg["read_only"] = true
	}
	analyzers, err := fieldAnalyzers(im)
	if err != nil {
		return nil, &Error{"open", dir, fmt.Errorf("mapping: %w", err)}
	}
	ix := &Index{dir: dir, opts: opts, m: im, analyzers: analyzers}

	empty, err := isAbsentOrEmpty(dir)
	switch {
	case err != nil && errors.Is(err, errNotDir):
		return nil, &Error{"open", dir, fmt.Errorf("%w: %w", ErrCorrupt, err)}
	case err != nil:
		return nil, &Error{"open", dir, err}
	case empty && opts.ReadOnly:
		return nil, &Error{"open", dir, fmt.Errorf("no index here (run tidewatch reindex): %w", fs.ErrNotExist)}
	case empty:
		_ = os.Remove(dir) // Bleve refuses an existing directory
		if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
			return nil, &Error{"create", dir, err}
		}
		b, err := bleve.NewUsing(dir, im, scorch.Name, scorch.Name, cfg)
		if err != nil {
			return nil, &Error{"create", dir, err}
		}
		ix.b = b
		batch := b.NewBatch()
		batch.SetInternal([]byte(keyMapping), []byte(mappingVersion))
		if err := ix.apply(batch); err != nil {
			b.Close()
			return nil, &Error{"create", dir, err}
		}
		return ix, nil
	}

	b, err := openBleve(dir, cfg)
	if err != nil {
		switch {
		case errors.Is(err, bolterrors.ErrTimeout):
			return nil, &Error{"open", dir, fmt.Errorf("%w (is tidewatch serve running?)", ErrLocked)}
		case errors.Is(err, fs.ErrPermission):
			return nil, &Error{"open", dir, err}
		}
		return nil, &Error{"open", dir, fmt.Errorf("%w: %w", ErrCorrupt, err)}
	}
	ix.b = b
	if err := ix.check(); err != nil {
		b.Close()
		return nil, &Error{"open", dir, fmt.Errorf("%w: %w", ErrCorrupt, err)}
	}
	return ix, nil
}

var errNotDir = errors.New("not a directory")

// openBleve opens an existing index. Bleve panics on some damaged segment
// files (zapx slices a truncated footer); that is a corrupt index too.
func openBleve(dir string, cfg map[string]any) (b bleve.Index, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("bleve panicked opening it: %v", r)
		}
	}()
	return bleve.OpenUsing(dir, cfg)
}

func isAbsentOrEmpty(dir string) (bool, error) {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	if !fi.IsDir() {
		return false, errNotDir
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	return len(entries) == 0, nil
}

// check verifies an opened index: our mapping version, a readable
// watermark, and a search that touches every segment.
func (ix *Index) check() error {
	v, err := ix.b.GetInternal([]byte(keyMapping))
	if err != nil {
		return err
	}
	if string(v) != mappingVersion {
		return fmt.Errorf("mapping version %q, want %q", v, mappingVersion)
	}
	w, err := ix.readWatermark()
	if err != nil {
		return err
	}
	ix.watermark = w
	ix.published.Store(w)
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 1, 0, false)
	req.Fields = []string{"*"}
	if _, err := ix.b.Search(req); err != nil {
		return err
	}
	return nil
}

// Close waits for every applied batch to reach the disk, then closes the
// index.
func (ix *Index) Close() error {
	ferr := ix.Flush(context.Background())
	if err := ix.b.Close(); err != nil {
		return &Error{"close", ix.dir, err}
	}
	return ferr
}

// Dir returns the index directory.
func (ix *Index) Dir() string { return ix.dir }

// Count returns the number of posts in the index.
func (ix *Index) Count() (uint64, error) {
	n, err := ix.b.DocCount()
	if err != nil {
		return 0, &Error{"count", ix.dir, err}
	}
	return n, nil
}

// Watermark returns the highest Doc.Seq indexed: every post of the store
// with a lower or equal sequence number is in the index. It is written in
// the same Bleve batch as the posts, so after a crash it describes exactly
// what survived; catching up from it re-puts nothing twice.
func (ix *Index) Watermark() (int64, error) {
	return ix.published.Load(), nil
}

func (ix *Index) readWatermark() (int64, error) {
	v, err := ix.b.GetInternal([]byte(keyWatermark))
	if err != nil {
		return 0, err
	}
	if len(v) == 0 {
		return 0, nil
	}
	w, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("watermark %q: %w", v, err)
	}
	return w, nil
}

// Put indexes docs, replacing posts with the same ID. Posts are taken in
// Seq order, in rounds of Options.Writers concurrent Bleve batches of
// Options.BatchSize posts; after each round the watermark becomes the
// highest Seq written, so it never covers a post that is not in the index.
// A round of one batch carries the watermark in that batch; a round of
// several writes it in a batch of its own once they are all applied.
// Either way, Bleve persists batches in the order they were applied, so
// after a crash the watermark describes exactly what survived. The
// watermark never goes down. Put stops between rounds when ctx is done.
func (ix *Index) Put(ctx context.Context, docs []Doc) error {
	if ix.opts.ReadOnly {
		return &Error{"put", ix.dir, ErrReadOnly}
	}
	for i := range docs {
		if docs[i].ID == "" {
			return &Error{"put", ix.dir, fmt.Errorf("post %d of %d has no ID", i+1, len(docs))}
		}
	}
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpInt64(docs[a].Seq, docs[b].Seq) })

	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	bs := ix.opts.BatchSize
	for start := 0; start < len(order); start += bs * ix.opts.Writers {
		if err := ctx.Err(); err != nil {
			return &Error{"put", ix.dir, err}
		}
		end := min(start+bs*ix.opts.Writers, len(order))
		high := max(ix.watermark, docs[order[end-1]].Seq)
		if end-start <= bs {
			if err := ix.write(docs, order[start:end], high); err != nil {
				return &Error{"put", ix.dir, err}
			}
			ix.watermark = high
			ix.published.Store(high)
			continue
		}
		var g errgroup.Group
		for cs := start; cs < end; cs += bs {
			chunk := order[cs:min(cs+bs, end)]
			g.Go(func() error { return ix.write(docs, chunk, 0) })
		}
		if err := g.Wait(); err != nil {
			return &Error{"put", ix.dir, err}
		}
		if high > ix.watermark {
			batch := ix.b.NewBatch()
			batch.SetInternal([]byte(keyWatermark), strconv.AppendInt(nil, high, 10))
			if err := ix.apply(batch); err != nil {
				return &Error{"put", ix.dir, err}
			}
			ix.watermark = high
			ix.published.Store(high)
		}
	}
	return nil
}

// write indexes docs[i] for i in chunk in one Bleve batch, recording
// watermark in it when it is above the current one.
func (ix *Index) write(docs []Doc, chunk []int, watermark int64) error {
	batch := ix.b.NewBatch()
	for _, i := range chunk {
		if err := batch.Index(docs[i].ID, ix.fields(&docs[i])); err != nil {
			return fmt.Errorf("post %s: %w", docs[i].ID, err)
		}
	}
	if watermark > ix.watermark {
		batch.SetInternal([]byte(keyWatermark), strconv.AppendInt(nil, watermark, 10))
	}
	return ix.apply(batch)
}

// apply applies batch and counts it until Bleve reports it persisted.
func (ix *Index) apply(batch *bleve.Batch) error {
	defer ix.generation.Add(1)
	ix.unpersisted.Add(1)
	batch.SetPersistedCallback(func(err error) {
		if err != nil {
			ix.persistMu.Lock()
			ix.persistErr = err
			ix.persistMu.Unlock()
		}
		ix.unpersisted.Done()
	})
	if err := ix.b.Batch(batch); err != nil {
		ix.unpersisted.Done()
		return err
	}
	return nil
}

// Flush waits until every batch applied so far is on disk, or ctx is done.
func (ix *Index) Flush(ctx context.Context) error {
	if err := ix.flush(ctx); err != nil {
		return &Error{"flush", ix.dir, err}
	}
	return nil
}

// flush is Flush for the index's own operations, which wrap its error as
// theirs.
func (ix *Index) flush(ctx context.Context) error {
	done := make(chan struct{})
	go func() { ix.unpersisted.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	ix.persistMu.Lock()
	defer ix.persistMu.Unlock()
	return ix.persistErr
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Feed indexes the posts received on in, in batches, until in is closed
// or ctx is done, and returns how many it indexed. Posts are written (by
// Put) when there are enough for a round of Options.Writers batches, or
// when the oldest has waited Options.FlushInterval. The
// channel is the bounded queue between the producer and the index: its
// capacity bounds the posts in flight, and the producer closes it.
func (ix *Index) Feed(ctx context.Context, in <-chan Doc) (int, error) {
	n := 0
	round := ix.opts.BatchSize * ix.opts.Writers
	batch := make([]Doc, 0, round)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := ix.Put(ctx, batch)
		if err == nil {
			n += len(batch)
		}
		batch = batch[:0]
		return err
	}
	timer := time.NewTimer(ix.opts.FlushInterval)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return n, &Error{"feed", ix.dir, ctx.Err()}
		case d, ok := <-in:
			if !ok {
				return n, flush()
			}
			if len(batch) == 0 {
				timer.Reset(ix.opts.FlushInterval)
			}
			batch = append(batch, d)
			if len(batch) >= round {
				if err := flush(); err != nil {
					return n, err
				}
			}
		case <-timer.C:
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
}

// Delete removes the posts with these IDs; unknown IDs are ignored.
func (ix *Index) Delete(ctx context.Context, ids []string) error {
	if ix.opts.ReadOnly {
		return &Error{"delete", ix.dir, ErrReadOnly}
	}
	for start := 0; start < len(ids); start += ix.opts.BatchSize {
		if err := ctx.Err(); err != nil {
			return &Error{"delete", ix.dir, err}
		}
		batch := ix.b.NewBatch()
		for _, id := range ids[start:min(start+ix.opts.BatchSize, len(ids))] {
			batch.Delete(id)
		}
		if err := ix.apply(batch); err != nil {
			return &Error{"delete", ix.dir, err}
		}
	}
	return nil
}

// fields is the document Bleve indexes for d; see buildMapping.
func (ix *Index) fields(d *Doc) map[string]any {
	m := make(map[string]any, 20)
	set := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	set(fieldPlatform, strings.ToLower(d.Platform))
	set(fieldSource, d.Source)
	set(fieldURL, d.URL)
	set(fieldAuthor, d.Author)
	set(fieldLang, strings.ToLower(d.Lang))
	set(fieldLabel, d.Label)
	set(fieldCase, d.CaseID)
	set(fieldReview, d.Review)
	tf := textFieldFor(d.Lang)
	set(fieldTextField, tf)
	set(tf, d.Text)
	if n := normValues(d.Text, d.NormText); len(n) > 0 {
		m[fieldNorm] = n
	}
	m[fieldScore] = d.Score
	var facet []string
	if !d.Published.IsZero() {
		p := d.Published.UTC()
		m[fieldPublished] = p
		m[fieldDay] = p.Format(time.DateOnly)
		facet = append(facet, "d:"+p.Format(time.DateOnly))
	}
	list := func(k string, vs []string, norm func(string) string) {
		out := make([]string, 0, len(vs))
		for _, v := range vs {
			if v = norm(v); v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		if len(out) > 0 {
			m[k] = out
		}
	}
	lower := func(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
	list(fieldLangs, d.Langs, lower)
	list(fieldGroup, d.Groups, lower)
	list(fieldPhone, d.Phones, ix.phoneKey)
	list(fieldHandle, d.Handles, normalizeHandle)
	list(fieldLink, d.Links, normalizeLink)
	for _, f := range []struct{ field, prefix string }{{fieldPlatform, "p:"}, {fieldLang, "l:"}, {fieldLabel, "b:"}} {
		if v, ok := m[f.field].(string); ok {
			facet = append(facet, f.prefix+v)
		}
	}
	if gs, ok := m[fieldGroup].([]string); ok {
		for _, g := range gs {
			facet = append(facet, "g:"+g)
		}
	}
	if len(facet) > 0 {
		m[fieldFacet] = facet
	}
	return m
}

// phoneKey is the indexed form of a number: E.164 when it parses, else its
// digits, so that a number the normaliser rejects is still findable.
func (ix *Index) phoneKey(p string) string {
	if isE164(p) {
		return p
	}
	if e, err := NormalizePhone(p, ix.opts.PhoneRegions); err == nil {
		return e
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '+' {
			return r
		}
		return -1
	}, p)
}

// isE164 reports whether s is already "+" and 8 to 15 digits, as the
// classifier gives numbers, to skip parsing it again.
func isE164(s string) bool {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
