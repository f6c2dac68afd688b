// Package index keeps the search index of posts: a Bleve index derived
// from the store, which can always be rebuilt from it. It is the only
// package that imports Bleve.
//
// # Mapping
//
// One document type, no dynamic fields, no _all field. A post's text goes
// into one field chosen by its language, text_<key>, analysed by that
// language's analyzer: ar, ckb, fa, fr, en, de, nl, tr, es, it, pt, ru and
// ro use Bleve's (fa with a ZWNJ filter that keeps byte offsets, so
// highlights land on the right words); Arabic-script languages without an
// analyzer (ps, ur, sd, ug) use text_fold_arabic (lower case, NFKC, Arabic
// normalisation); every other language (so, sq, vi, am, ti, kmr, unknown)
// uses text_fold (lower case, NFKC). Because every field name has exactly
// one analyzer, the analyzer Bleve picks is deterministic (Bleve resolves
// analyzers by field name, and a name mapped differently by several
// document types resolves to either). Beside it, the norm field holds the
// text and the classifier's normalised text, folded (lower case, no
// diacritics or Arabic vowel marks), so that "traversee", "di anh" and
// de-obfuscated spellings match. Keyword fields: platform, source, lang,
// langs, label, group, phone (E.164), handle, link (both normalised), case
// and review; score is numeric; published is a date, and day its UTC date
// for the day facet.
//
// # Queries
//
// Search takes a Request: a query in the syntax of README "Search syntax"
// (words, "phrases", AND, OR, NOT, -, +, parentheses, prefix*, fuzzy~,
// field:value) plus filters, sort, page, facets and highlights. A word is
// searched in every text field with that field's analyzer and in the norm
// field, so one query finds a Sorani, an Arabic and a French post by
// their stems. A malformed query returns a *QueryError wrapping ErrQuery.
//
// Facets and the date and score sorts are not left to Bleve's collector,
// which decompresses doc values for every match: Search keeps each
// segment's facet terms, publication times and scores decoded in memory
// (decoded once per segment, about a second per million posts) and counts
// facets and picks the page's candidates from them in one unscored walk of
// the matches; Bleve then sorts and loads only the candidates. Sorting by
// relevance, Bleve scores as usual and the facets are counted in the same
// pass. Results equal Bleve's own (TestColumnsMatchBleve).
//
// Relevance is Bleve's, computed with less work in two cases. A phrase is
// Bleve's phrase query with its own searcher (phrase.go): the same
// conjunction of the words, scored the same, but a word twice in the
// phrase is read once and positions are checked in place rather than
// through maps (TestPhraseMatchesBleve). A query of words joined by AND
// and OR, whose matches are a small part of its words' postings ("(calais
// OR dunkirk) AND lorry"), is first evaluated unscored, as bitmaps; the
// scoring searchers are then advanced only to those matches.
//
// # Indexing and recovery
//
// Put and Feed write batches concurrently and record the highest store
// sequence number written (Watermark) in the index, atomically with the
// posts, so that after a crash the caller re-puts exactly what is missing.
// Open reports an index it cannot open as ErrCorrupt, one held by another
// process as ErrLocked. Compact merges the segments a bulk build leaves
// (Bleve's background merging lags far behind one) into one, since each
// segment costs every search a setup; tidewatch reindex calls it.
package index
