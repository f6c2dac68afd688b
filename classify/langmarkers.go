package classify

import (
	"math"
	"strings"
)

// Dari (Afghan Persian, prs) and Iranian Persian (fa) share their grammar
// and nearly all their function words, so a post is told apart by the
// words and spellings of each variety, weighed: a word only one variety
// uses counts more than one both use with different frequency. Text
// without markers is Persian, the variety with most text in the wild.
//
// The lists come from the standard descriptions of the two varieties
// (Afghan administrative and loan words from English and Urdu, Tehrani
// colloquial vowel shifts -ān → -un, Kabuli copula "astam/asti", the
// Afghan solar months named for the zodiac and English months spelled
// from English against the Iranian months and French-derived spellings,
// country names: سویدن/سوئد, هالند/هلند), not from the corpus. Weights: 2
// for words the other variety does not use, 1 for words it uses rarely or
// only formally, 0.5 for a preference. Place names of Iran on the Afghan
// route (Tehran, Mashhad, Zahedan, Urmia) weigh 0.5: Afghans name them too.
// Besides words: word pairs, the Iranian progressive ("داره میاد"), the
// register of function words, phone numbers and handles, and, in
// detectArabic, Pashto letters, which only Afghan keyboards type.
var dariMarkers = map[float64]string{
	2: `استم استی استیم استین استید استن اینجه آنجه اونجه همینجه همونجه کجه
		بتین بته بتی بتیم میتین میتم میتیم میته نتین نتی میتی میتن
		میتانم میتانی میتانه میتانیم میتانید میتانین میتانن نمیتانم نمیتانی نمیتانه نمیتانیم نمیتانید
		بتانم بتانی بتانه بتانیم بتانید بتانین بتانن میتوانه
		میفامم میفامی میفامه میفامیم میفامید نمیفامم نمیفامه فامیدم فامیدی
		کدم کدی کدیم کدین کدن نکدم نکدی نکده میکدم
		همرای همرایم همرایت همرایش همرایتان همرایشان همرایمان کتی کتیش
		قاچاقبر قاچاقبرها قاچاقبران قاچاقبری
		پوهنتون پوهنځی پوهنحی شاروالی ولسوالی ولسوال ولسوالیها ولایات
		موتر موترها موتروان موترران سرک سرکها مصئون دالر دالره دالری فیصد
		تکت تکتها تیلفون تیلیفون مبایل شفاخانه دواخانه داکتر تشناب چوکی کلکین پطلون
		ناوقت بیگاه تیار پیسه پیسی پیسها روپیه کلدار بیادر بیادرم بیادرا
		طیاره طیارات تذکره هوتل تکسی دریور دریوری دریوران گرنتی مشوره اپیل لیسه دوکان دوکاندار
		فلم فلمها کرکت ترجمان ترجمانی وطندار وطندارا وطندارها چطو بچیم پولیسها پولیس
		قوماندان قوماندانی امنیه نمبر مسج یگان چاشت خو مره واری معینیت عریضه
		کمره بایسکل کیمپ راپور محبس فابریکه کمپیوتر جرمنی بلجیم چارج
		ورخطا ورخطایی مصروف پسان پسانتر پیشکی واپس بیخی ایقه اوقه چقه همیطور همیطو ایطور امیطور
		میایه بیایه نمیایه میخایم میخایی میخایه میخاین نمیخایم عسکر عسکرها عساکر پهره پهره‌دار
		سگرت تیل کوته انجنیر قونسلگری کمیشنری سویدن ناروی دنمارک برتانیه جاپان گروپ پروگرام
		موترسایکل شاهراه جرگه کوچی جمهوریت خریطه کرتی جاکت
		جنوری فبروری مارچ اپریل اگست سپتمبر اکتوبر نومبر دسمبر جوزا سنبله حوت لت انترویو
		قریه قریه‌جات عودت‌کنندگان بیجاشدگان یوناما آمریت قومندانی سارنوال سارنوالی ذریعه رهنمایی`,
	1: `کابل هرات قندهار کندهار جلالآباد ننگرهار کندز کندوز بغلان بلخ بامیان غزنی هلمند پنجشیر
		بدخشان تخار فاریاب شبرغان جوزجان زرنج نیمروز تورخم لغمان پکتیا خوست کنر سمنگان بادغیس
		دایکندی ارزگان پروان کاپیسا لوگر وردک مزار افغانستان پاکستان پشاور کویته اسلامآباد
		ولایت شاروال افغانی افغان افغانها افغانان طالبان امارت کاکا کاکایم کاکام
		تشکر صبا حالی لالا بچیش پت تلاشی ثبوت پرتگالی پرتگال لایسنس معلومات عاجل ضرورت کوشش
		بوکینگ مکتب محصل محصلین صنف معاش بکس طفل اطفال قسمی یکجا سرحد سرحدی ویزه ویزها
		دالرها لاری لاریها فی رهنما کمپنی
		داخله گرفتار محکمه ساحه ساحات عودت جبری اعلان هوشیار بحر کپتان انجن ریل رستورانت فوتو
		ره اس انترنت ویبسایت اکونت تشویش آغا وقتیکه چیزیکه کسیکه جاییکه
		ترانسپورت کمیشن کلان اوراق سردی گرمی مفقود مامورین وظیفه مزدوری بلغاریا پولند هالند سربیا هنگری
		بولدک تورغندی شیندند چاریکار مزارشریف سالنگ لشکرگاه ترینکوت گردیز میدانشهر پلخمری فیضآباد
		تالقان مهترلام چخانسور اروزگان میمنه ایبک بگرام برچی خیرخانه دوغارون فراه کابلی هزاره پشتون
		تاجک دگه امو امی تره اوره وخت مقبول هوشدار چالباز مولوی ضرور مکمل اولاد
		استیشن پلان حواله‌دار لک چانس گارنتی نرس رومانیا کرواسیا ثور غرض سهولت سهولتها`,
	0.5: `جور هموطن هموطنان هموطنای خلاص دلال دلالها نشر ضروری ضمانت بالای شریک نزد فامیل کرایه
		تان شان مان بسیار ماما گپ روان طالب مفت ترمیم بلی نی والی مهاجرین بوت
		حکومت خنک کهنه پاک ده رقم کدام اسناد ریاست پریشان
		حواله مسافرین اقامه رفیق شاگرد توقیف خورد`,
}

// iranianMarkers are the words of Iranian Persian that Dari says otherwise
// or not at all, weighed as dariMarkers.
var iranianMarkers = map[float64]string{
	2: `تومان تومن تومنی ریال استان استانداری شهرستان شهرداری دانشگاه دانشجو دانشجوها خیابان
		بزرگراه اتوبان مرسی آره چجوری اینجوری اونجوری همینجوری چطوری
		میدونم میدونی میدونه میدونیم میدونید میدونین نمیدونم نمیدونی نمیدونه نمیدونیم بدونم بدونی بدونید
		میتونم میتونی میتونه میتونیم میتونید میتونین نمیتونم نمیتونی نمیتونه بتونم بتونی بتونه بتونیم بتونید
		میمونه میمونم میمونیم بمونه بمونید خونه خونمون خونتون خونش ارزون ارزونتر ارزونه بارون آروم
		اونجا اونقدر اونوقت همون همونجا تهرون ایرون داداش داداشم داداشت قاچاقچی قاچاقچیها قاچاقچیان
		دبیرستان گذرنامه مرزبانی قربونت گرون جوون مهمون زمستون خیابون زبون میخونم میخونه
		ازشون بهشون باهاشون سامانه واسه واسم واست واسش بذار خودشون خودتون خودمون بهتون ازتون
		براتون باهاتون بهمون ازمون برامون باهامون براشون همه‌شون اومد اومدم اومدی اومدیم اومدن اومده
		شناسنامه کنسولگری سوئد نروژ دانمارک ژاپن جلیقه بیعانه الکی خانوم دانش‌آموز
		فروردین اردیبهشت خرداد شهریور اسفند ژانویه فوریه آوریل ژوئن ژوئیه سپتامبر اکتبر نوامبر دسامبر
		کمیساریا کمیساریای فرمانداری فرماندار استاندار ناجا دادستان دادسرا بازپرس اصن قاچاقچیا`,
	1: `تبریز کرج اهواز کرمانشاه سنندج بندرعباس سردشت پیرانشهر انزلی بوشهر همدان قزوین رشت یزد
		افغانستانی
		خیلی خیلیها پلیس فرودگاه هواپیما بیمارستان داروخانه مغازه بلیط بلیت تاکسی ویزا ویزای
		موبایل گوشی فیلم فیلمش فیلمها مدرسه مجانی لازمه لازمیم یه اینو اونو اینا اونا اونم
		بهش ازش باهاش بهت ازت برات برام باهات بهم میخوام میخوای نمیخوام چیه دایرکت پیوی
		اگه شبا آدما شون مون تون مشاوره گواهینامه ایرانی ایرانیان اتوبوس پارسال دلار دلاری هتل
		اون اونها نون جون تابستون آسمون دندون خوبه عالیه چنده بهتره مامان دایی عمو خب آخه مگه
		بازداشت آگهی کلاهبردار کلاهبرداری دادگاه اتباع قطار کفش اکانت
		دوربین دوچرخه شارژ کامپیوتر بلغارستان لهستان هلند بلژیک صربستان مجارستان کمیسیون
		میام میاد بیاد بزار کتک دکتر تلفن ارتش نگهبان کاپشن گارانتی چقد
		میخواین بدید بگید میدم میده میدی اینطوری اونطوری همچین پیش‌پرداخت چیکار حواستون رومانی
		کرواسی پرتغال مرداد آبان آذر بهمن مارس ماشین ماشینها روستا روستای روستاها انتظامی سپاه بسیج
		مرزبان غیرمجاز ساماندهی باشه بعدش اولش همش هیچی کلاهبردارا پلیسا`,
	0.5: `اطلاعات رزرو مرز مرزی کامیون راننده رو الان دیگه استوری کامنت میخواد ممنون ممنونم ممنونیم
		تهران مشهد اصفهان شیراز زاهدان سراوان ارومیه خوی سلماس ماکو بازرگان کرمان قم مشغول
		دستگیر دستگیری استخدام مدارک مهاجران رستوران مستند سرنشین تعمیر تمیز غذا مراقب آقا
		مسافرت سایت اینترنت اجباری
		مسافران سرما ماموران گمشده ناپدید تسهیلات`,
}

// Function words whose use depends on register: written Dari keeps the
// literary copula and prepositions ("است", "در", "را") where Iranian posts,
// written as Tehran speaks, say "-e", "tu" and "ro". Each counts 0.5 a time,
// at most registerCap in all, so that formal Iranian news stays Persian.
var dariRegister = `است استند را میباشد میباشند گردید میگردد نموده نمودند بسیاری`

var iranianRegister = `تو رو هست هستش`

const registerCap = 1.5

// Word pairs that mark a variety where each word alone does not.
var dariPairs = []string{
	"برادر جان", "میدان هوایی", "صد فیصد", "تیر شد", "تیر شدن", "تیر میشه",
	"تیر شدی", "تیر نشدی", "شریک کنید", "شریک کنین", "پیام بتین", "پیام بته", "جور استی",
	"چطور استی", "تشکر از", "ده کابل", "فی نفر", "ضرورت داریم", "ضرورت دارد",
	"وزارت داخله", "هوشیار باشید", "هیچ کس", "مانده نباشی", "مانده نباشید", "مانده نباشین",
	"مهربانی کنید", "مهربانی کنین", "مهربانی کده", "مهربانی کرده", "سرای شهزاده", "اسلام قلعه",
	"مزار شریف", "پس آمدم", "پس آمدیم", "پس گشتم", "پس گشتیم",
	"سپین بولدک", "جاکت نجات", "دشت برچی",
}

var iranianPairs = []string{
	"لازم داریم", "صد در صد", "دانش آموز", "پیش پرداخت", "جلیقه نجات", "در صد", "پیام بدید", "پیام بدین", "پیام بده", "رو دیده", "این کارو",
	"وزارت کشور", "مراقب باشید", "خسته نباشید", "دمت گرم", "میلیون تومان",
}

// Persian in Latin letters ("Finglish"): the words that tell the
// varieties apart as people romanise them, weighed as above. The words
// both varieties share are in langWords["fa-latn"].
var dariLatinMarkers = map[float64]string{
	2: `astam asti astin astim astan betin bitin tashakor tashakur tashakkor biradar biradaram
		biradara qachaqbar qachaqbara qachaqbaran qachaqbari motar motarha paisa paisaha hamrai
		hamrayi imshaw watandar watandara watandaran dalar kadom kadem kadi kadin mefamam mitanam
		mitanin mitani`,
	1: `kabul herat mazar kandahar kandahar jalalabad nimroz ghazni afghani imshab sarak tayar
		bisyar besyar besiyar chatur chetor`,
}

var iranianLatinMarkers = map[float64]string{
	2: `mersi dadash dadasham dadashi ghachaghchi ghachaghchiha ghachaghchia kheili kheyli kheily
		mikham mikhay mikhad mikhaid mikhayd mikhayn toman tooman chejoori chejori injoori injori
		mitoonid mitoonin mitoonam mitunid mitunin nemidoonam midoonam midoonid nemidunam
		bedin bedid bede bedam nemidi nemidim nemide migan mige migi kolahbardar kolahbardari
		kolahbardarie hamash hamashon oonja unja oomad omad omadim oomadim`,
	1: `age tehran mashhad emshab dige`,
}

// persianVarieties holds the folded markers of Dari (positive weights) and
// Iranian Persian (negative), in Arabic script and in Latin letters.
type persianVarieties struct {
	words    map[string]float64
	pairs    map[string]float64
	register map[string]float64
	aux      map[string]bool // progressiveAux
	mi       string          // the verb prefix mi-, folded
}

func newPersianVarieties() persianVarieties {
	pv := persianVarieties{
		words: map[string]float64{}, pairs: map[string]float64{}, register: map[string]float64{},
		aux: map[string]bool{}, mi: langKey("می"),
	}
	for _, w := range strings.Fields(progressiveAux) {
		pv.aux[langKey(w)] = true
	}
	for _, w := range strings.Fields(dariRegister) {
		pv.register[langKey(w)] = 0.5
	}
	for _, w := range strings.Fields(iranianRegister) {
		pv.register[langKey(w)] = -0.5
	}
	add := func(lists map[float64]string, sign float64) {
		for w, ws := range lists {
			for _, s := range strings.Fields(ws) {
				pv.words[langKey(s)] += sign * w
			}
		}
	}
	add(dariMarkers, 1)
	add(iranianMarkers, -1)
	add(dariLatinMarkers, 1)
	add(iranianLatinMarkers, -1)
	for _, p := range dariPairs {
		pv.pairs[pairKey(p)] += 1.5
	}
	for _, p := range iranianPairs {
		pv.pairs[pairKey(p)] -= 1.5
	}
	return pv
}

func pairKey(p string) string {
	a, b, _ := strings.Cut(p, " ")
	return langKey(a) + " " + langKey(b)
}

// varietyEvidence is what a text says for Dari (positive) against Iranian
// Persian (negative).
type varietyEvidence struct {
	// words is the net weight of the marker words and word pairs.
	words float64
	// register is the net weight of the register of function words and of
	// the zero-width non-joiner after mi-, capped either way.
	register float64
	// total is the amount of evidence of either kind.
	total float64
}

// dari reports whether a Persian text is Dari, given its evidence and
// hints from outside its words (phoneVariety, handleVariety): all the
// evidence must reach 0.5, and either the words or hints lean to Dari or
// the register does by two words at least. Formal Iranian writing shares
// Dari's register, but Iranian posts seldom keep to it ("مهاجر را نجات
// داد" is Persian, "... است ولی ... را" Dari).
func (e varietyEvidence) dari(hints float64) bool {
	lex := e.words + hints
	return lex+e.register >= 0.5 && (lex > 0 || e.register >= 1)
}

// progressiveAux are the colloquial forms of daštan that Iranian Persian
// puts before a verb in mi- to make a progressive ("داره میاد", "he is
// coming"); Dari has no such construction. Each such pair counts 1 for
// Iranian Persian. The first person forms are left out: "جا داریم
// میتوانید" is "we have places, you can".
const progressiveAux = `داره دارن داری دارین`

// score returns the evidence of the words of script s, Arabic or Latin.
func (pv persianVarieties) score(words []langWord, s script) varietyEvidence {
	var e varietyEvidence
	prev := ""
	iranZWNJ, dariReg, iranReg := 0.0, 0.0, 0.0
	for _, w := range words {
		if w.script != s {
			prev = ""
			continue
		}
		k := w.key
		v := pv.words[k]
		if prev != "" {
			v += pv.pairs[prev+" "+k]
			if pv.aux[prev] && strings.HasPrefix(k, pv.mi) && len(k) > len(pv.mi)+2 {
				v--
			}
		}
		switch r := pv.register[k]; {
		case r > 0:
			dariReg += r
		case r < 0:
			iranReg -= r
		}
		e.words += v
		e.total += math.Abs(v)
		// Iranian keyboards put a zero-width non-joiner after the verb
		// prefix mi- ("می‌کنم"); Afghan writers join it ("میکنم").
		if w.miZWNJ {
			iranZWNJ += 0.5
		}
		prev = k
	}
	iranReg = math.Min(registerCap, iranReg+math.Min(iranZWNJ, 1.5))
	dariReg = math.Min(registerCap, dariReg)
	e.register = dariReg - iranReg
	e.total += dariReg + iranReg
	return e
}

// phoneVariety returns the evidence of the phone numbers in light-normalised
// runes for Dari (positive) against Iranian Persian (negative): country
// codes +93 and +98, Afghan mobiles 07X XXX XXXX (ten digits, unlike the
// French 07 XX XX XX XX written in pairs) and Iranian mobiles 09XX XXX XXXX
// (eleven digits). At most 2 either way.
func phoneVariety(rs []nrune) float64 {
	v := 0.0
	for i := 0; i < len(rs); {
		if !isASCIIDigit(rs[i].r) {
			i++
			continue
		}
		plus := i > 0 && rs[i-1].r == '+'
		var d []byte
		firstGroup := 0
		j := i
		for ; j < len(rs); j++ {
			r := rs[j].r
			if isASCIIDigit(r) {
				d = append(d, byte(r))
				continue
			}
			if (r == ' ' || r == '-') && j+1 < len(rs) && isASCIIDigit(rs[j+1].r) {
				if firstGroup == 0 {
					firstGroup = len(d)
				}
				continue
			}
			break
		}
		if firstGroup == 0 {
			firstGroup = len(d)
		}
		num := string(d)
		switch {
		case plus && strings.HasPrefix(num, "93"), strings.HasPrefix(num, "0093"):
			v += 1.5
		case plus && strings.HasPrefix(num, "98"), strings.HasPrefix(num, "0098"):
			v -= 1.5
		case !plus && len(num) == 10 && strings.HasPrefix(num, "07") && firstGroup >= 3:
			v += 1.5
		case !plus && len(num) == 11 && strings.HasPrefix(num, "09"):
			v -= 1.5
		}
		i = j
	}
	return math.Max(-2, math.Min(2, v))
}

func isASCIIDigit(r rune) bool { return '0' <= r && r <= '9' }

// handleVariety returns the evidence of handles and links ("@brp_dari",
// "t.me/vip_safar_uk_ir") for Dari (positive) against Iranian Persian
// (negative): people name their channels for their country, city or
// language. At most 1.5 either way.
func handleVariety(rs []nrune) float64 {
	v := 0.0
	for i := 0; i < len(rs); {
		if rs[i].r == ' ' || rs[i].r == '\n' || rs[i].r == '\t' {
			i++
			continue
		}
		j, link := i, false
		for ; j < len(rs) && rs[j].r != ' ' && rs[j].r != '\n' && rs[j].r != '\t'; j++ {
			if rs[j].r == '@' || rs[j].r == '/' {
				link = true
			}
		}
		if link {
			v += handleSegmentsVariety(rs[i:j])
		}
		i = j
	}
	return math.Max(-1.5, math.Min(1.5, v))
}

func handleSegmentsVariety(rs []nrune) float64 {
	v := 0.0
	seg := make([]byte, 0, 16)
	flush := func() {
		s := string(seg)
		switch {
		case s == "af" || s == "afg" || s == "dari" || strings.Contains(s, "afghan") || strings.Contains(s, "kabul") ||
			strings.Contains(s, "herat") || strings.Contains(s, "mazar"):
			v++
		case s == "ir" || s == "irani" || strings.HasPrefix(s, "iran") || strings.Contains(s, "farsi") || strings.Contains(s, "tehran"):
			v--
		}
		seg = seg[:0]
	}
	for _, r := range rs {
		if 'a' <= r.r && r.r <= 'z' {
			seg = append(seg, byte(r.r))
			continue
		}
		flush()
	}
	flush()
	return v
}
