package index

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/char/regexp"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ckb" // registers the analyzers textAnalyzers names
	_ "github.com/blevesearch/bleve/v2/analysis/lang/de"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fa"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/it"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/nl"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/pt"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ro"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ru"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/tr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/unicodenorm"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
)

// mappingVersion is stored in the index. An index written with another
// version is reported as ErrCorrupt so that the caller rebuilds it from the
// store rather than querying fields that are not there.
const mappingVersion = "tidewatch-index-4"

// Field names. Text lives in one field per analyzer (textField), so every
// field name has exactly one analyzer whatever the document's language:
// Bleve resolves a field's analyzer by name, and a name mapped differently
// in several document types resolves to either at random.
const (
	fieldPlatform  = "platform"
	fieldSource    = "source"
	fieldURL       = "url"
	fieldAuthor    = "author"
	fieldLang      = "lang"
	fieldLangs     = "langs"
	fieldTextField = "tf" // the name of the text_* field that holds this post's text
	fieldNorm      = "norm"
	fieldScore     = "score"
	fieldLabel     = "label"
	fieldGroup     = "group"
	fieldPhone     = "phone"
	fieldHandle    = "handle"
	fieldLink      = "link"
	fieldPublished = "published"
	fieldDay       = "day"
	fieldCase      = "case"
	fieldReview    = "review"
	// fieldFacet holds every facet value of a post, prefixed by its facet
	// ("p:telegram", "d:2025-06-01"): one doc-values field instead of five,
	// because visiting doc values dominates search time (each field
	// decompresses a chunk per hit) and one field costs a fifth as much.
	fieldFacet = "facet"
)

// Custom analyzers, defined in the mapping so they travel with the index.
const (
	analyzerFa         = "tw_fa"          // Bleve's fa, keeping byte offsets (see buildMapping)
	analyzerFold       = "tw_fold"        // languages without a Bleve analyzer
	analyzerFoldArabic = "tw_fold_arabic" // the same for Arabic-script languages (ps, ur, …)
	analyzerNorm       = "tw_norm"        // the folded, normalised copy of the text
)

// textAnalyzers lists the text fields: field text_<key> is analysed by
// analyzer. A constant table.
var textAnalyzers = []struct{ key, analyzer string }{
	{"ar", "ar"},
	{"ckb", "ckb"},
	{"fa", analyzerFa},
	{"fr", "fr"},
	{"en", "en"},
	{"de", "de"},
	{"nl", "nl"},
	{"tr", "tr"},
	{"es", "es"},
	{"it", "it"},
	{"pt", "pt"},
	{"ru", "ru"},
	{"ro", "ro"},
	{"fold", analyzerFold},
	{"fold_arabic", analyzerFoldArabic},
}

// textFieldFor returns the text field holding posts in lang (an ISO 639-1
// or 639-3 code, as the classifier reports it).
func textFieldFor(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(lang, "-_"); i > 0 { // "fa-AF", "ku_Arab"
		lang = lang[:i]
	}
	switch lang {
	case "ar", "ara", "arb", "ary", "arz", "apc", "acm":
		return "text_ar"
	case "ckb", "sor":
		return "text_ckb"
	case "fa", "fas", "per", "pes", "prs":
		return "text_fa"
	case "fr", "fra", "fre":
		return "text_fr"
	case "en", "eng":
		return "text_en"
	case "de", "deu", "ger":
		return "text_de"
	case "nl", "nld", "dut":
		return "text_nl"
	case "tr", "tur":
		return "text_tr"
	case "es", "spa":
		return "text_es"
	case "it", "ita":
		return "text_it"
	case "pt", "por":
		return "text_pt"
	case "ru", "rus":
		return "text_ru"
	case "ro", "ron", "rum":
		return "text_ro"
	case "ps", "pus", "pbt", "ur", "urd", "sd", "snd", "ug", "uig", "bal":
		return "text_fold_arabic"
	}
	return "text_fold" // so, sq, vi, am, ti, kmr, unknown, …
}

// textFields returns every text field name, in textAnalyzers order.
func textFields() []string {
	fs := make([]string, len(textAnalyzers))
	for i, ta := range textAnalyzers {
		fs[i] = "text_" + ta.key
	}
	return fs
}

// buildMapping returns the index mapping: one document type, no dynamic
// fields, nothing in _all.
func buildMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	im.DefaultAnalyzer = keyword.Name
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	im.DefaultField = fieldNorm

	// Bleve's fa analyzer replaces U+200C (ZWNJ, 3 bytes) with one space
	// before tokenising, which shifts every later offset by two bytes and
	// puts highlights in the wrong place. Replacing it with three spaces
	// splits the same tokens and keeps offsets into the original text.
	if err := im.AddCustomCharFilter("tw_zwnj", map[string]any{
		"type": regexp.Name, "regexp": "\u200C", "replace": "   ",
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomTokenFilter("tw_nfkc", map[string]any{
		"type": unicodenorm.Name, "form": unicodenorm.NFKC,
	}); err != nil {
		return nil, err
	}
	analyzers := map[string]map[string]any{
		analyzerFa: {
			"type":          custom.Name,
			"char_filters":  []any{"tw_zwnj"},
			"tokenizer":     unicode.Name,
			"token_filters": []any{lowercase.Name, ar.NormalizeName, fa.NormalizeName, fa.StopName},
		},
		analyzerFold: {
			"type":          custom.Name,
			"tokenizer":     unicode.Name,
			"token_filters": []any{lowercase.Name, "tw_nfkc"},
		},
		analyzerFoldArabic: {
			"type":          custom.Name,
			"tokenizer":     unicode.Name,
			"token_filters": []any{lowercase.Name, "tw_nfkc", ar.NormalizeName},
		},
		analyzerNorm: {
			"type":          custom.Name,
			"tokenizer":     unicode.Name,
			"token_filters": []any{lowercase.Name},
		},
	}
	for name, cfg := range analyzers {
		if err := im.AddCustomAnalyzer(name, cfg); err != nil {
			return nil, err
		}
	}

	dm := mapping.NewDocumentMapping()
	dm.Dynamic = false

	// Keywords: exact values, for filters; only fieldFacet keeps doc
	// values. None needs frequencies or norms.
	keywordField := func(docValues, store bool) *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = docValues
		f.Store = store
		f.SkipFreqNorm = true
		return f
	}
	for _, kf := range []struct {
		name             string
		docValues, store bool
	}{
		{fieldPlatform, false, true},
		{fieldSource, false, true},
		{fieldLang, false, true},
		{fieldLangs, false, false},
		{fieldTextField, false, true},
		{fieldLabel, false, true},
		{fieldGroup, false, true},
		{fieldPhone, false, true},
		{fieldHandle, false, true},
		{fieldLink, false, true},
		{fieldDay, false, false},
		{fieldCase, false, true},
		{fieldReview, false, true},
		{fieldFacet, true, false},
	} {
		dm.AddFieldMappingsAt(kf.name, keywordField(kf.docValues, kf.store))
	}

	stored := mapping.NewTextFieldMapping()
	stored.Index = false
	stored.Store = true
	stored.IncludeInAll = false
	stored.IncludeTermVectors = false
	stored.DocValues = false
	dm.AddFieldMappingsAt(fieldURL, stored)
	dm.AddFieldMappingsAt(fieldAuthor, stored)

	// Text: stored for display and highlighting, term vectors for phrases
	// and highlights, no doc values (never sorted or faceted on).
	for _, ta := range textAnalyzers {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = ta.analyzer
		f.Store = true
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		f.DocValues = false
		dm.AddFieldMappingsAt("text_"+ta.key, f)
	}

	// The folded text and the folded normalised text: searched for terms,
	// phrases, prefixes and fuzzy terms; not stored; positions for phrases.
	norm := mapping.NewTextFieldMapping()
	norm.Analyzer = analyzerNorm
	norm.Store = false
	norm.IncludeTermVectors = true
	norm.IncludeInAll = false
	norm.DocValues = false
	dm.AddFieldMappingsAt(fieldNorm, norm)

	score := mapping.NewNumericFieldMapping()
	score.IncludeInAll = false
	score.Store = true
	score.DocValues = true
	dm.AddFieldMappingsAt(fieldScore, score)

	published := mapping.NewDateTimeFieldMapping()
	published.IncludeInAll = false
	published.Store = true
	published.DocValues = true
	dm.AddFieldMappingsAt(fieldPublished, published)

	// No _all field: every query names its fields, and building the
	// composite cost 10% of indexing time.
	dm.AddSubDocumentMapping("_all", mapping.NewDocumentDisabledMapping())

	im.DefaultMapping = dm
	return im, im.Validate()
}
