// Package classify scores posts for how likely they are to advertise an
// irregular crossing, and explains the score.
//
// Classify runs, in order:
//
//   - Normalisation (Normalize): NFKC, case folding, zero-width and bidi
//     controls removed, Arabic-script letter variants unified, digits of
//     every script to ASCII, Cyrillic and Greek look-alikes in Latin words
//     folded, leetspeak ("b0at", "wh@tsapp") and letter spacing ("W h a t s
//     A p p", "U.K", "Eng-land") undone, emoji kept. Every normalised rune
//     remembers the span of the original it came from, so indicators are
//     reported in original byte offsets.
//   - Language identification: script first, then rules with function words
//     and letters for the languages lingua-go does not know (Sorani ckb,
//     Kurmanji kmr, Pashto ps, Dari prs, Tigrinya ti, Amharic am) and for
//     the other Arabic-script and Ethiopic languages, and lingua-go, limited
//     to the Latin-script languages of the routes in its low-accuracy mode,
//     where the rules are unsure. Other scripts in a post give the other
//     languages found.
//   - Indicators: terms from the embedded lexicons (lexicons/<lang>.txt),
//     in groups: destination, route, crossing, vehicle, offer, contact,
//     documents, and the counter-indicators news, warning, ferry, sale,
//     legal, job and personal.
//   - Entities: phone numbers (github.com/nyaruka/phonenumbers, E.164),
//     WhatsApp and Telegram links, other links, @handles, prices.
//   - Learned evidence: the words, word pairs and three- to five-letter
//     pieces of words of the normalised text, each with a weight fitted on
//     the train corpus (lexicons/model.json, "learned"), so that the model
//     also hears the many words no lexicon lists and the inflections of
//     those it does. The words that moved the score most are reported as
//     indicators of group "learned".
//   - Score: one logistic model over group strengths, entities, structure
//     (quotation, questions) and the learned evidence, fitted on the train
//     corpus with L2 penalties chosen by 5-fold cross-validation on train,
//     and on copies of the train posts with a fifth of their evidence
//     dropped, so that it does not trust the lexicons, written from train,
//     more than they deserve on new posts. The score is held at most 0.2
//     unless an offer or contact comes with a destination, route, crossing,
//     vehicle or documents: no single word makes an advert. Labels come
//     from thresholds chosen on the dev corpus (lexicons/thresholds.json):
//     advert, review (the band between the thresholds) or not_advert.
//
// The model and thresholds are refitted by
//
//	go test ./classify -run '^TestCalibrate$' -update
//
// A Classifier is immutable and safe for concurrent use.
package classify

//go:generate go test -run ^TestCalibrate$ -update .
