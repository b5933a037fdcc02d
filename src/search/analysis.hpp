// Text analysis shared by the article and ticket indexes: folding, the German verb-ending
// rule, stop words and a language guess. Internal to fl_search; documents and queries go
// through the same functions, which is what makes them meet.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fl::search {

enum class Language { de, en };

[[nodiscard]] std::optional<Language> parse_language(std::string_view code);
[[nodiscard]] std::string_view code_of(Language language);

// Lower case with accents and umlauts folded to ASCII (ü→u, ß→ss, é→e, æ→ae, ...), so that
// "zurücksetzen" and "zurucksetzen" become one word. Invalid UTF-8 bytes are dropped.
[[nodiscard]] std::string fold(std::string_view text);

// Characters (code points) of UTF-8 text: what a title's length means to a reader.
[[nodiscard]] std::size_t code_points(std::string_view text);

// Applied to a Snowball German stem: strips the -t / -et of third-person and participle verb
// forms ("druckt", "startet", "installiert"), which Snowball leaves alone because nouns end in
// -t too. Nouns get the same treatment in documents and queries, so "Passwort" and
// "Passwörter" still meet; the caller re-stems the result so "installier" meets "installieren".
// Returns nullopt when the rule does not apply.
[[nodiscard]] std::optional<std::string> strip_german_verb_ending(std::string_view stem);

// German compounds, without a lexicon: every (modifier, head) split of a folded stem that
// leaves at least four letters on each side: "druckertreib" gives ("druc", "kertreib"),
// ("druck", "ertreib"), ..., ("drucker", "treib"), ("druckert", "reib"). The index stores all
// of them, so a query word finds the compounds it starts or ends; the wrong splits are
// strings that a query word rarely produces. Empty for stems under eight letters or with
// non-ASCII letters.
[[nodiscard]] std::vector<std::pair<std::string_view, std::string_view>> compound_splits(
    std::string_view stem);

// The forms a compound's modifier may have as a word of its own, without the linking
// element German puts between the parts ("sicherheits" → "sicherheit").
[[nodiscard]] std::vector<std::string_view> modifier_forms(std::string_view modifier);

// Snowball's stop lists (folded). Used on queries only: documents keep every word, so
// phrases and snippets stay intact.
[[nodiscard]] bool is_stopword(Language language, std::string_view folded_word);

// True when the title only repeats the opening of the text: the text's first line starts
// with the title's words (folded) and goes on, or the title is the whole text. Such a title
// (from an import that had none and took the first words) says nothing the text does not, so
// the index gives it no weight of its own. A title repeated as a heading (the whole first
// line, with more text below) is a real title and keeps its weight.
[[nodiscard]] bool title_repeats_opening(std::string_view title, std::string_view text);

// German or English by counting stop words of each language; umlauts break a tie.
// Used where the record does not say its language (tickets).
[[nodiscard]] Language guess_language(std::string_view text);

}  // namespace fl::search
