package crawler

import (
	"bytes"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"tidewatch/seeds"
)

// The Telegram adapter reads the public web preview of a channel, the page
// https://t.me/s/<channel> serves: one div.tgme_widget_message per message,
// data-post="<channel>/<id>", oldest first, about 20 to a page, and older
// messages at ?before=<id>. The class names below are Telegram's; the
// saved pages in shared/fixtures/telegram-preview show each kind of message.

// telegramPost matches data-post: a channel username (5–32 characters of
// letters, digits and underscores on Telegram; looser here) and a message
// number.
var telegramPost = regexp.MustCompile(`^([A-Za-z0-9_]{1,64})/([0-9]{1,18})$`)

// cssURL finds url(...) in a style attribute, quoted or not.
var cssURL = regexp.MustCompile(`url\(\s*(?:'([^']*)'|"([^"]*)"|([^)'"\s]*))\s*\)`)

func extractTelegram(src *seeds.Source, p *Page) (*Extraction, error) {
	if err := checkPage(seeds.Telegram, src, p); err != nil {
		return nil, err
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.Body))
	if err != nil {
		return nil, pageError(seeds.Telegram, p, "parse HTML: %w", err)
	}
	ex := &Extraction{}
	seen := map[string]bool{}
	var channel string
	var oldest int64
	doc.Find(".tgme_widget_message[data-post]").EachWithBreak(func(_ int, msg *goquery.Selection) bool {
		m := telegramPost.FindStringSubmatch(strings.TrimSpace(msg.AttrOr("data-post", "")))
		if m == nil {
			return true // a service message or junk: nothing to identify it by
		}
		id, err := strconv.ParseInt(m[2], 10, 64)
		if err != nil {
			return true
		}
		post := telegramMessage(src, p, msg, m[1], m[2])
		if seen[post.ID] {
			return true
		}
		seen[post.ID] = true
		ex.Posts = append(ex.Posts, post)
		if channel == "" || strings.EqualFold(channel, m[1]) {
			channel = m[1]
			if oldest == 0 || id < oldest {
				oldest = id
			}
		}
		return len(ex.Posts) < maxPagePosts
	})
	ex.Next = telegramNext(doc, channelPage(p.URL, channel), oldest)
	return ex, nil
}

// telegramMessage reads one message block.
func telegramMessage(src *seeds.Source, p *Page, msg *goquery.Selection, channel, id string) Post {
	post := newPost("telegram", src, p)
	post.ID = "telegram:" + channel + "/" + id

	date := msg.Find("a.tgme_widget_message_date").First()
	post.URL = resolve(p.URL, date.AttrOr("href", ""))
	if post.URL == "" {
		// The page gives no permalink: build the one t.me would, on the
		// host that served the page.
		post.URL = resolve(p.URL, "/"+channel+"/"+id)
	}
	if dt, ok := date.Find("time[datetime]").Attr("datetime"); ok {
		post.Published = parseTime(dt)
	} else if dt, ok := msg.Find(".tgme_widget_message_info time[datetime]").Attr("datetime"); ok {
		post.Published = parseTime(dt)
	}

	post.Views = telegramViews(msg.Find(".tgme_widget_message_views").First().Text())

	owner := msg.Find(".tgme_widget_message_owner_name").First()
	if signed := oneLine(htmlText(msg.Find(".tgme_widget_message_from_author").First().Nodes...)); signed != "" {
		// A channel post signed by the admin who wrote it.
		post.Author = signed
	} else {
		post.Author = oneLine(htmlText(owner.Nodes...))
		post.AuthorURL = resolve(p.URL, owner.AttrOr("href", ""))
	}

	if fwd := msg.Find(".tgme_widget_message_forwarded_from").First(); fwd.Length() > 0 {
		name := fwd.Find(".tgme_widget_message_forwarded_from_name").First()
		if link := resolve(p.URL, name.AttrOr("href", "")); link != "" {
			post.Forwarded = link
		} else if n := oneLine(htmlText(name.Nodes...)); n != "" {
			post.Forwarded = n
		} else {
			post.Forwarded = strings.TrimSpace(strings.TrimPrefix(oneLine(htmlText(fwd.Nodes...)), "Forwarded from"))
		}
	}

	text := telegramText(msg)
	var parts []string
	if text.Length() > 0 {
		parts = append(parts, htmlText(text.Nodes...))
	}
	if poll := telegramPoll(msg); poll != "" {
		parts = append(parts, poll)
	}
	post.Text = strings.TrimSpace(strings.Join(parts, "\n\n"))

	links := urlList{max: maxPostLinks}
	text.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href := a.AttrOr("href", "")
		if strings.HasPrefix(href, "?") {
			return // in-channel hashtag search (?q=%23tag), not a link out
		}
		links.add(p.URL, href)
	})
	msg.Find("a.tgme_widget_message_link_preview[href]").Each(func(_ int, a *goquery.Selection) {
		links.add(p.URL, a.AttrOr("href", ""))
	})
	post.Links = links.urls
	post.Media = telegramMedia(p.URL, msg)
	clampPost(&post)
	return post
}

// telegramViews reads a view count as Telegram shows it ("845", "37.2K",
// "1.1M"); -1 when there is none or it cannot be read.
func telegramViews(s string) int64 {
	s = strings.TrimSpace(s)
	mult := 1.0
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1e3, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1e6, strings.TrimSuffix(s, "M")
	}
	f, err := strconv.ParseFloat(s, 64)
	if s == "" || err != nil || f < 0 || f > 1e12 {
		return -1
	}
	return int64(f*mult + 0.5)
}

// telegramText is the message's own text: the first .tgme_widget_message_text
// that is not inside a reply quote or link preview. Albums nest one text
// div inside another; the outer one holds it all.
func telegramText(msg *goquery.Selection) *goquery.Selection {
	return msg.Find(".tgme_widget_message_text").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.ParentsFiltered(".tgme_widget_message_reply, .tgme_widget_message_link_preview").Length() == 0
	}).First()
}

// telegramPoll renders a poll as its question and one line per option.
func telegramPoll(msg *goquery.Selection) string {
	poll := msg.Find(".tgme_widget_message_poll").First()
	if poll.Length() == 0 {
		return ""
	}
	lines := []string{oneLine(htmlText(poll.Find(".tgme_widget_message_poll_question").First().Nodes...))}
	poll.Find(".tgme_widget_message_poll_option_text").Each(func(_ int, o *goquery.Selection) {
		lines = append(lines, "- "+oneLine(htmlText(o.Nodes...)))
	})
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// telegramMedia lists the photos, videos, voice notes, stickers and preview
// images of a message: background-image URLs in style attributes, and the
// src of video, audio and source elements. Emoji images and the channel's
// avatar are decoration, not media.
func telegramMedia(base *url.URL, msg *goquery.Selection) []string {
	media := urlList{max: maxPostMedia}
	msg.Find("[style], video[src], audio[src], source[srcset], source[src]").Each(func(_ int, s *goquery.Selection) {
		if s.HasClass("emoji") || s.ParentsFiltered(".tgme_widget_message_user, .tgme_widget_message_author, .tgme_widget_message_info").Length() > 0 {
			return
		}
		if style, ok := s.Attr("style"); ok {
			for _, u := range cssURLs(style) {
				media.add(base, u)
			}
		}
		switch goquery.NodeName(s) {
		case "video", "audio":
			media.add(base, s.AttrOr("src", ""))
		case "source":
			media.add(base, s.AttrOr("src", ""))
			srcset := strings.TrimSpace(s.AttrOr("srcset", ""))
			if strings.HasPrefix(srcset, "data:") {
				return // an inline placeholder drawing, not a fetchable file
			}
			for _, cand := range strings.Split(srcset, ",") {
				if f := strings.Fields(cand); len(f) > 0 {
					media.add(base, f[0]) // resolve drops data: URLs
				}
			}
		}
	})
	return media.urls
}

// cssURLs returns the url(...) values in a style attribute.
func cssURLs(style string) []string {
	var out []string
	for _, m := range cssURL.FindAllStringSubmatch(style, 8) {
		out = append(out, m[1]+m[2]+m[3])
	}
	return out
}

// telegramNext is the older page of the same channel. A whole channel page
// says where older messages are (the "load more" link carries
// data-before); when it has no such link the channel has nothing older.
// A page without that furniture (a single message, a page of another
// shape) gets ?before=<oldest id on the page> on its own URL.
func telegramNext(doc *goquery.Document, page *url.URL, oldest int64) string {
	if more := doc.Find("a.tme_messages_more[data-before]").First(); more.Length() > 0 {
		if href := resolve(page, more.AttrOr("href", "")); href != "" && href != page.String() {
			return href
		}
		if before, err := strconv.ParseInt(more.AttrOr("data-before", ""), 10, 64); err == nil && before > 1 {
			return withBefore(page, before)
		}
	}
	if doc.Find(".tgme_channel_history").Length() > 0 {
		return "" // a channel page with no "load more" link: the start of the channel
	}
	if oldest <= 1 {
		return ""
	}
	return withBefore(page, oldest)
}

// channelPage is the channel's preview page on the host of page: page
// itself when it is one (/s/<channel>, with its query), else /s/<channel>,
// so that a single message's permalink pages back through its channel.
func channelPage(page *url.URL, channel string) *url.URL {
	if channel == "" || strings.HasPrefix(page.Path, "/s/") {
		return page
	}
	return &url.URL{Scheme: page.Scheme, Host: page.Host, Path: "/s/" + channel}
}

// withBefore is page with ?before=n, and without the ?after= a newer-first
// page carries.
func withBefore(page *url.URL, n int64) string {
	u := *page
	q := u.Query()
	q.Del("after")
	q.Set("before", strconv.FormatInt(n, 10))
	u.RawQuery = q.Encode()
	u.Fragment = ""
	next := u.String()
	if next == page.String() {
		return ""
	}
	return next
}

// timeLayouts are the date formats pages use, most common first.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04",
	"2 January 2006 15:04",
	"January 2, 2006 15:04",
	"02/01/2006 15:04",
	"2006-01-02",
}

// parseTime reads a date in one of timeLayouts and returns it in UTC, or
// the zero time when it matches none: a date that cannot be read is left
// out rather than guessed.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
