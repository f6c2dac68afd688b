package classify

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pemistahl/lingua-go"
)

// benchPosts are ~300-character posts in the languages of the routes,
// written for the benchmark (not taken from the corpus).
var benchPosts = []string{
	"Boat from Dunkirk to the UK every night this week when the weather is good. 100% guaranteed, pay on arrival in London. Price £2,500 per person, children half price. Places are limited, book now. Contact WhatsApp +44 7700 900123 or Telegram @uk_trip. Serious people only, no questions in the comments.",
	"Départ chaque nuit depuis la plage de Gravelines vers l'Angleterre, bateau neuf et moteur puissant. Paiement à l'arrivée, 2000 euros par personne, enfants à moitié prix. Places limitées, réservez vite. Contactez-nous sur WhatsApp au 06 12 34 56 78, sérieux uniquement, pas de questions ici.",
	"رحلات إلى بريطانيا كل ليلة من شاطئ دنكيرك، بلم جديد ومحرك قوي، مضمون ١٠٠٪ والدفع عند الوصول إلى لندن. السعر ٢٥٠٠ باوند للشخص، الأطفال نصف السعر. الأماكن محدودة، للتواصل على الواتساب ٠٠٤٤٧٧٠٠٩٠٠١٢٣ للجادين فقط.",
	"بەلەم بۆ بەریتانیا هەموو شەوێک لە کەناری دەنکێرک، ماتۆڕی نوێ و کاپتنی شارەزا. پارە دوای گەیشتن بە لەندەن، ١٥٠٠ پاوەند بۆ هەر کەسێک. جێگا ماوە، پەیوەندی لە واتساپ +33 7 53 18 42 06 تەنها کەسانی جددی.",
	"Belem her şev ji peravê Dunkirkê diçe Îngilîstanê, motora nû û kaptanê baş. Pere piştî gihîştinê li Londonê, 1500 £ ji bo her kesî, zarok nîv biha. Cih hene, têkilî bi WhatsApp +33 7 53 18 42 06, tenê kesên cidî.",
	"ጀልባ ናብ እንግሊዝ ኩሉ ለይቲ ካብ ገምገም ባሕሪ ዳንኪርክ ኣሎ፣ ሓድሽ ሞተር። ክፍሊት ምስ በጻሕኩም ለንደን፣ ንሓደ ሰብ 1500 ፓውንድ። ውሱን ቦታ ኣሎ፣ ብዋትስኣፕ ደውሉ +33 7 53 18 42 06።",
	"Đi Anh bằng thuyền mỗi đêm từ bờ biển Pháp, bao đậu 100%, đến nơi mới trả tiền. Giá 2500 bảng một người, trẻ em giảm giá. Còn chỗ tuần này, liên hệ Zalo hoặc WhatsApp +33 7 53 18 42 06, chỉ người nghiêm túc.",
	"Gomone për në Angli çdo natë nga bregu i Francës, motor i ri dhe kapiten me përvojë. Pagesa pas mbërritjes në Londër, 2500 paund për person. Vende të kufizuara këtë javë, na kontaktoni në WhatsApp +33 7 53 18 42 06.",
	"انګلستان ته هره شپه د ډنکرک له ساحل څخه کښتۍ ځي، نوی انجن او تجربه لرونکی کپتان. پیسې له رسیدو وروسته، د هر نفر بیه ۱۵۰۰ پونډه. محدود ځایونه، په واټساپ اړیکه ونیسئ +33 7 53 18 42 06.",
	"Her gece Dunkirk sahilinden İngiltere'ye bot var, yeni motor ve tecrübeli kaptan. Ödeme Londra'ya varınca, kişi başı 2500 sterlin, çocuklar yarı fiyat. Sınırlı yer var, WhatsApp +33 7 53 18 42 06 üzerinden bize ulaşın, sadece ciddi olanlar.",
}

// BenchmarkClassify classifies ~300-character posts on one goroutine.
// Compare with BenchmarkLinguaAllLanguages, measured in the same run.
func BenchmarkClassify(b *testing.B) {
	c := newTestClassifier(b)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c.Classify(benchPosts[i%len(benchPosts)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}

// BenchmarkLinguaAllLanguages is the baseline: lingua-go detection alone
// with all its languages in high-accuracy mode, on the same posts. Building
// the detector loads about 2 GB of models and takes seconds; that is not
// timed.
func BenchmarkLinguaAllLanguages(b *testing.B) {
	d := lingua.NewLanguageDetectorBuilder().FromAllLanguages().WithPreloadedLanguageModels().Build()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		d.DetectLanguageOf(benchPosts[i%len(benchPosts)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}

// helperEnv makes the test binary run TestMemoryHelper as a child process.
const helperEnv = "TIDEWATCH_CLASSIFY_MEMORY_HELPER"

// BenchmarkMemory measures, each in a fresh process, the resident memory
// and start-up time of a process holding the classifier and of one holding
// the baseline detector, and reports both and their ratio.
func BenchmarkMemory(b *testing.B) {
	measure := func(what string) (rssMB, startup float64) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMemoryHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), helperEnv+"="+what)
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("memory helper %s: %v\n%s", what, err, out)
		}
		sc := bufio.NewScanner(strings.NewReader(string(out)))
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) == 3 && f[0] == "MEASURE" {
				rssMB, _ = strconv.ParseFloat(f[1], 64)
				startup, _ = strconv.ParseFloat(f[2], 64)
				return rssMB, startup
			}
		}
		b.Fatalf("memory helper %s printed no MEASURE line:\n%s", what, out)
		return 0, 0
	}
	for b.Loop() {
		cRSS, cStart := measure("classifier")
		lRSS, lStart := measure("lingua")
		b.ReportMetric(cRSS, "classifier-RSS-MB")
		b.ReportMetric(cStart, "classifier-startup-s")
		b.ReportMetric(lRSS, "lingua-all-RSS-MB")
		b.ReportMetric(lStart, "lingua-all-startup-s")
		b.ReportMetric(cRSS/lRSS, "RSS-ratio")
	}
}

// TestMemoryHelper is the child process of BenchmarkMemory; it does
// nothing in a normal test run.
func TestMemoryHelper(t *testing.T) {
	what := os.Getenv(helperEnv)
	if what == "" {
		t.Skip("child process of BenchmarkMemory")
	}
	t0 := time.Now()
	switch what {
	case "classifier":
		c, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range benchPosts {
			c.Classify(p)
		}
		runtime.KeepAlive(c)
	case "lingua":
		d := lingua.NewLanguageDetectorBuilder().FromAllLanguages().WithPreloadedLanguageModels().Build()
		for _, p := range benchPosts {
			d.DetectLanguageOf(p)
		}
		runtime.KeepAlive(d)
	default:
		t.Fatalf("unknown helper %q", what)
	}
	startup := time.Since(t0).Seconds()
	fmt.Printf("MEASURE %.1f %.3f\n", vmRSSMB(t), startup)
}

// vmRSSMB reads the process's resident set size from /proc.
func vmRSSMB(t *testing.T) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	t.Fatal("no VmRSS in /proc/self/status")
	return 0
}
