package classify

import (
	"slices"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestLanguage(t *testing.T) {
	c := newTestClassifier(t)
	for _, tt := range []struct {
		text, want string
	}{
		// Languages lingua-go does not know or gets wrong.
		{"بەلەم بۆ بەریتانیا هەموو شەوێک هەیە، پەیوەندیمان پێوە بکەن لە واتساپ", "ckb"},
		{"ئەمشەو دەڕۆین، جێگا ماوە", "ckb"},
		{"انګلستان ته کښتۍ هره شپه ځي، د هر نفر بیه ۲۰۰۰ پونډه ده، اړیکه ونیسئ", "ps"},
		{"Belem her şev ji Fransayê diçe Îngilîstanê, ji bo her kesî 1500 pere ye", "kmr"},
		{"Em dikarin we bi ewlehî bibin, têkilî daynin", "kmr"},
		{"ጀልባ ናብ እንግሊዝ ሎሚ ለይቲ ኣሎ፣ ብዙሕ ቦታ የለን። ደውሉ", "ti"},
		{"ዛሬ ማታ ወደ እንግሊዝ ጀልባ አለ፣ ቦታ ውስን ነው። ይደውሉ", "am"},
		{"موتر از کابل تا ایران میرود، پیسه بعد از رسیدن، بسیار مصئون است", "prs"},
		{"ماشین از تهران حرکت میکند، خیلی امن است، پول بعد از رسیدن، تماس بگیرید", "fa"},
		// Languages lingua-go knows, and rules settle.
		{"رحلات إلى بريطانيا كل ليلة من الشاطئ، للتواصل على الواتساب", "ar"},
		{"Boat to the UK every night from the beach, contact us on WhatsApp", "en"},
		{"Départ pour l'Angleterre chaque nuit depuis la plage, contactez-nous", "fr"},
		{"Überfahrt nach England jede Nacht vom Strand, schreibt uns", "de"},
		{"Viaggio per l'Inghilterra ogni notte dalla spiaggia, contattateci", "it"},
		{"Viaje a Inglaterra cada noche desde la playa, escríbenos por privado", "es"},
		{"Gomone për në Angli çdo natë nga plazhi, na kontaktoni", "sq"},
		{"Her gece sahilden İngiltere'ye bot var, bize ulaşın", "tr"},
		{"Doon u socota Ingiriiska habeen kasta, nala soo xiriir", "so"},
		{norm.NFD.String("Đi Anh bằng thuyền mỗi đêm, bao đậu, liên hệ ngay"), "vi"},
		{"برطانیہ کے لیے ہر رات کشتی جاتی ہے، رابطہ کریں", "ur"},
		{"Лодка в Англию каждую ночь, пишите", "ru"},
		{"Човен до Англії щоночі, пишіть", "uk"},
		{"Βάρκα για την Αγγλία κάθε βράδυ", "el"},
		// Dari against Iranian Persian: weighed markers of each variety, and
		// words both share ("است", "کمک", "جان") decide nothing.
		{"نمبر تیلفونت را مسج کو", "prs"},
		{"یگان کس از قوماندانی امنیه خبر داره؟", "prs"},
		{"وزارت داخله بریتانیا گفت که مهاجرین زیاد با کشتی آمدند", "prs"},
		{"قیمت بلیط قطار تهران چند است؟ جان من کمک کنید", "fa"},
		{"اونجا خیلی گرونه، یه راه ارزون‌تر میدونی؟", "fa"},
		{"پلیس دیروز سه نفر را در مرز بازداشت کرد", "fa"},
		{"قایق امشب از دانکرک حرکت می‌کند", "fa"},
		{"کامیون تا لندن، پول بعد از رسیدن ۰۷۸۸ ۴۴۵ ۱۲۹", "prs"}, // Afghan mobile
		{"کامیون تا لندن، پول بعد از رسیدن ۰۹۱۲ ۳۴۵ ۶۷۸۹", "fa"}, // Iranian mobile
		// Amharic against Tigrinya.
		{"ጀልባ ወደ እንግሊዝ ዋስትና ያለው ነገር ነው", "am"},
		{"የጀልባ ዋጋ 2000 ብር ነው", "am"},
		{"ጀልባ ናብ እንግሊዝ ብውሕስነ፡ ክፍሊት 2000 ናቕፋ", "ti"},
		{"ጽባሕ ምሸት ሰብ የለን", "ti"}, // short: Tigrinya words, no ኣ
		// Spanish, Italian, Turkish, Somali and Urdu in Latin letters.
		{"Salimos mañana desde la playa, niños gratis", "es"},
		{"Barco de madera con motor, ideal para pesca", "es"}, // lingua-go: Portuguese
		{"Barca per l'Inghilterra, posti garantiti, pagamento dopo l'arrivo", "it"},
		{"Son iki yılda ilk beş arasına girdi", "tr"},
		{"Matoor xaalad wanaagsan, doon", "so"},
		{"Bhai aaj raat kashti ja rahi hai, rabta karein", "ur"},
		// Short posts and posts without words.
		{"🇬🇧🚤✅ 📞", "und"},
		{"", "und"},
	} {
		if got := c.Classify(tt.text).Lang; got != tt.want {
			t.Errorf("Classify(%q).Lang = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestLanguageMixed(t *testing.T) {
	c := newTestClassifier(t)
	for _, tt := range []struct {
		text, main string
		others     []string
	}{
		{"رحلة إلى بريطانيا الليلة من كاليه، المكان محدود، للتواصل على الخاص. Boat tonight, contact us", "ar", []string{"en"}},
		{"بەلەم بۆ بەریتانیا ئەمشەو 🇬🇧 ٢٠٠٠ پاوەند WhatsApp UK", "ckb", []string{}},
		{"Boat to the UK tonight from the French beach, message me 🇬🇧 بۆ بەریتانیا ئەمشەو", "en", []string{"ckb"}},
		{"Boat to the UK tonight, contact me. نمبر تیلفون را مسج کنین، یگان جای مانده", "prs", []string{"en"}},
		{"ጀልባ ናብ እንግሊዝ ሎሚ ምሸት ኣሎ። Boat tonight to the UK, contact me now", "en", []string{"ti"}},
	} {
		r := c.Classify(tt.text)
		if r.Lang != tt.main || !slices.Equal(r.Langs, tt.others) {
			t.Errorf("Classify(%q) lang %q others %q, want %q others %q", tt.text, r.Lang, r.Langs, tt.main, tt.others)
		}
		if r.LangConfidence <= 0 || r.LangConfidence > 1 {
			t.Errorf("Classify(%q).LangConfidence = %v, want in (0,1]", tt.text, r.LangConfidence)
		}
	}
}
