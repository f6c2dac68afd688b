package classify

import (
	"reflect"
	"testing"
)

func entitiesOf(text string) []Entity {
	return extractEntities(newLightText(text, normalizeRunes(text, modeLight, nil)), nil)
}

func TestEntities(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		want       []Entity
	}{
		{"uk mobile with spaces", "call +44 7700 900123 now", []Entity{
			{Kind: Phone, Value: "+447700900123", Country: "GB", Span: Span{5, 20}}}},
		{"french mobile with dots", "tel 06.12.34.56.78", []Entity{
			{Kind: Phone, Value: "+33612345678", Country: "FR", Span: Span{4, 18}}}},
		{"00 prefix in arabic-indic digits", "واتساب ٠٠٤٤٧٧٠٠٩٠٠١٢٣", []Entity{
			{Kind: Phone, Value: "+447700900123", Country: "GB", Span: Span{13, 41}}}},
		{"split by emoji", "+33 6 12 📞 34 56 78", []Entity{
			{Kind: Phone, Value: "+33612345678", Country: "FR", Span: Span{0, 22}}}},
		{"national number, uk first", "07400 123456", []Entity{
			{Kind: Phone, Value: "+447400123456", Country: "GB", Span: Span{0, 12}}}},
		{"wa.me link", "https://wa.me/447700900123", []Entity{
			{Kind: WhatsApp, Value: "https://wa.me/447700900123", Country: "GB", Span: Span{0, 26}}}},
		{"whatsapp group", "chat.whatsapp.com/AbCdEfGh1234", []Entity{
			{Kind: WhatsApp, Value: "https://chat.whatsapp.com/abcdefgh1234", Span: Span{0, 30}}}},
		{"t.me channel", "join t.me/Boats_UK.", []Entity{
			{Kind: Telegram, Value: "https://t.me/boats_uk", Span: Span{5, 18}}}},
		{"handle", "dm @kurd_balam", []Entity{
			{Kind: Handle, Value: "@kurd_balam", Span: Span{3, 14}}}},
		{"e-mail is neither handle nor link", "mail ali@example.com", nil},
		{"other link", "see https://Example.org/Path?q=1", []Entity{
			{Kind: Link, Value: "https://example.org/Path?q=1", Span: Span{4, 32}}}},
		{"pound sign before", "only £2,500 pp", []Entity{
			{Kind: Price, Value: "2500", Currency: "GBP", Amount: 2500, Span: Span{5, 12}}}},
		{"euro word after", "3000 euro", []Entity{
			{Kind: Price, Value: "3000", Currency: "EUR", Amount: 3000, Span: Span{0, 9}}}},
		{"thousands", "5k € each", []Entity{
			{Kind: Price, Value: "5000", Currency: "EUR", Amount: 5000, Span: Span{0, 6}}}},
		{"persian digits and currency", "۲۵۰۰ پوند", []Entity{
			{Kind: Price, Value: "2500", Currency: "GBP", Amount: 2500, Span: Span{0, 17}}}},
		{"urdu thousand (heh goal) and pound", "۱۲ ہزار پاؤنڈ", []Entity{
			{Kind: Price, Value: "12000", Currency: "GBP", Amount: 12000, Span: Span{0, 24}}}},
		{"emoji between amount, multiplier and currency", "١١ ألف 💥 باوند", []Entity{
			{Kind: Price, Value: "11000", Currency: "GBP", Amount: 11000, Span: Span{0, 27}}}},
		{"emoji between currency and amount", "€ 🔥 4.000", []Entity{
			{Kind: Price, Value: "4000", Currency: "EUR", Amount: 4000, Span: Span{0, 14}}}},
		{"two spaces are no filler", "4000  euro", nil},
		{"three emoji are more than a filler", "4000 🔥🔥🔥 euro", nil},
		{"k with hundreds after it", "£1k2 each", []Entity{
			{Kind: Price, Value: "1200", Currency: "GBP", Amount: 1200, Span: Span{0, 5}}}},
		{"spanish pounds", "2.500 libras", []Entity{
			{Kind: Price, Value: "2500", Currency: "GBP", Amount: 2500, Span: Span{0, 12}}}},
		{"amharic thousand in full", "20 ሺህ ብር", []Entity{
			{Kind: Price, Value: "20000", Currency: "ETB", Amount: 20000, Span: Span{0, 16}}}},
		{"gheg thousand", "2.5 mij paund", []Entity{
			{Kind: Price, Value: "2500", Currency: "GBP", Amount: 2500, Span: Span{0, 13}}}},
		{"persian dollar", "۵۵۰۰ دلار", []Entity{
			{Kind: Price, Value: "5500", Currency: "USD", Amount: 5500, Span: Span{0, 17}}}},
		{"grand", "2 grand pounds", []Entity{
			{Kind: Price, Value: "2000", Currency: "GBP", Amount: 2000, Span: Span{0, 14}}}},
		{"spanish thousand", "3 mil euros", []Entity{
			{Kind: Price, Value: "3000", Currency: "EUR", Amount: 3000, Span: Span{0, 11}}}},
		{"somali euro", "39 yuuro", []Entity{
			{Kind: Price, Value: "39", Currency: "EUR", Amount: 39, Span: Span{0, 8}}}},
		{"quid", "900 quid", []Entity{
			{Kind: Price, Value: "900", Currency: "GBP", Amount: 900, Span: Span{0, 8}}}},
		{"dollar after", "8000$", []Entity{
			{Kind: Price, Value: "8000", Currency: "USD", Amount: 8000, Span: Span{0, 5}}}},
		{"a year is not a price or a phone", "in 2025 we", nil},
		{"short numbers are not phones", "call 112", nil},
	} {
		got := entitiesOf(tt.text)
		if !reflect.DeepEqual(got, tt.want) && (len(got) != 0 || len(tt.want) != 0) {
			t.Errorf("%s: entities(%q) =\n %+v\nwant\n %+v", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestPhoneRegionFollowsLanguage(t *testing.T) {
	c := newTestClassifier(t)
	r := c.Classify("پول بعد از رسیدن، تماس بگیرید ۰۷۸۸ ۴۴۵ ۱۲۹ کابل")
	var got []string
	for _, e := range r.Entities {
		if e.Kind == Phone {
			got = append(got, e.Value+" "+e.Country)
		}
	}
	if want := []string{"+93788445129 AF"}; !reflect.DeepEqual(got, want) {
		t.Errorf("phones in a Dari post = %q, want an Afghan number", got)
	}
}
