// Xapian plumbing shared by the article and ticket indexes (see xapian_support.hpp).
#include "search/xapian_support.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

namespace fl::search {

namespace {

// Folding happens inside the stemmer so that everything which stems — TermGenerator at index
// time, our query builder, and MSet::snippet() when it looks for matches — folds the same way.
class FoldingStemmer final : public Xapian::StemImplementation {
 public:
  explicit FoldingStemmer(Language language)
      // german2 also reads "ue", "oe", "ae" as umlauts, so "zuruecksetzen" (typed without
      // umlaut keys) meets "zurücksetzen".
      : language_(language), snowball_(language == Language::de ? "german2" : "english") {}

  std::string operator()(const std::string& word) override {
    std::string stem = snowball_(fold(word));
    if (language_ == Language::de) {
      if (auto stripped = strip_german_verb_ending(stem)) stem = snowball_(*stripped);
    }
    return stem;
  }

  std::string get_description() const override {
    return language_ == Language::de ? "fl-folding-german2" : "fl-folding-english";
  }

 private:
  Language language_;
  Xapian::Stem snowball_;
};

// Sentinels for MSet::snippet(): control characters that we strip from the text first, so
// they can only come from Xapian and are replaced after our own escaping.
constexpr char kMarkStart = '\x01';
constexpr char kMarkEnd = '\x02';
constexpr char kOmit = '\x03';

void append_escaped(std::string& out, char c) {
  switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    case kMarkStart: out += "<mark>"; break;
    case kMarkEnd: out += "</mark>"; break;
    case kOmit: out += "\xe2\x80\xa6"; break;  // …
    default: out += c;
  }
}

}  // namespace

Xapian::Stem make_stemmer(Language language) {
  return Xapian::Stem(new FoldingStemmer(language));
}

std::vector<std::string> split_words(std::string_view text) {
  Xapian::TermGenerator generator;
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
  Xapian::Document doc;
  generator.set_document(doc);
  generator.index_text(std::string(text));
  std::vector<std::pair<Xapian::termpos, std::string>> positioned;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
      positioned.emplace_back(*p, *t);
  std::ranges::sort(positioned);
  std::vector<std::string> words;
  words.reserve(positioned.size());
  for (auto& [pos, word] : positioned) words.push_back(std::move(word));
  return words;
}

std::string stemmed_term(Xapian::Stem& stemmer, std::string_view word,
                         std::string_view field_prefix) {
  std::string term = "Z";
  term += field_prefix;
  term += stemmer(std::string(word));
  return term;
}

std::string html_snippet(const Xapian::MSet& mset, const std::string& text,
                         const Xapian::Stem& stemmer, std::size_t length) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text)
    if (c != kMarkStart && c != kMarkEnd && c != kOmit) clean += c;
  std::string raw = mset.snippet(clean, length, stemmer,
                                 Xapian::MSet::SNIPPET_BACKGROUND_MODEL |
                                     Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                 std::string(1, kMarkStart), std::string(1, kMarkEnd),
                                 std::string(1, kOmit));
  // Xapian escapes &, < and > in most of the excerpt but not in the punctuation it appends
  // after the last word, nor quotes: undo its escaping and escape everything once, here.
  std::string out;
  out.reserve(raw.size() + raw.size() / 8);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    std::string_view rest(raw.data() + i, raw.size() - i);
    if (rest.starts_with("&amp;")) {
      append_escaped(out, '&');
      i += 4;
    } else if (rest.starts_with("&lt;")) {
      append_escaped(out, '<');
      i += 3;
    } else if (rest.starts_with("&gt;")) {
      append_escaped(out, '>');
      i += 3;
    } else {
      append_escaped(out, raw[i]);
    }
  }
  return out;
}

void pack(std::string& out, std::string_view field) {
  std::size_t n = field.size();
  do {
    unsigned char byte = n & 0x7f;
    n >>= 7;
    if (n != 0) byte |= 0x80;
    out.push_back(static_cast<char>(byte));
  } while (n != 0);
  out += field;
}

std::vector<std::string> unpack(std::string_view data) {
  std::vector<std::string> fields;
  std::size_t i = 0;
  while (i < data.size()) {
    std::size_t n = 0;
    int shift = 0;
    while (i < data.size()) {
      auto byte = static_cast<unsigned char>(data[i++]);
      n |= static_cast<std::size_t>(byte & 0x7f) << shift;
      shift += 7;
      if ((byte & 0x80) == 0) break;
    }
    n = std::min(n, data.size() - i);
    fields.emplace_back(data.substr(i, n));
    i += n;
  }
  return fields;
}

Error from_xapian(const Xapian::Error& e, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += e.get_description();
  // Xapian::Error is not polymorphic: its type comes as a name.
  std::string_view type = e.get_type();
  bool unavailable = type == "DatabaseLockError" || type == "DatabaseOpeningError" ||
                     type == "DatabaseNotFoundError";
  return Error{unavailable ? ErrorCode::unavailable : ErrorCode::internal, std::move(message),
               {}};
}

std::int64_t parse_event(const std::string& value) {
  std::int64_t id = 0;
  std::from_chars(value.data(), value.data() + value.size(), id);
  return id;
}

Result<Xapian::WritableDatabase> open_writable(const std::filesystem::path& dir,
                                               std::string_view format) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(ErrorCode::unavailable, "cannot create " + dir.string() + ": " + ec.message());
  try {
    Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE_OR_OPEN);
    std::string stored = db.get_metadata(std::string(kFormatKey));
    if (stored.empty() && db.get_doccount() == 0) {
      db.set_metadata(std::string(kFormatKey), std::string(format));
      db.commit();
    } else if (stored != format) {
      return fail(ErrorCode::failed_precondition,
                  "the index in " + dir.string() + " has format '" + stored + "', not '" +
                      std::string(format) + "': remove the folder and reindex");
    }
    return db;
  } catch (const Xapian::Error& e) {
    return std::unexpected(from_xapian(e, "opening " + dir.string()));
  }
}

IndexWriter::~IndexWriter() {
  // Uncommitted changes are dropped, exactly as a crash would drop them: the caller's event
  // cursor (committed with the changes) tells it where to resume.
  if (in_transaction_) {
    try {
      db_.cancel_transaction();
    } catch (const Xapian::Error&) {
      // Nothing was committed; closing the database discards the rest.
    }
  }
}

Result<void> IndexWriter::change(std::string_view what,
                                 const std::function<void(Xapian::WritableDatabase&)>& change) {
  std::lock_guard lock(mutex_);
  try {
    if (!in_transaction_) {
      db_.begin_transaction(true);
      in_transaction_ = true;
    }
    change(db_);
    return {};
  } catch (const Xapian::Error& e) {
    return std::unexpected(from_xapian(e, what));
  }
}

Result<void> IndexWriter::commit() {
  std::lock_guard lock(mutex_);
  if (!in_transaction_) return {};
  try {
    in_transaction_ = false;
    db_.commit_transaction();
  } catch (const Xapian::Error& e) {
    // A failed commit_transaction() ends the transaction with none of its changes applied.
    return std::unexpected(from_xapian(e, "committing the index"));
  }
  generation_.fetch_add(1);
  return {};
}

}  // namespace fl::search
