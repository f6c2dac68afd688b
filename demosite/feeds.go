package demosite

import (
	"bytes"
	"encoding/xml"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The feeds are built with encoding/xml rather than templates, so that
// every title and description is escaped the way a feed parser expects:
// HTML inside description and content is entity-escaped, as the Guardian
// and Blogger feeds in shared/fixtures/feeds have it.

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string       `xml:"title"`
	Link        string       `xml:"link"`
	Description string       `xml:"description"`
	Language    string       `xml:"language"`
	PubDate     string       `xml:"pubDate,omitempty"`
	Self        atomLink     `xml:"atom:link"`
	Items       []rssItemDoc `xml:"item"`
}

type rssItemDoc struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate"`
	Creator     string        `xml:"dc:creator,omitempty"`
	Description string        `xml:"description"`
	Enclosure   *rssEnclosure `xml:"enclosure"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Type   string `xml:"type,attr"`
	Length string `xml:"length,attr"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

// handleRSS serves /feeds/classifieds.rss, RSS 2.0, newest first.
func (s *site) handleRSS(w http.ResponseWriter, r *http.Request) {
	base := baseURL(r)
	f := s.c.Feeds.RSS
	doc := rssDoc{
		Version: "2.0",
		DC:      "http://purl.org/dc/elements/1.1/",
		Atom:    "http://www.w3.org/2005/Atom",
		Channel: rssChannel{
			Title:       f.Title,
			Link:        base + f.Link,
			Description: f.Description,
			Language:    f.Language,
			Self:        atomLink{Rel: "self", Type: "application/rss+xml", Href: base + "/feeds/classifieds.rss"},
		},
	}
	for _, it := range f.Items {
		item := rssItemDoc{
			Title:       it.Title,
			Link:        base + "/classifieds/" + it.GUID,
			GUID:        rssGUID{IsPermaLink: "false", Value: "classifieds-cote-opale:" + it.GUID},
			PubDate:     it.Date.UTC().Format(time.RFC1123Z),
			Creator:     it.Author,
			Description: strings.TrimSpace(it.HTML),
		}
		if it.Image != "" {
			item.Enclosure = &rssEnclosure{URL: base + "/media/ads/" + it.Image, Type: "image/jpeg", Length: "0"}
		}
		doc.Channel.Items = append(doc.Channel.Items, item)
	}
	if len(f.Items) > 0 {
		doc.Channel.PubDate = f.Items[0].Date.UTC().Format(time.RFC1123Z)
	}
	writeXML(w, "application/rss+xml; charset=utf-8", doc)
}

type atomDoc struct {
	XMLName  xml.Name       `xml:"http://www.w3.org/2005/Atom feed"`
	Title    string         `xml:"title"`
	Subtitle string         `xml:"subtitle"`
	ID       string         `xml:"id"`
	Updated  string         `xml:"updated"`
	Links    []atomLink     `xml:"link"`
	Author   atomPerson     `xml:"author"`
	Entries  []atomEntryDoc `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntryDoc struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Published string     `xml:"published"`
	Updated   string     `xml:"updated"`
	Link      atomLink   `xml:"link"`
	Author    atomPerson `xml:"author"`
	Content   atomText   `xml:"content"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

// handleAtom serves /feeds/news.atom?page=N, PerPage entries a page, with
// rel="next" to the older page as Blogger and WordPress feeds page.
func (s *site) handleAtom(w http.ResponseWriter, r *http.Request) {
	base := baseURL(r)
	f := s.c.Feeds.Atom
	pages := max(1, (len(f.Entries)+f.PerPage-1)/f.PerPage)
	page := int(atoiParam(r, "page"))
	if page == 0 {
		page = 1
	}
	if page > pages {
		http.NotFound(w, r)
		return
	}
	self := base + "/feeds/news.atom"
	doc := atomDoc{
		Title:    f.Title,
		Subtitle: f.Subtitle,
		ID:       "tag:channelwatch.demo,2026:feed",
		Author:   atomPerson{Name: f.Author},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: self + pageQuery(page)},
			{Rel: "alternate", Type: "text/html", Href: base + "/news/"},
		},
	}
	if page < pages {
		doc.Links = append(doc.Links, atomLink{Rel: "next", Type: "application/atom+xml", Href: self + pageQuery(page+1)})
	}
	if page > 1 {
		doc.Links = append(doc.Links, atomLink{Rel: "previous", Type: "application/atom+xml", Href: self + pageQuery(page-1)})
	}
	start := (page - 1) * f.PerPage
	for _, e := range f.Entries[start:min(len(f.Entries), start+f.PerPage)] {
		stamp := e.Date.UTC().Format(time.RFC3339)
		doc.Entries = append(doc.Entries, atomEntryDoc{
			ID:        "tag:channelwatch.demo,2026:" + e.ID,
			Title:     e.Title,
			Published: stamp,
			Updated:   stamp,
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: base + "/news/" + e.ID},
			Author:    atomPerson{Name: f.Author},
			Content:   atomText{Type: "html", Value: strings.TrimSpace(e.HTML)},
		})
	}
	if len(f.Entries) > 0 {
		doc.Updated = f.Entries[0].Date.UTC().Format(time.RFC3339)
	}
	writeXML(w, "application/atom+xml; charset=utf-8", doc)
}

func pageQuery(page int) string {
	if page == 1 {
		return ""
	}
	return "?page=" + strconv.Itoa(page)
}

func writeXML(w http.ResponseWriter, contentType string, doc any) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		http.Error(w, "demosite: "+err.Error(), http.StatusInternalServerError)
		return
	}
	b.WriteByte('\n')
	w.Header().Set("Content-Type", contentType)
	w.Write(b.Bytes())
}

// handleClassified serves an RSS item's page, /classifieds/{guid}.
func (s *site) handleClassified(w http.ResponseWriter, r *http.Request) {
	for _, it := range s.c.Feeds.RSS.Items {
		if it.GUID == r.PathValue("guid") {
			s.render(w, "article", map[string]any{
				"Site": "Petites annonces Côte d'Opale", "Home": "/classifieds/", "URL": baseURL(r) + r.URL.Path,
				"Lang": it.Lang, "Title": it.Title, "Author": it.Author, "Date": it.Date, "Body": template.HTML(it.HTML),
			})
			return
		}
	}
	http.NotFound(w, r)
}

// handleNews serves an Atom entry's page, /news/{id}.
func (s *site) handleNews(w http.ResponseWriter, r *http.Request) {
	for _, e := range s.c.Feeds.Atom.Entries {
		if e.ID == r.PathValue("id") {
			s.render(w, "article", map[string]any{
				"Site": s.c.Feeds.Atom.Title, "Home": "/news/", "URL": baseURL(r) + r.URL.Path,
				"Lang": e.Lang, "Title": e.Title, "Author": s.c.Feeds.Atom.Author, "Date": e.Date, "Body": template.HTML(e.HTML),
			})
			return
		}
	}
	http.NotFound(w, r)
}
