package classify

// Function words and other frequent, telling words per language, used by
// the rules that identify languages lingua-go does not know (Sorani,
// Kurmanji, Pashto, Dari, Tigrinya, Amharic) and that settle clear cases
// of the Latin-script languages without the n-gram models. Words are
// written as people type them; Arabic-script words are matched after
// letter variants are unified, Latin ones after case folding but with their
// diacritics, which carry the signal (Kurmanji û, Turkish ı, Albanian ë).
var langWords = map[string]string{
	// Latin script.
	"en": `the and to from for you your with is are we our this that of in on will can have has not
		call contact now today tonight every all be my me it at by they them there here more very just
		no any only people what who how when where which was were been would should could do does did
		good safe price per place places available message details send three men man women
		wanted sale hour he she his her had an a i if or as so up out about after before into
		over than then also new`,
	"fr": `le la les des du de et pour vous votre vos avec est sont nous notre nos dans sur pas une un ce
		cette ces qui que au aux ou mais très sans chaque soir nuit aujourd'hui demain il elle ils on
		je tu son sa ses leur été être avoir fait faire plus comme tout tous toutes aussi ici où
		en par mon mes vers chez depuis lundi mardi mercredi jeudi vendredi samedi
		dimanche`,
	"de": `der die das und ist nicht mit für von nach wir sie ein eine auf zu den dem es ich bei auch oder
		heute jede nacht sind haben wird werden kein keine nur noch schon über unter aus wie was wer ab`,
	"it": `il lo gli di che per con non sono è una del della dei delle al alla dal dalla nel nella siamo
		ogni notte partenza chi anche come più questo questa sempre oggi domani ci abbiamo hanno
		gli nei sul sulla alle agli degli ma se mi ti si ne perché quello quella quelli tutti tutto
		molto molti ancora dopo prima ha qui dove quando giorno giorni settimana persone bambini
		arrivo spiaggia mare barca prezzo posti garantito pagamento viaggio uno io noi voi loro suo
		sua nostro vostro già però cosa fino senza fare essere stato stata tra fra ecco subito di la e da in a o un al`,
	"es": `el los las y que para con es son una del al en por cada noche salida somos muy pero como más
		este esta hoy mañana hay tiene tenemos usted ustedes nosotros también donde cuando desde
		hasta sin su sus todo todos ya sí nada os vosotros está están puede un lo le les se mi te nos
		ni porque qué cómo dónde cuándo aquí ahora así bien sólo entre sobre después antes fue era
		ser hacer tengo tienes hacia mucho mucha muchos muchas otra otro otros día días semana gente
		personas niños llegada barco playa mar información precio plazas salimos garantizado pago
		llegar viaje salida esta esto eso aquí allí mismo bajo vamos hacemos quien quieres de la a o un`,
	"pt": `o os as e que para com não é são um uma do da dos das no na em por cada noite também você
		vocês nós temos hoje amanhã muito mais este esta isso aqui onde quando`,
	"nl": `de het een en van voor met is niet wij we naar op te zijn ook elke nacht maar als dat die deze
		hebben wordt worden geen nog al bij uit`,
	"sq": `eshte nje cdo nate shume jane kerkojme vetem shkruani kete per nga dhe tani jemi jeni kemi keni
		dhe në për me që nga është janë një të së nuk ne ju çdo natë rrugë shumë kush sot vetëm ka
		kemi keni jemi jeni do si ku kur edhe por ose mund duhet tani nesër këtu atje jam ishte kam
		mirë varka varkë gomone anije udhëtim udhëtimi pagesa pas para çmimi fëmijë fëmijët vende
		javë ditë sonte garanci garantuar londër mesazh vetëm seriozë deri tek unë ai ajo ata ato
		sepse kështu pastaj akoma gjithë gjithmonë asnjë diçka dikush është e i a`,
	"tr": `ve bir bu için ile çok var yok her gece gün ben biz siz mi mı olan daha ama gibi kadar sonra
		şimdi bugün yarın değil olarak bize size bizim sizin hemen tüm kişi kişilik yer ücret arayın para`,
	"so": `iyo waa oo ka ku la u ah aan ee leh waxaan ayaa kale qof dal si hal laga loo kuu gaar waxa
		ama haddii ilaa hadda maanta caawa dhammaan dadka lacag nala soo aad ayuu waxay
		doon doonaya wanaagsan fiican lacagta badan yar hore kadib markii maxaa sidee halkan`,
	"vi": `và của là có không cho người đi được với các những một này anh em chúng tôi ngày đêm bạn
		mình đã sẽ đang rất nhiều ở tại từ đến bao qua sang liên hệ giá`,
	"kmr": `û ji jî ku li bi ez hûn ew ev çi heye hene nîne xwe wan vê vî yê yên dê wê gelek pir îro
		şev dikarin dixwazin diçin bikin pere welat bo nav tenê ewle ewlehî zarok mêr birayê
		birano hevalno tê hatin çûn derbas dibe bû heke eger lê jê pê tu wî wê hemû îşev îşeve`,
	"pl": `i w z na do się jest nie to że dla od po co jak są my przez każdą noc tylko już być może
		tak ale który która które`,
	"ro": `și în la cu pe este sunt nu un pentru din care că noi fiecare noapte mai foarte acum azi
		mâine sau dar ce cine`,
	"ar-latn": `inshallah habibi akhi khoya enta anta 3andna lel yalla wallah ahlan marhaba shu ma3 3an
		bidun rihla tahrib men jdida jdid flouka barcha bech chkoun ab3ath 3ala kifach wesh kayn
		mazal bghit bghina nta nti rahi rani l7arga 7arga harga`,
	"ur-latn": `hai hain ke ki ka mein aur nahi nahin hum aap yeh woh liye ek raat bhai rabta karein
		kar ho gaya gayi wala wali abhi sirf bhi jaldi paise log humein apna apni kya kaise kahan aaj`,
	// Persian in Latin letters ("Finglish"), both varieties: words that
	// English, Urdu or Romance words of the same spelling would not
	// outvote; langmarkers.go tells Dari from Iranian Persian.
	"fa-latn": `az ba ke shab shabe rooz ruz darya nafar nafari mikonam mikonim mikonid konid konin
		nakonid nakonin bashe bashad bashid resid rasid residam residim residan rasidan etemad etimad
		hame hama hamash hich hichkas kasi shoma englis engelis inglis englestan engelestan ghayegh
		qayeq ghayeq qayiq emshab imshab farda dirooz diruz jadid tavajoh safhe safha migan mikhad
		mikham darim darid nadarid nadarim vali lotfan baraye bara agar nist mishe mishavad
		shod shodim kard kardim tamas begirid begirin khoda joon agha baradar biradar dadash
		bache bacheha bachaha zire nesf pool pul paisa sarraf tazmini naresi nemidi bede bedin betin
		bedid bere berim raftim rafte omad oomad dige digar khodet khodam khub khob kheili
		kheyli chand chera koja kojast chetor chetori asb mashin motar kamion ghachagh ghachaghchi
		qachaq qachaqbar ghachaghbar marz tashakor tashakur mersi astam asti astin ast hastim hastid`,
	// Sorani and Pashto in Latin letters: their own words, not those they
	// share with Persian, Kurmanji or Urdu.
	"ckb-latn": `ingltra ingltera inglatera amshaw amshau shaw hamuw hamu hamuyan supas spas brakam brakan
		gaysta gayshtin gayshtn bawar makan qachax qachaxchi qachaxchy pawand dway hawa chona chon
		hamisha xosha bkan bken tkaya tkaye dallen balam balem haya nya niya kak laway naw ewa ewaney
		dayanawet brn lay slemani hawler sulaymani bnerin nama taybat pewandi bkan`,
	"ps-latn": `shpa shpe wror wrora wrorr wrorra wrorro kawai kawi kawo raka rakai walay pekhegi pekhegy
		paisay paisey tolo manana wraseed wrasedal rasedal ghwari ghwaram zma stasu zamong shta nishta
		khalk khalko dhoka lar kor sta zamuzh mung tasu`,
	// Arabic script.
	"ar": `في من على الى إلى عن مع هذا هذه التي الذي كل او أو لا ما هو هي نحن انت انتم عندنا يوجد كان قد
		لكن بعد قبل اليوم الليلة فقط هناك ايضا حتى اذا إذا عند لدينا للتواصل الاتصال السعر مضمون
		رحلة رحلات يا شباب اخوان حبايب والله ان إن لم لن سوف`,
	"fa": `در به از که را این آن است با برای هم یک ما شما تا هر شب بدون هست نیست شد کنید کنیم دارد داریم
		ها های الان تماس بگیرید میتوانید هستیم هستند باید نفر خود شده بود خواهد`,
	"ckb": `لە بۆ کە ئەم ئەو بە من ئێمە ئێوە هەیە نییە دەچین دەکەین زۆر هەموو شەو ڕۆژ پارە بەلەم لەگەڵ
		تەنها ئەگەر چونکە بەڵام هەر یان تا دوای پێش ئێستا ئەمڕۆ سبەی ئەوان وەک کەس کەسێک براکان
		بەڕێز دەبێت دەتوانن پەیوەندی`,
	// Kurmanji in Arabic letters (Badini): standalone prepositions ل, ب, ژ
	// and the words Sorani says otherwise.
	"kmr-arab": `ل ب ژ ئەڤ ئەڤە ئەڤێ ئەڤان دەڤ ڤێ ڤی ئەز هوین دبێژیت دبێژن دبێژم نها چ ڤێرێ ئەڤرۆ`,
	"ps": `د په او چې له ته دا هم نه یو دي ده موږ تاسو زه کې سره لپاره شپه ورځ پیسې دې کړئ کوو
		ولاړ وروڼو ګران څه ځای هغه دوی مونږ ستاسو زموږ شته نشته ټول پرته`,
	"ur": `ہے ہیں کے کی کا میں اور سے کو نہیں ہم آپ یہ وہ لیے پر ایک رات بھائی رابطہ کریں گا گی`,
	// Ethiopic script.
	"ti": `ናይ እዚ እቲ ኣለና ብዙሕ ዘለዉ ዝኾኑ ንሕግዝ ኣብ ናብ ካብ እዩ ኢዩ እያ እዮም ኣሎ ኣለዉ ኣሎና ዘሎ ዝኾነ ምስ ከም እንታይ ኩሉ ሎሚ ለይቲ ብዘይ ሓደ ክንዲ
		ኢና ኢኹም ንዓኹም ከኣ ድማ ሕጂ ኣሕዋት ኣሕዋተይ ጥራይ ዝደሊ ዝደልዩ ኣይትእመኑ ንሕና ንስኻ ንስኹም
		ምሸት ጽባሕ ሰብ ሰባት ቆልዑ ብጣዕሚ ጽቡቕ መገዲ ባሕሪ መዓልቲ ሰሙን ወርሒ የለን ኣይኮነን እንተ ናቕፋ ኤርትራ ሽሕ
		ውሕስነ ዋሕስ ክፍሊት ብዘይካ ኣሎኹም ኣሎኒ ንዓና ንኹሉ ኣይትኺዱ ክንዲ`,
	"am": `ነው ናቸው እና ወደ ላይ ውስጥ ይህ ይሄ እኛ እናንተ አለ አሉ የለም ምን ሁሉ ዛሬ ማታ ሌሊት አንድ በጣም ብቻ ጋር
		ያለ ወይም ስልክ ነገ አሁን እንዴት ለመሄድ የሚፈልጉ ወንድሞች እባካችሁ ነበር ሆኖ ግን
		ብር ኢትዮጵያ አዲስ አበባ ሺህ ዋስትና ነገር እንደ ስለ አይደለም ይችላሉ ይደውሉ ሰዎች ሰው ልጆች ውስን
		ጥሩ መንገድ ባህር ቀን ሳምንት ወር እኔ እሱ እሷ እነሱ ናት ነህ ነሽ ናችሁ አለን አላችሁ የለንም ከዚያ እዚህ
		እዚያ ደግሞ ስለዚህ ምክንያቱም ቢሆን ሲሆን ይሄዳል ይገኛል ይችላል አለብን አለባችሁ ትችላላችሁ ነበሩ ሲሆኑ
		ያላቸው ያለው ያለን ሁሉም ሌላ ሌሎች ብዙ ትንሽ ትልቅ ስደተኞች ባህር ሞቱ ሰጠሙ`,
}
