// Text analysis shared by the article and ticket indexes: folding, the German verb-ending
// rule, stop words and a language guess. Internal to fl_search; documents and queries go
// through the same functions, which is what makes them meet.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fl::search {

enum class Language { de, en };

[[nodiscard]] std::optional<Language> parse_language(std::string_view code);
[[nodiscard]] std::string_view code_of(Language language);

// Lower case with accents and umlauts folded to ASCII (ü→u, ß→ss, é→e, æ→ae, ...), so that
// "zurücksetzen" and "zurucksetzen" become one word. Invalid UTF-8 bytes are dropped.
[[nodiscard]] std::string fold(std::string_view text);

// Applied to a Snowball German stem: strips the -t / -et of third-person and participle verb
// forms ("druckt", "startet", "installiert"), which Snowball leaves alone because nouns end in
// -t too. Nouns get the same treatment in documents and queries, so "Passwort" and
// "Passwörter" still meet; the caller re-stems the result so "installier" meets "installieren".
// Returns nullopt when the rule does not apply.
[[nodiscard]] std::optional<std::string> strip_german_verb_ending(std::string_view stem);

// Snowball's stop lists (folded). Used on queries only: documents keep every word, so
// phrases and snippets stay intact.
[[nodiscard]] bool is_stopword(Language language, std::string_view folded_word);

// German or English by counting stop words of each language; umlauts break a tie.
// Used where the record does not say its language (tickets).
[[nodiscard]] Language guess_language(std::string_view text);

}  // namespace fl::search
