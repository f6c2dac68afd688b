package demosite

import (
	"net/http"
	"strconv"
)

// telegramPageSize is how many messages t.me/s/<channel> shows per page.
const telegramPageSize = 20

// messageView is what the telegram_message template needs.
type messageView struct {
	Base    string
	Channel *channel
	Msg     *message
}

// handleChannel serves /s/{channel}: the newest 20 messages, oldest first;
// ?before=N the 20 before message N, ?after=N the 20 after it.
func (s *site) handleChannel(w http.ResponseWriter, r *http.Request) {
	ch := s.c.channel(r.PathValue("channel"))
	if ch == nil {
		http.NotFound(w, r)
		return
	}
	before, after := atoiParam(r, "before"), atoiParam(r, "after")
	msgs := ch.Messages
	var page []*message
	switch {
	case before > 0:
		i := 0
		for i < len(msgs) && msgs[i].ID < before {
			i++
		}
		page = msgs[max(0, i-telegramPageSize):i]
	case after > 0:
		i := 0
		for i < len(msgs) && msgs[i].ID <= after {
			i++
		}
		page = msgs[i:min(len(msgs), i+telegramPageSize)]
	default:
		page = msgs[max(0, len(msgs)-telegramPageSize):]
	}
	data := struct {
		Channel      *channel
		Base         string
		Messages     []messageView
		Before       int64
		Older, Newer int64 // first and last id shown, when there is more beyond them
	}{Channel: ch, Base: baseURL(r), Before: before}
	for _, m := range page {
		data.Messages = append(data.Messages, messageView{Base: data.Base, Channel: ch, Msg: m})
	}
	if len(page) > 0 {
		if page[0].ID > msgs[0].ID {
			data.Older = page[0].ID
		}
		if last := page[len(page)-1].ID; last < msgs[len(msgs)-1].ID {
			data.Newer = last
		}
	}
	s.render(w, "telegram_page", data)
}

// handleMessage serves /{channel}/{id}, the message's permalink, as the
// embedded-widget view of that one message.
func (s *site) handleMessage(w http.ResponseWriter, r *http.Request, channelName, idText string) {
	ch := s.c.channel(channelName)
	id, err := strconv.ParseInt(idText, 10, 64)
	if ch == nil || err != nil {
		http.NotFound(w, r)
		return
	}
	for _, m := range ch.Messages {
		if m.ID == id {
			s.render(w, "telegram_single", map[string]any{
				"Channel": ch,
				"Message": messageView{Base: baseURL(r), Channel: ch, Msg: m},
			})
			return
		}
	}
	http.NotFound(w, r)
}
