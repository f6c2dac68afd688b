package classify

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pemistahl/lingua-go"
)

func rss() string {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS") || strings.HasPrefix(l, "VmHWM") {
			fmt.Println(l)
		}
	}
	return ""
}

var post = "Boat from Dunkirk to UK tonight, 100% guaranteed safe crossing. Price 2500 pounds, pay on arrival. Contact WhatsApp +44 7911 123456 for details. Every night departures, children half price. Don't miss this chance, places are limited. Message me on Telegram @crossingman for more"

func TestScratchSmall(t *testing.T) {
	t0 := time.Now()
	d := lingua.NewLanguageDetectorBuilder().FromLanguages(lingua.English, lingua.French, lingua.German, lingua.Italian, lingua.Spanish, lingua.Portuguese, lingua.Dutch, lingua.Albanian, lingua.Turkish, lingua.Vietnamese, lingua.Somali, lingua.Polish, lingua.Romanian, lingua.Russian, lingua.Ukrainian).WithLowAccuracyMode().WithPreloadedLanguageModels().Build()
	fmt.Println("load", time.Since(t0))
	rss()
	t0 = time.Now()
	n := 200
	for i := 0; i < n; i++ {
		d.ComputeLanguageConfidenceValues(post)
	}
	fmt.Println("per", time.Since(t0)/time.Duration(n))
	t0 = time.Now()
	for i := 0; i < n; i++ {
		d.DetectLanguageOf(post)
	}
	fmt.Println("per detect", time.Since(t0)/time.Duration(n))
}
func TestScratchAll(t *testing.T) {
	t0 := time.Now()
	d := lingua.NewLanguageDetectorBuilder().FromAllLanguages().WithPreloadedLanguageModels().Build()
	fmt.Println("load", time.Since(t0))
	rss()
	t0 = time.Now()
	n := 50
	for i := 0; i < n; i++ {
		d.DetectLanguageOf(post)
	}
	fmt.Println("per detect", time.Since(t0)/time.Duration(n))
}

func BenchmarkScratchSmall(b *testing.B) {
	d := lingua.NewLanguageDetectorBuilder().FromLanguages(lingua.English, lingua.French, lingua.German, lingua.Italian, lingua.Spanish, lingua.Portuguese, lingua.Dutch, lingua.Albanian, lingua.Turkish, lingua.Vietnamese, lingua.Somali, lingua.Polish, lingua.Romanian, lingua.Russian, lingua.Ukrainian).WithLowAccuracyMode().WithPreloadedLanguageModels().Build()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.ComputeLanguageConfidenceValues(post[:80])
	}
}
