// Package synth writes synthetic posts for benchmarks and load tests:
// adverts and look-alike negatives in fourteen languages and their
// scripts, with varied places, prices, phone numbers in national and
// international formats, handles and links. Smuggling "networks" reuse
// their contacts across posts and platforms, so pivots find something.
// The output depends only on Options: the same seed gives the same posts.
package synth

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// Post is a synthetic post with the fields the classifier would add.
type Post struct {
	ID        string    `json:"id"`
	Platform  string    `json:"platform"`
	Source    string    `json:"source"`
	URL       string    `json:"url"`
	Author    string    `json:"author"`
	Text      string    `json:"text"`
	Lang      string    `json:"lang"`
	Published time.Time `json:"published"`
	Score     float64   `json:"score"`
	Label     string    `json:"label"`
	Groups    []string  `json:"groups"`
	Phones    []string  `json:"phones"`  // E.164
	Handles   []string  `json:"handles"` // "@name"
	Links     []string  `json:"links,omitempty"`
}

// Options configures a Generator. The zero value is valid.
type Options struct {
	Seed uint64
	// End is the latest publication time; posts spread over Days before
	// it. Zero means 2026-01-01T00:00:00Z, so output does not depend on
	// the clock.
	End  time.Time
	Days int // 0 means 365
	// AdvertShare is the fraction of adverts. 0 means 0.3.
	AdvertShare float64
	// Networks is the number of advertisers sharing phones and handles.
	// 0 means 2000.
	Networks int
}

func (o Options) withDefaults() Options {
	if o.End.IsZero() {
		o.End = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if o.Days <= 0 {
		o.Days = 365
	}
	if o.AdvertShare <= 0 || o.AdvertShare > 1 {
		o.AdvertShare = 0.3
	}
	if o.Networks <= 0 {
		o.Networks = 2000
	}
	return o
}

// network is one advertiser: its contacts and its usual language.
type network struct {
	phones  []string // E.164
	handles []string // without "@"
	lang    int      // index in languages
}

// Generator produces posts. It is not safe for concurrent use.
type Generator struct {
	opts     Options
	rng      *rand.Rand
	networks []network
	n        int
	langCum  []int
	platCum  []int
}

// New returns a generator for opts.
func New(opts Options) *Generator {
	opts = opts.withDefaults()
	g := &Generator{opts: opts, rng: rand.New(rand.NewPCG(opts.Seed, 0x7469646577617463))}
	total := 0
	for _, l := range languages {
		total += l.weight
		g.langCum = append(g.langCum, total)
	}
	total = 0
	for _, p := range platforms {
		total += p.weight
		g.platCum = append(g.platCum, total)
	}
	g.networks = make([]network, opts.Networks)
	for i := range g.networks {
		nw := network{lang: g.pickCum(g.langCum)}
		for range 1 + g.rng.IntN(2) {
			nw.phones = append(nw.phones, g.phone())
		}
		for range 1 + g.rng.IntN(2) {
			nw.handles = append(nw.handles, g.handle())
		}
		g.networks[i] = nw
	}
	return g
}

func (g *Generator) pickCum(cum []int) int {
	x := g.rng.IntN(cum[len(cum)-1])
	for i, c := range cum {
		if x < c {
			return i
		}
	}
	return len(cum) - 1
}

func pick[T any](g *Generator, xs []T) T { return xs[g.rng.IntN(len(xs))] }

// phone returns a random valid mobile number in E.164. Not every digit
// string after a mobile prefix is allocated, so draws are checked.
func (g *Generator) phone() string {
	for {
		p := g.drawPhone()
		if n, err := phonenumbers.Parse(p, ""); err == nil && phonenumbers.IsValidNumber(n) {
			return p
		}
	}
}

func (g *Generator) drawPhone() string {
	total := 0
	for _, c := range countries {
		total += c.weight
	}
	x := g.rng.IntN(total)
	c := countries[len(countries)-1]
	for _, cc := range countries {
		if x -= cc.weight; x < 0 {
			c = cc
			break
		}
	}
	var b strings.Builder
	b.WriteString(c.prefix)
	for range c.rest {
		b.WriteByte(byte('0' + g.rng.IntN(10)))
	}
	return b.String()
}

func (g *Generator) handle() string {
	h := pick(g, handleParts) + "_" + pick(g, handleParts)
	if g.rng.IntN(2) == 0 {
		h += strconv.Itoa(g.rng.IntN(100))
	}
	return h
}

// Next returns the next post.
func (g *Generator) Next() Post {
	g.n++
	advert := g.rng.Float64() < g.opts.AdvertShare
	var nw *network
	li := g.pickCum(g.langCum)
	if advert {
		// A few networks post most adverts: square a uniform draw.
		u := g.rng.Float64()
		nw = &g.networks[int(u*u*float64(len(g.networks)))]
		if g.rng.IntN(4) > 0 {
			li = nw.lang
		}
	}
	lang := languages[li]
	var t template
	if advert {
		t = pick(g, lang.adverts)
	} else {
		t = pick(g, lang.negative)
	}

	p := Post{Lang: lang.code, Groups: append([]string(nil), t.groups...), Phones: []string{}, Handles: []string{}}
	text := t.text
	replace := func(key, val string) { text = strings.Replace(text, key, val, 1) }
	replace("{from}", pick(g, lang.places))
	replace("{dest}", pick(g, lang.dests))
	replace("{day}", pick(g, lang.days))
	replace("{n}", localDigits(strconv.Itoa(2+g.rng.IntN(40)), lang, g.rng.IntN(3) == 0))
	amount := 500 + 100*g.rng.IntN(60)
	replace("{price}", localDigits(fmt.Sprintf(pick(g, lang.currency), amount), lang, g.rng.IntN(3) == 0))
	if strings.Contains(text, "{phone}") {
		var e164 string
		if nw != nil {
			e164 = pick(g, nw.phones)
		} else {
			e164 = g.phone() // helplines in warnings
		}
		shown, link := g.renderPhone(e164, lang)
		replace("{phone}", shown)
		p.Phones = append(p.Phones, e164)
		if link != "" {
			p.Links = append(p.Links, link)
		}
	}
	if strings.Contains(text, "{handle}") {
		h := g.handle()
		if nw != nil {
			h = pick(g, nw.handles)
		}
		shown, link := g.renderHandle(h)
		replace("{handle}", shown)
		p.Handles = append(p.Handles, "@"+h)
		if link != "" {
			p.Links = append(p.Links, link)
		}
	}
	if g.rng.IntN(3) == 0 {
		text += " " + pick(g, lang.extras)
	}
	if advert && g.rng.IntN(5) == 0 {
		text = obfuscate(text, g.rng)
	}
	p.Text = text

	pi := g.pickCum(g.platCum)
	p.Platform = platforms[pi].name
	src := fmt.Sprintf("%s-%s-%d", p.Platform, lang.code, g.rng.IntN(50))
	p.Source = src
	native := strconv.Itoa(1000 + g.n)
	p.Author = pick(g, handleParts) + strconv.Itoa(g.rng.IntN(1000))
	if nw != nil && g.rng.IntN(2) == 0 {
		p.Author = nw.handles[0]
	}
	switch p.Platform {
	case "telegram":
		p.URL = "https://t.me/" + strings.ReplaceAll(src, "-", "_") + "/" + native
	case "facebook":
		p.URL = "https://www.facebook.com/groups/" + src + "/posts/" + native
	case "mastodon":
		p.URL = "https://mastodon.example/@" + p.Author + "/" + native
	case "bluesky":
		p.URL = "https://bsky.app/profile/" + p.Author + ".bsky.social/post/" + native
	case "forum":
		p.URL = "https://forum.example/t/" + src + "/" + native
	default:
		p.URL = "https://news.example/" + src + "/" + native
	}
	p.ID = p.Platform + ":" + src + "/" + native

	secs := g.rng.Int64N(int64(g.opts.Days) * 86400)
	p.Published = g.opts.End.Add(-time.Duration(secs) * time.Second)

	review := g.rng.IntN(100) < 15
	switch {
	case advert && !review:
		p.Label, p.Score = "advert", 0.7+0.29*g.rng.Float64()
	case advert, review:
		p.Label, p.Score = "review", 0.4+0.3*g.rng.Float64()
	default:
		p.Label, p.Score = "not_advert", 0.01+0.39*g.rng.Float64()
	}
	p.Score = float64(int(p.Score*1000)) / 1000
	return p
}

// renderPhone writes an E.164 number the way posts do: international with
// or without spaces, 00, national with the trunk prefix, a wa.me link, in
// the script's digits now and then. It returns the link when it made one.
func (g *Generator) renderPhone(e164 string, lang language) (string, string) {
	var cc, trunk string
	for _, c := range countries {
		if strings.HasPrefix(e164, c.prefix) {
			cc, trunk = c.cc, c.trunk
			break
		}
	}
	nsn := e164[1+len(cc):]
	switch g.rng.IntN(6) {
	case 0:
		return e164, ""
	case 1:
		return "+" + cc + " " + group(nsn), ""
	case 2:
		return "00" + cc + " " + group(nsn), ""
	case 3:
		return localDigits(trunk+group(nsn), lang, true), ""
	case 4:
		link := "https://wa.me/" + e164[1:]
		return "wa.me/" + e164[1:], link
	default:
		return localDigits(e164, lang, g.rng.IntN(2) == 0), ""
	}
}

func group(digits string) string {
	var b strings.Builder
	for i := 0; i < len(digits); i += 3 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(digits[i:min(i+3, len(digits))])
	}
	return b.String()
}

func (g *Generator) renderHandle(h string) (string, string) {
	switch g.rng.IntN(4) {
	case 0:
		return "t.me/" + h, "https://t.me/" + h
	case 1:
		return "instagram.com/" + h, "https://instagram.com/" + h
	}
	return "@" + h, ""
}

// localDigits writes the ASCII digits of s in the language's script when
// local is true and the script has its own digits.
func localDigits(s string, lang language, local bool) string {
	if !local || lang.digits == "" {
		return s
	}
	ds := []rune(lang.digits)
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return ds[r-'0']
		}
		return r
	}, s)
}

// obfuscate spells a few Latin words as evaders do ("wh@tsapp", "b0at").
func obfuscate(s string, rng *rand.Rand) string {
	swaps := [][2]string{{"WhatsApp", "Wh@tsApp"}, {"WhatsApp", "W.h.a.t.s.a.p.p"}, {"Boat", "B0at"}, {"boat", "b0at"}, {"telegram", "te1egram"}, {"UK", "U.K"}, {"guaranteed", "guarant33d"}, {"Signal", "S1gnal"}}
	for range 2 {
		sw := swaps[rng.IntN(len(swaps))]
		s = strings.Replace(s, sw[0], sw[1], 1)
	}
	return s
}
