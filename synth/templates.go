package synth

// The templates below were written for this package; they imitate the
// shape of adverts and of the posts that share their vocabulary (rescue
// news, warnings, ferry offers), not any real post. Placeholders:
// {from} a departure place, {dest} the destination, {day} a weekday,
// {n} a small number, {price} a price, {phone} a phone number, {handle} a
// handle or contact link.

// template is one post shape and the indicator groups it carries.
type template struct {
	text   string
	groups []string
}

// language holds everything the generator needs to write in one language.
type language struct {
	code     string
	weight   int // share of posts, relative
	adverts  []template
	negative []template
	places   []string
	dests    []string
	days     []string
	currency []string // price formats; %d is the amount
	extras   []string // sentences appended now and then
	digits   string   // the script's digits 0-9, "" for ASCII
}

const (
	gDestination = "destination"
	gRoute       = "route"
	gVehicle     = "vehicle"
	gOffer       = "offer"
	gContact     = "contact"
	gDocuments   = "documents"
	gCounter     = "counter"
)

var latinPlaces = []string{"Calais", "Dunkirk", "Dunkerque", "Gravelines", "Boulogne", "Grande-Synthe", "Loon-Plage", "Wimereux", "Zeebrugge", "Ostend", "Hardelot", "Le Portel", "Izmir", "Bodrum", "Zuwara", "Sabratha", "Durrës", "Vlorë", "Minsk"}

// languages is a constant table; weights sum to 100.
var languages = []language{
	{
		code: "en", weight: 15,
		adverts: []template{
			{"Boat from {from} to {dest} {day} night, {n} places left. {price} per person, kids half price. WhatsApp {phone}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"Lorry to {dest} every week from {from} parking, the driver is with us. {price}, half now half after arrival. Contact {handle}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"100% guaranteed game to {dest} 🇬🇧 the boys arrived safely yesterday ✅ price {price}, call {phone} or telegram {handle}", []string{gDestination, gOffer, gContact}},
			{"Original passports and visas for {dest}, fast delivery, {price}. DM {handle}", []string{gDocuments, gDestination, gOffer, gContact}},
			{"Taxi boat picks up offshore near {from}, no police. {n} seats {day}. {price}. Signal {phone}", []string{gVehicle, gRoute, gOffer, gContact}},
		},
		negative: []template{
			{"Coastguard rescued {n} people off {from} this morning after their dinghy got into difficulty", []string{gVehicle, gCounter}},
			{"Warning: smugglers in {from} are lying about safe crossings. Do not pay anyone. Free legal advice on {phone}", []string{gCounter, gContact}},
			{"Ferry tickets {from} to Dover from {price}, book online, cars and foot passengers", []string{gRoute}},
			{"Home Office figures: {n} small boats crossed the Channel on {day}, the highest this month", []string{gVehicle, gCounter}},
		},
		places:   latinPlaces,
		dests:    []string{"UK", "England", "London", "Dover", "the UK", "Britain"},
		days:     []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
		currency: []string{"£%d", "%d£", "€%d", "%d euro", "%d pounds"},
		extras:   []string{"Serious people only.", "Message me now, places go fast.", "#uk #london #channel", "God protect everyone.", "Share with your friends."},
	},
	{
		code: "fr", weight: 10,
		adverts: []template{
			{"Bateau de {from} vers {dest} {day} soir, il reste {n} places. {price} par personne. WhatsApp {phone}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"Camion pour {dest} depuis le parking de {from}, le chauffeur est avec nous. {price}, moitié avant moitié à l'arrivée. Contact {handle}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"Passage garanti 100% vers {dest}, les gars sont bien arrivés ✅ {price}, appelez {phone}", []string{gDestination, gOffer, gContact}},
			{"Traversées tous les soirs depuis {from}, zodiac neuf, gilets pour tout le monde. {price}. Télégramme {handle}", []string{gVehicle, gRoute, gOffer, gContact}},
		},
		negative: []template{
			{"Les secours ont récupéré {n} personnes au large de {from} ce matin, l'embarcation prenait l'eau", []string{gVehicle, gCounter}},
			{"Attention aux passeurs à {from} : ne payez personne. Aide juridique gratuite au {phone}", []string{gCounter, gContact}},
			{"Billets de ferry {from} - Douvres à partir de {price}, réservez en ligne", []string{gRoute}},
		},
		places:   latinPlaces,
		dests:    []string{"l'Angleterre", "UK", "Londres", "la Grande-Bretagne", "l'Angleterre 🇬🇧"},
		days:     []string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"},
		currency: []string{"%d€", "%d euros", "%d £", "%d livres"},
		extras:   []string{"Sérieux uniquement.", "Places limitées.", "Partagez svp.", "Paiement à l'arrivée possible."},
	},
	{
		code: "ar", weight: 12,
		adverts: []template{
			{"قارب من {from} إلى {dest} ليلة {day}، باقي {n} أماكن. السعر {price} للشخص. واتساب {phone}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"تهريب إلى {dest} بالشاحنة من {from}، السائق معنا. {price} نصف الآن ونصف بعد الوصول. تواصل {handle}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"مضمون 100% الشباب وصلوا بالسلامة ✅ رحلة جديدة إلى {dest} {price} اتصل {phone}", []string{gDestination, gOffer, gContact}},
			{"جوازات سفر أصلية وفيزا إلى {dest}، تسليم سريع، {price}. راسلني {handle}", []string{gDocuments, gDestination, gOffer, gContact}},
		},
		negative: []template{
			{"خفر السواحل أنقذ {n} شخصا قبالة {from} صباح اليوم بعد غرق القارب", []string{gVehicle, gCounter}},
			{"تحذير: المهربون في {from} يكذبون عليكم. لا تدفعوا لأحد. مساعدة قانونية مجانية {phone}", []string{gCounter, gContact}},
			{"تذاكر العبارة من {from} بأسعار تبدأ من {price}، احجز الآن", []string{gRoute}},
		},
		places:   []string{"كاليه", "دنكيرك", "غرافلين", "بولوني", "زوارة", "صبراتة", "إزمير", "Calais", "Dunkirk"},
		dests:    []string{"بريطانيا", "لندن", "انجلترا", "UK"},
		days:     []string{"الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"},
		currency: []string{"%d يورو", "%d جنيه", "%d£", "%d€"},
		extras:   []string{"للجادين فقط.", "الأماكن محدودة.", "الله يحفظ الجميع.", "انشر للفائدة."},
		digits:   "٠١٢٣٤٥٦٧٨٩",
	},
	{
		code: "ckb", weight: 10,
		adverts: []template{
			{"بەلەم لە {from} بۆ {dest} شەوی {day}، {n} جێگا ماوە. {price} بۆ هەر کەسێک. واتساپ {phone}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"لۆری بۆ {dest} لە پارکینگی {from}، شۆفێر لەگەڵمانە. {price}، نیوەی ئێستا نیوەی دوای گەیشتن. {handle}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"کوڕەکانمان گەیشتن ✅ گەرەنتی ١٠٠٪ بۆ {dest}، قاچاخچی متمانەپێکراو {price} پەیوەندی {phone}", []string{gDestination, gOffer, gContact}},
			{"بەلەمەکان هەموو شەوێک دەڕۆن لە {from}، جەلیقەی ژیان بۆ هەموو کەس. {price}. تێلێگرام {handle}", []string{gVehicle, gRoute, gOffer, gContact}},
		},
		negative: []template{
			{"پاسەوانی کەنار {n} کەسی لە نزیک {from} ڕزگار کرد، بەلەمەکە ئاوی تێچووبوو", []string{gVehicle, gCounter}},
			{"ئاگاداربن: قاچاخچییەکان لە {from} درۆ دەکەن. پارە مەدەن بە کەس. یارمەتی یاسایی بەخۆڕایی {phone}", []string{gCounter, gContact}},
		},
		places:   []string{"کەلەیس", "دەنکرک", "گراڤلین", "لۆن پلاژ", "Calais", "Dunkirk"},
		dests:    []string{"بەریتانیا", "ئینگلتەرا", "لەندەن", "UK"},
		days:     []string{"دووشەممە", "سێشەممە", "چوارشەممە", "پێنجشەممە", "هەینی", "شەممە", "یەکشەممە"},
		currency: []string{"%d پاوەند", "%d یۆرۆ", "%d£"},
		extras:   []string{"تەنها کەسی جددی.", "جێگا کەمە.", "خوا هەمووان بپارێزێت."},
		digits:   "٠١٢٣٤٥٦٧٨٩",
	},
	{
		code: "fa", weight: 10,
		adverts: []template{
			{"قایق از {from} به {dest} شب {day}، {n} جا باقی مانده. قیمت {price} برای هر نفر. واتساپ {phone}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"کامیون به {dest} از پارکینگ {from}، راننده با ماست. {price} نصف الان نصف بعد از رسیدن. تلگرام {handle}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"قاچاقچی مطمئن، تضمینی ۱۰۰٪ بچه‌ها رسیدند ✅ {dest} {price} تماس {phone}", []string{gDestination, gOffer, gContact}},
			{"پاسپورت و ویزای اصل برای {dest}، تحویل سریع، {price}. پیام بدهید {handle}", []string{gDocuments, gDestination, gOffer, gContact}},
		},
		negative: []template{
			{"گارد ساحلی {n} نفر را در نزدیکی {from} نجات داد، قایق در حال غرق شدن بود", []string{gVehicle, gCounter}},
			{"هشدار: به قاچاقچیان در {from} پول ندهید. مشاوره حقوقی رایگان {phone}", []string{gCounter, gContact}},
		},
		places:   []string{"کاله", "دانکرک", "گراولین", "ازمیر", "Calais", "Dunkirk"},
		dests:    []string{"انگلیس", "لندن", "بریتانیا", "UK"},
		days:     []string{"دوشنبه", "سه‌شنبه", "چهارشنبه", "پنج‌شنبه", "جمعه", "شنبه", "یکشنبه"},
		currency: []string{"%d یورو", "%d پوند", "%d€"},
		extras:   []string{"فقط افراد جدی.", "جا محدود است.", "خدا نگهدار همه."},
		digits:   "۰۱۲۳۴۵۶۷۸۹",
	},
	{
		code: "ps", weight: 5,
		adverts: []template{
			{"له {from} څخه {dest} ته کښتۍ، د {day} شپه، {n} ځایونه پاتې دي. بیه {price}. واټساپ {phone}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"{dest} ته لارۍ، ډرایور زموږ سره دی. {price} نیمایي اوس نیمایي وروسته. اړیکه {handle}", []string{gVehicle, gDestination, gOffer, gContact}},
		},
		negative: []template{
			{"ساحلي ګارد د {from} ته نږدې {n} کسان وژغورل", []string{gVehicle, gCounter}},
		},
		places:   []string{"کالې", "ډنکرک", "Calais", "Dunkirk"},
		dests:    []string{"انګلستان", "لندن", "UK"},
		days:     []string{"دوشنبې", "سه شنبې", "چهارشنبې", "پنجشنبې", "جمعې", "شنبې", "یکشنبې"},
		currency: []string{"%d یورو", "%d پونډه", "%d£"},
		extras:   []string{"یوازې جدي خلک.", "ځایونه لږ دي."},
		digits:   "۰۱۲۳۴۵۶۷۸۹",
	},
	{
		code: "ur", weight: 4,
		adverts: []template{
			{"{from} سے {dest} کشتی، {day} کی رات، {n} سیٹیں باقی۔ قیمت {price} فی بندہ۔ واٹس ایپ {phone}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"ٹرک سے {dest}، ڈرائیور ہمارے ساتھ ہے۔ {price} آدھا ابھی آدھا پہنچ کر۔ رابطہ {handle}", []string{gVehicle, gDestination, gOffer, gContact}},
		},
		negative: []template{
			{"کوسٹ گارڈ نے {from} کے قریب {n} افراد کو بچا لیا", []string{gVehicle, gCounter}},
		},
		places:   []string{"کیلے", "ڈنکرک", "Calais", "Dunkirk"},
		dests:    []string{"انگلینڈ", "لندن", "برطانیہ", "UK"},
		days:     []string{"پیر", "منگل", "بدھ", "جمعرات", "جمعہ", "ہفتہ", "اتوار"},
		currency: []string{"%d یورو", "%d پاؤنڈ", "%d£"},
		extras:   []string{"صرف سنجیدہ لوگ۔", "جلدی کریں۔"},
	},
	{
		code: "so", weight: 5,
		adverts: []template{
			{"Doon ka baxaysa {from} una socota {dest} habeenka {day}, {n} boos ayaa haray. Qiimaha {price}. WhatsApp {phone}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"Gaari xamuul ah oo {dest} u socda, darawalku waa nala. {price} badh hadda badh markaad gaarto. {handle}", []string{gVehicle, gDestination, gOffer, gContact}},
			{"Boza! Wiilasheenii way gaareen {dest} ✅ safar cusub {day}, {price}. Wac {phone}", []string{gDestination, gOffer, gContact}},
		},
		negative: []template{
			{"Ilaalada xeebta ayaa badbaadisay {n} qof oo u dhow {from} saaka", []string{gVehicle, gCounter}},
		},
		places:   latinPlaces,
		dests:    []string{"Ingiriiska", "London", "UK"},
		days:     []string{"Isniinta", "Talaadada", "Arbacada", "Khamiista", "Jimcaha", "Sabtida", "Axadda"},
		currency: []string{"%d euro", "%d gini", "£%d"},
		extras:   []string{"Dadka dhabta ah oo keliya.", "Meelo yar ayaa haray."},
	},
	{
		code: "sq", weight: 7,
		adverts: []template{
			{"Gomone nga {from} për në {dest} {day} natën, kanë mbetur {n} vende. Çmimi {price}. WhatsApp {phone}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"Kamion për në {dest} nga parkingu i {from}, shoferi është me ne. {price}, gjysma tani gjysma pas mbërritjes. {handle}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"Garanci 100% për në {dest}, djemtë mbërritën mirë ✅ {price}, telefono {phone}", []string{gDestination, gOffer, gContact}},
		},
		negative: []template{
			{"Roja bregdetare shpëtoi {n} persona pranë {from} këtë mëngjes", []string{gVehicle, gCounter}},
			{"Bileta trageti {from} - Bari nga {price}, rezervoni online", []string{gRoute}},
		},
		places:   latinPlaces,
		dests:    []string{"Angli", "Anglia", "Londër", "UK"},
		days:     []string{"e hënë", "e martë", "e mërkurë", "e enjte", "e premte", "e shtunë", "e diel"},
		currency: []string{"%d euro", "%d£", "%d paund"},
		extras:   []string{"Vetëm të seriozët.", "Vende të kufizuara."},
	},
	{
		code: "vi", weight: 6,
		adverts: []template{
			{"Đi Anh bằng xuồng từ {from} tối {day}, còn {n} chỗ. Giá {price}. Bao qua 100%. Zalo/WhatsApp {phone}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"Đi {dest} bằng xe tải từ bãi đỗ {from}, tài xế là người mình. {price}, trả một nửa trước. Liên hệ {handle}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"Bao đậu đi {dest}, anh em đã đến nơi an toàn ✅ chuyến mới {day}, {price}. Gọi {phone}", []string{gDestination, gOffer, gContact}},
		},
		negative: []template{
			{"Lực lượng tuần duyên đã cứu {n} người gần {from} sáng nay", []string{gVehicle, gCounter}},
			{"Cảnh báo: đừng tin kẻ buôn người ở {from}, đừng trả tiền cho ai", []string{gCounter}},
		},
		places:   latinPlaces,
		dests:    []string{"Anh", "London", "UK", "Vương quốc Anh"},
		days:     []string{"thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"},
		currency: []string{"%d bảng", "%d euro", "£%d"},
		extras:   []string{"Chỉ người nghiêm túc.", "Còn ít chỗ."},
	},
	{
		code: "am", weight: 4,
		adverts: []template{
			{"ከ{from} ወደ {dest} የሚሄድ ጀልባ {day} ማታ፣ {n} ቦታ ቀርቷል። ዋጋ {price}። ዋትስአፕ {phone}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"በመኪና ወደ {dest}፣ ሹፌሩ ከእኛ ጋር ነው። {price} ግማሹ አሁን። {handle}", []string{gVehicle, gDestination, gOffer, gContact}},
		},
		negative: []template{
			{"የባህር ጠረፍ ጠባቂዎች በ{from} አቅራቢያ {n} ሰዎችን አዳኑ", []string{gVehicle, gCounter}},
		},
		places:   latinPlaces,
		dests:    []string{"እንግሊዝ", "ለንደን", "UK"},
		days:     []string{"ሰኞ", "ማክሰኞ", "ረቡዕ", "ሐሙስ", "ዓርብ", "ቅዳሜ", "እሁድ"},
		currency: []string{"%d ዩሮ", "%d ፓውንድ", "£%d"},
		extras:   []string{"ቦታ ውስን ነው።"},
	},
	{
		code: "ti", weight: 5,
		adverts: []template{
			{"ጀልባ ካብ {from} ናብ {dest} {day} ለይቲ፣ {n} ቦታ ተሪፉ። ዋጋ {price}። ብቴሌግራም {handle}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"ብፍሪጅ መኪና ናብ {dest} ሾፌር ምሳና እዩ። {price} ፍርቂ ቅድሚ ጉዕዞ። {phone}", []string{gVehicle, gDestination, gOffer, gContact}},
		},
		negative: []template{
			{"ሓለውቲ ገማግም ባሕሪ ኣብ ጥቓ {from} {n} ሰባት ኣድሒኖም", []string{gVehicle, gCounter}},
		},
		places:   latinPlaces,
		dests:    []string{"ዓዲ እንግሊዝ", "ለንደን", "UK"},
		days:     []string{"ሰኑይ", "ሰሉስ", "ረቡዕ", "ሓሙስ", "ዓርቢ", "ቀዳም", "ሰንበት"},
		currency: []string{"%d ዩሮ", "%d ፓውንድ", "£%d"},
		extras:   []string{"ቦታ ውሱን እዩ።"},
	},
	{
		code: "tr", weight: 4,
		adverts: []template{
			{"{from} çıkışlı {dest} botu {day} gecesi, {n} yer kaldı. Fiyat {price}. WhatsApp {phone}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"Tır ile {dest}, şoför bizden. {price} yarısı şimdi yarısı varınca. İletişim {handle}", []string{gVehicle, gDestination, gOffer, gContact}},
		},
		negative: []template{
			{"Sahil güvenlik {from} açıklarında {n} kişiyi kurtardı", []string{gVehicle, gCounter}},
		},
		places:   latinPlaces,
		dests:    []string{"İngiltere", "Londra", "UK", "İtalya", "Yunanistan"},
		days:     []string{"pazartesi", "salı", "çarşamba", "perşembe", "cuma", "cumartesi", "pazar"},
		currency: []string{"%d euro", "%d sterlin", "%d€"},
		extras:   []string{"Sadece ciddi olanlar.", "Yer sınırlı."},
	},
	{
		code: "kmr", weight: 3,
		adverts: []template{
			{"Belem ji {from} ber bi {dest} şeva {day}, {n} cih mane. Biha {price}. WhatsApp {phone}", []string{gVehicle, gDestination, gRoute, gOffer, gContact}},
			{"Qaçaxçî yê ewle, garantî 100% kurên me gihîştin ✅ {dest} {price} {handle}", []string{gDestination, gOffer, gContact}},
		},
		negative: []template{
			{"Cerdevanên peravê li nêzîkî {from} {n} kes rizgar kirin", []string{gVehicle, gCounter}},
		},
		places:   latinPlaces,
		dests:    []string{"Îngilîstan", "London", "UK"},
		days:     []string{"duşem", "sêşem", "çarşem", "pêncşem", "în", "şemî", "yekşem"},
		currency: []string{"%d euro", "%d pound", "£%d"},
		extras:   []string{"Tenê kesên ciddî."},
	},
}

// countries are where the networks' phone numbers are registered, with a
// mobile prefix (country code and leading digits), the digits that follow,
// and the national trunk prefix ("" where none is dialled).
var countries = []struct {
	prefix string
	rest   int
	trunk  string
	cc     string
	weight int
}{
	{"+4474", 8, "0", "44", 10},
	{"+4475", 8, "0", "44", 10},
	{"+4478", 8, "0", "44", 10},
	{"+336", 8, "0", "33", 12},
	{"+337", 8, "0", "33", 6},
	{"+3247", 7, "0", "32", 8},
	{"+316", 8, "0", "31", 6},
	{"+49176", 8, "0", "49", 6},
	{"+39320", 7, "", "39", 6},
	{"+90532", 7, "0", "90", 6},
	{"+964750", 7, "0", "964", 8},
	{"+35569", 7, "0", "355", 6},
	{"+3069", 8, "", "30", 4},
	{"+98912", 7, "0", "98", 4},
}

var handleParts = []string{"balam", "boza", "uk", "london", "express", "trip", "safe", "game", "taxi", "channel", "crossing", "dover", "road", "travel", "vip", "habesha", "kurd", "albo", "sahel", "nord"}

var platforms = []struct {
	name   string
	weight int
}{
	{"telegram", 40}, {"facebook", 20}, {"mastodon", 10}, {"forum", 10}, {"bluesky", 10}, {"feed", 10},
}
