package index

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The query language (README "Search syntax" documents it for analysts):
//
//	query   = or
//	or      = and { "OR" and }
//	and     = unary { ["AND"] unary }          adjacent terms must all match
//	unary   = ("NOT" | "-") unary | "+" unary | primary
//	primary = "(" or ")" | phrase | field ":" (word | phrase) | word
//	word    = text | text "*" | text "~" [digit] | "*"
//
// Operators are upper case so that "and", "et", "or" stay searchable words.

const (
	maxQueryBytes   = 2000
	maxQueryClauses = 64
)

// QueryError describes a malformed query. It wraps ErrQuery.
type QueryError struct {
	Query  string
	Column int // 1-based rune column of the problem, 0 when it is the whole query
	Msg    string
}

func (e *QueryError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("bad query: %s (at column %d)", e.Msg, e.Column)
	}
	return "bad query: " + e.Msg
}

func (e *QueryError) Unwrap() error { return ErrQuery }

// node is a parsed query.
type node interface{ isNode() }

type (
	allNode  struct{}
	termNode struct {
		text   string
		prefix bool
		fuzzy  int // edit distance, 0 for an exact term
	}
	phraseNode struct{ text string }
	fieldNode  struct{ field, value string }
	notNode    struct{ kid node }
	andNode    struct{ kids []node }
	orNode     struct{ kids []node }
)

func (allNode) isNode()    {}
func (termNode) isNode()   {}
func (phraseNode) isNode() {}
func (fieldNode) isNode()  {}
func (notNode) isNode()    {}
func (andNode) isNode()    {}
func (orNode) isNode()     {}

// queryFields are the keyword filters the query language accepts as
// field:value, mapped to their index field.
var queryFields = map[string]string{
	"platform": fieldPlatform,
	"source":   fieldSource,
	"lang":     fieldLang,
	"label":    fieldLabel,
	"group":    fieldGroup,
	"phone":    fieldPhone,
	"handle":   fieldHandle,
	"link":     fieldLink,
	"case":     fieldCase,
	"review":   fieldReview,
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokWord
	tokPhrase
	tokLParen
	tokRParen
	tokAnd
	tokOr
	tokNot
	tokPlus
	tokMinus
)

type token struct {
	kind tokKind
	text string
	col  int // 1-based rune column
}

func lex(q string) ([]token, error) {
	var toks []token
	rs := []rune(q)
	errAt := func(i int, msg string) error { return &QueryError{Query: q, Column: i + 1, Msg: msg} }
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(':
			toks = append(toks, token{tokLParen, "(", i + 1})
			i++
		case r == ')':
			toks = append(toks, token{tokRParen, ")", i + 1})
			i++
		case r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			if j == len(rs) {
				return nil, errAt(i, `unterminated phrase: missing closing "`)
			}
			toks = append(toks, token{tokPhrase, string(rs[i+1 : j]), i + 1})
			i = j + 1
		case (r == '+' || r == '-') && (i == 0 || unicode.IsSpace(rs[i-1]) || rs[i-1] == '('):
			if i+1 == len(rs) || unicode.IsSpace(rs[i+1]) || rs[i+1] == ')' {
				return nil, errAt(i, fmt.Sprintf("nothing after %q", r))
			}
			k := tokPlus
			if r == '-' {
				k = tokMinus
			}
			toks = append(toks, token{k, string(r), i + 1})
			i++
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '(' && rs[j] != ')' {
				if rs[j] == '"' {
					// field:"a phrase" is one token; a quote elsewhere in a word starts a phrase.
					if j > i && rs[j-1] == ':' {
						k := j + 1
						for k < len(rs) && rs[k] != '"' {
							k++
						}
						if k == len(rs) {
							return nil, errAt(j, `unterminated phrase: missing closing "`)
						}
						j = k + 1
						continue
					}
					break
				}
				j++
			}
			w := string(rs[i:j])
			t := token{tokWord, w, i + 1}
			switch w {
			case "AND", "&&":
				t.kind = tokAnd
			case "OR", "||":
				t.kind = tokOr
			case "NOT":
				t.kind = tokNot
			}
			toks = append(toks, t)
			i = j
		}
	}
	return append(toks, token{tokEOF, "", len(rs) + 1}), nil
}

type parser struct {
	q       string
	toks    []token
	pos     int
	clauses int
}

// parseQuery parses q; an empty query or "*" is allNode.
func parseQuery(q string) (node, error) {
	if len(q) > maxQueryBytes {
		return nil, &QueryError{Query: q, Msg: fmt.Sprintf("query too long (%d bytes, at most %d)", len(q), maxQueryBytes)}
	}
	if !utf8.ValidString(q) {
		return nil, &QueryError{Query: q, Msg: "query is not valid UTF-8"}
	}
	toks, err := lex(q)
	if err != nil {
		return nil, err
	}
	p := &parser{q: q, toks: toks}
	if p.peek().kind == tokEOF {
		return allNode{}, nil
	}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		if t.kind == tokRParen {
			return nil, p.errAt(t, "unbalanced ')': no '(' to close")
		}
		return nil, p.errAt(t, fmt.Sprintf("unexpected %q", t.text))
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.pos] }
func (p *parser) next() token { t := p.toks[p.pos]; p.pos++; return t }

func (p *parser) errAt(t token, msg string) error {
	return &QueryError{Query: p.q, Column: t.col, Msg: msg}
}

func (p *parser) or() (node, error) {
	first, err := p.and()
	if err != nil {
		return nil, err
	}
	kids := []node{first}
	for p.peek().kind == tokOr {
		p.next()
		n, err := p.and()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return orNode{kids}, nil
}

func (p *parser) and() (node, error) {
	var kids []node
	for {
		t := p.peek()
		switch t.kind {
		case tokAnd:
			if len(kids) == 0 {
				return nil, p.errAt(t, "AND needs a term on its left")
			}
			p.next()
			if k := p.peek().kind; k == tokEOF || k == tokRParen || k == tokOr || k == tokAnd {
				return nil, p.errAt(t, "AND needs a term on its right")
			}
			continue
		case tokOr:
			if len(kids) == 0 {
				return nil, p.errAt(t, "OR needs a term on its left")
			}
		case tokEOF, tokRParen:
			if len(kids) == 0 {
				if t.kind == tokEOF && p.pos > 0 && p.toks[p.pos-1].kind == tokOr {
					return nil, p.errAt(p.toks[p.pos-1], "OR needs a term on its right")
				}
				if t.kind == tokRParen {
					return nil, p.errAt(t, "empty parentheses")
				}
				return nil, p.errAt(t, "missing term")
			}
		default:
			n, err := p.unary()
			if err != nil {
				return nil, err
			}
			kids = append(kids, n)
			continue
		}
		break
	}
	if len(kids) == 1 {
		return kids[0], nil
	}
	return andNode{kids}, nil
}

func (p *parser) unary() (node, error) {
	t := p.peek()
	switch t.kind {
	case tokNot, tokMinus:
		p.next()
		if k := p.peek().kind; k == tokEOF || k == tokRParen || k == tokAnd || k == tokOr {
			return nil, p.errAt(t, fmt.Sprintf("nothing after %s", t.text))
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		return notNode{n}, nil
	case tokPlus:
		p.next()
		return p.unary()
	}
	return p.primary()
}

func (p *parser) primary() (node, error) {
	t := p.next()
	p.clauses++
	if p.clauses > maxQueryClauses {
		return nil, p.errAt(t, fmt.Sprintf("too many terms (at most %d)", maxQueryClauses))
	}
	switch t.kind {
	case tokLParen:
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek().kind != tokRParen {
			return nil, p.errAt(t, "unbalanced '(': missing ')'")
		}
		p.next()
		return n, nil
	case tokPhrase:
		if strings.TrimSpace(t.text) == "" {
			return nil, p.errAt(t, "empty phrase")
		}
		return phraseNode{t.text}, nil
	case tokWord:
		return p.word(t)
	}
	return nil, p.errAt(t, fmt.Sprintf("unexpected %q", t.text))
}

func (p *parser) word(t token) (node, error) {
	w := t.text
	if w == "*" {
		return allNode{}, nil
	}
	if i := strings.IndexByte(w, ':'); i > 0 {
		name := strings.ToLower(w[:i])
		if f, ok := queryFields[name]; ok {
			v := strings.Trim(w[i+1:], `"`)
			if strings.TrimSpace(v) == "" {
				return nil, p.errAt(t, fmt.Sprintf("%s: needs a value", name))
			}
			return fieldNode{f, v}, nil
		}
		if isLetters(name) && name != "http" && name != "https" {
			return nil, p.errAt(t, fmt.Sprintf("unknown field %q (known: case, group, handle, label, lang, link, phone, platform, review, source)", name))
		}
	}
	if strings.HasPrefix(w, "*") {
		return nil, p.errAt(t, fmt.Sprintf("%q: a wildcard can only end a word", w))
	}
	if i := strings.IndexByte(w, '*'); i >= 0 && i != len(w)-1 {
		return nil, p.errAt(t, fmt.Sprintf("%q: a wildcard can only end a word", w))
	}
	if stem, ok := strings.CutSuffix(w, "*"); ok {
		if utf8.RuneCountInString(stem) < 2 {
			return nil, p.errAt(t, fmt.Sprintf("%q: a prefix needs at least 2 letters", w))
		}
		return termNode{text: stem, prefix: true}, nil
	}
	if i := strings.LastIndexByte(w, '~'); i >= 0 {
		stem, dist := w[:i], w[i+1:]
		n := 1
		if dist != "" {
			var err error
			n, err = strconv.Atoi(dist)
			if err != nil || n < 1 || n > 2 {
				return nil, p.errAt(t, fmt.Sprintf("%q: fuzziness after ~ must be 1 or 2", w))
			}
		}
		if utf8.RuneCountInString(stem) < 3 {
			return nil, p.errAt(t, fmt.Sprintf("%q: a fuzzy term needs at least 3 letters", w))
		}
		return termNode{text: stem, fuzzy: n}, nil
	}
	return termNode{text: w}, nil
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}
