//go:build tools

package tools

import (
	_ "github.com/PuerkitoBio/goquery"
	_ "github.com/blevesearch/bleve/v2"
	_ "github.com/gocolly/colly/v2"
	_ "github.com/mmcdole/gofeed"
	_ "github.com/nyaruka/phonenumbers"
	_ "github.com/pemistahl/lingua-go"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/robfig/cron/v3"
	_ "golang.org/x/net/html/charset"
	_ "golang.org/x/sync/errgroup"
	_ "golang.org/x/term"
	_ "golang.org/x/text/unicode/norm"
	_ "gopkg.in/yaml.v3"
	_ "modernc.org/sqlite"
)
