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
		// lingua-go: Portuguese, which has the acute vowels (shared with
		// Spanish) but none of the function words.
		{"Vendo neumática de 4,7 m con motor Yamaha 40 CV, usada un solo verano. 7.500 € n", "es"},
		{"Barca veloce Lampedusa", "it"}, // lingua-go: Portuguese, no word of it
		{"Veliki brod Italija", "hr"},    // no language of the routes near
		{"Barca per l'Inghilterra, posti garantiti, pagamento dopo l'arrivo", "it"},
		{"Son iki yılda ilk beş arasına girdi", "tr"},
		{"Matoor xaalad wanaagsan, doon", "so"},
		{"Bhai aaj raat kashti ja rahi hai, rabta karein", "ur"},
		// Short Latin-script posts: function words, letters and spellings
		// (rr-, gj-, á, ñ, ã) outweigh lingua-go's n-grams on a few words.
		{"Salida mañana a Inglaterra", "es"},
		{"Quedan dos plazas, pago al llegar", "es"},
		{"Hermanos, cuidado con los estafadores", "es"},
		{"Llamar ahora", "es"},
		{"Camión a Londres, sitio detrás", "es"},
		{"Precio 2000 euros por persona", "es"},
		{"Barco nuevo con motor", "es"},
		{"salimos esta noche", "es"},
		{"Rruga e sigurte per ne Itali", "sq"},
		{"Nisja sot ne mbremje per Angli", "sq"},
		{"Loje per Angli me kamion", "sq"},
		{"Shitet gomone me motor", "sq"},
		{"Kush do te shkoje ne Angli", "sq"},
		{"gjithe rruga e paguar", "sq"},
		{"sonte dm", "sq"},
		{"Pagesa pas arritjes ne Londer", "sq"},
		{"Barco para Inglaterra amanhã, não perca", "pt"},
		{"Viagem segura, pagamento na chegada", "pt"},
		{"Plecăm în fiecare noapte spre Anglia", "ro"},
		{"Elke nacht een boot naar Engeland", "nl"},
		{"Partenza da Tripoli", "it"},
		{"Barca tutte le sere", "it"},
		{"Bu gece bot var, hemen arayın", "tr"},
		// Case endings after an apostrophe, and dotless ı, are Turkish;
		// lingua-go took these for Spanish ("de", "para") and German.
		{"Para emanetçide durur, Londra'ya varınca video atarız", "tr"},
		{"Kardeşim Edirne'de, Yunanistan'a geçmek istiyor", "tr"},
		{"Abim 2015'te Bodrum'dan Kos'a geçti", "tr"},
		{"Frigorifik TIR ile Köln'den İngiltere'ye", "tr"},
		// An apostrophe before one letter is French or Italian, not Turkish.
		{"Passage jusqu'à Douvres ce soir, écrivez-moi", "fr"},
		{"départ samedi en zodiac", "fr"},
		{"Passage en camion ce soir", "fr"},
		{"Heute Nacht Boot nach England, für 2000 Euro", "de"},
		{"Doon caawa u socota Talyaani", "so"},
		{"îşev belem heye", "kmr"},
		{"Boat tonight, 2 places left, dm", "en"},
		{"Boat tonight to the UK", "en"},
		{"Đi Anh tối nay, liên hệ", "vi"},
		// Persian, Dari, Sorani and Pashto in Latin letters.
		{"ghayegh emshab az dunkirk, nafari 1200 pound", "fa"},
		{"mersi dadash, residim", "fa"},
		{"tashakor biradar, rasidim, qachaqbar khob bud", "prs"},
		{"motar tayar ast, paisa bad az rasidan, betin", "prs"},
		{"supas bo hamuw brakan, gayshtina ingltra", "ckb"},
		{"balam amshaw bo ingltra haya", "ckb"},
		{"wror shpa ta England ta kishti zi, paisay wrusta", "ps"},
		// Urdu that borrows Persian words; Kurmanji in Arabic letters (Badini)
		// against Sorani.
		{"aaj raat UK ke liye kashti, rabta karein", "ur"},
		{"بیلاروس سے پولینڈ، جرمنی تک گاڑی، سو فیصد گارنٹی، پیسے بعد میں", "ur"},
		{"ئەڤ حەفتیە بەلەم هەیە ژ دانکرک، پارە ل دەڤ سەرافی", "kmr"},
		{"بەلەم ئەمشەو بۆ ئینگلتەرا دەڕوات، پارە لای سەراف دادەنرێت", "ckb"},
		// Short posts and posts without words.
		{"🇬🇧🚤✅ 📞", "und"},
		{"", "und"},
	} {
		if got := c.Classify(tt.text).Lang; got != tt.want {
			t.Errorf("Classify(%q).Lang = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestLanguagePersianVarieties holds pairs of Iranian Persian and Dari
// posts on the same subjects: colloquial and formal, adverts, warnings,
// news and migrants' own words, short and long.
func TestLanguagePersianVarieties(t *testing.T) {
	c := newTestClassifier(t)
	for _, tt := range []struct {
		text, want string
	}{
		{"سلام بچه‌ها کسی میدونه قایق از دانکرک کی حرکت میکنه؟", "fa"},
		{"قاچاقچی گفت ۱۵۰۰ پوند، نصفش الان نصفش وقتی رسیدی", "fa"},
		{"هشدار: به آگهی‌های قاچاق انسان در اینستاگرام اعتماد نکنید، جانتان در خطر است", "fa"},
		{"پلیس فرانسه دیشب ۳۰ مهاجر را در ساحل گراولین دستگیر کرد", "fa"},
		{"داداش من پارسال با کامیون رفت، خیلی سخت بود", "fa"},
		{"یه جا خالی داریم برای امشب، پیوی پیام بدید", "fa"},
		{"مرزبانی یونان قایق مهاجران را برگرداند", "fa"},
		{"هزینه سفر تا آلمان ۵ هزار یورو، بیعانه ۵۰۰", "fa"},
		{"جلیقه نجات رایگان، ظرفیت محدود", "fa"},
		{"تو جنگل کاله خیلی سرده، کسی چادر اضافه داره؟", "fa"},
		{"ما ۲۰ مرداد رسیدیم ایتالیا", "fa"},
		{"اگه پول نداری نرو، اونجا کسی کمکت نمیکنه", "fa"},
		{"قیمت بلیط هواپیما به استانبول چنده؟", "fa"},
		{"داره میاد قایق، آماده باشید", "fa"},
		{"مهاجران ایرانی در انگلیس درخواست پناهندگی دادند", "fa"},
		{"خبرگزاری‌ها گزارش دادند که ۲۷ نفر در کانال مانش غرق شدند", "fa"},
		{"قایق امشب از ساحل حرکت می‌کند، هر نفر ۱۲۰۰ پوند", "fa"},
		{"بچه‌ها مواظب کلاهبردارا باشید", "fa"},
		{"از تهران تا مرز ترکیه با ماشین شخصی، تماس بگیرید", "fa"},
		{"دانشجوها و خانواده‌ها تخفیف دارن، واسه رزرو پیام بدین", "fa"},
		{"گارد ساحلی یونان ۴۰ مهاجر را نزدیک لسبوس نجات داد", "fa"},
		{"شناسنامه و کارت ملی لازمه", "fa"},
		{"۱۰ فروردین حرکت داریم", "fa"},
		{"ممنون از همه، رسیدیم", "fa"},
		{"برادرا موتر تا سرحد ایران آماده است، پیسه بعد از رسیدن", "prs"},
		{"کسی از وطندارا خبر داره که راه ترکیه باز است یا نی؟", "prs"},
		{"ما دیروز به جرمنی رسیدیم، تشکر از همه", "prs"},
		{"قاچاقبر گفت صد فیصد گرنتی است، مگر دروغ بود", "prs"},
		{"همرای فامیل خود در کیمپ یونان استیم", "prs"},
		{"وزارت مهاجرین هوشدار داد که به قاچاقبران اعتماد نکنید", "prs"},
		{"بچیم ورخطا شده، از دیشب تیلفونش خاموش است", "prs"},
		{"یک جای در لاری مانده، ۸۰۰ دالر", "prs"},
		{"۱۵ سنبله از نیمروز حرکت کدیم", "prs"},
		{"ولسوالی ما را طالبان گرفتند و ما مجبور شدیم فرار کنیم", "prs"},
		{"پولیس ترکیه ما را واپس به ایران دیپورت کرد", "prs"},
		{"مهربانی کنید نمبر یک قاچاقبر خوب را روان کنید", "prs"},
		{"ای بیادر تو چطور استی؟ ده کجه استی؟", "prs"},
		{"کسی خبر داره که پاسپورت افغانی ویزه شینگن میگیره؟", "prs"},
		{"مانده نباشین وطندارا، راه بسیار سخت است", "prs"},
		{"در شفاخانه بستر استم، دعا کنید", "prs"},
		{"پیشکی ۵۰۰ دالر، باقی پیسه بعد از رسیدن", "prs"},
		{"بیخی مانده شدیم، سه روز پیاده رفتیم", "prs"},
		{"مصروف کار استم، پسان تماس میگیرم", "prs"},
		{"موتر تیار است", "prs"},
		{"جای مانده، پیام بتین", "prs"},
		{"از مزار شریف تا تهران با سرویس رفتیم، بعد پیاده تا سرحد ترکیه", "prs"},
		{"عسکرهای بلغاریا ما را لت و کوب کردند", "prs"},
		{"جاکت نجات همرای خود بگیرید، بحر خطرناک است", "prs"},
		{"تکت طیاره کابل استانبول چند است؟", "prs"},
		// An Afghan keyboard: the Pashto gaf in a post without markers.
		{"امشب قایق از دانکرک حرکت میکند، ګروه ما آماده است", "prs"},
		{"امشب قایق از دانکرک حرکت میکند، گروه ما آماده است", "fa"},
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
		{"موتر تا سرحد ترکیه تیار است، پیسه بعد از رسیدن. Car to the Turkish border, pay on arrival", "prs", []string{"en"}},
		{"Boat tonight from the beach, two places left, message me now. ماشین آماده است، پیوی پیام بدید", "en", []string{"fa"}},
		{"tashakor az hama, biradaram rasid. ما دیروز به جرمنی رسیدیم، تشکر از همه", "prs", []string{}},
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
