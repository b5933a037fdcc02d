// Xapian plumbing shared by the article and ticket indexes (see xapian_support.hpp).
#include "search/xapian_support.hpp"

#include <algorithm>
#include <charconv>
#include <unordered_map>
#include <utility>

#include "core/text.hpp"

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

  // Memoised: snippets stem every word of every hit's text, and a desk's vocabulary is
  // small, so most words were stemmed before (folding and Snowball cost ~10 times a lookup).
  std::string operator()(const std::string& word) override {
    if (auto it = memo_.find(word); it != memo_.end()) return it->second;
    std::string stem = snowball_(fold(word));
    if (language_ == Language::de) {
      if (auto stripped = strip_german_verb_ending(stem)) stem = snowball_(*stripped);
    }
    if (memo_.size() >= kMemoEntries) memo_.clear();  // bounded; a new start refills it
    memo_.emplace(word, stem);
    return stem;
  }

  std::string get_description() const override {
    return language_ == Language::de ? "fl-folding-german2" : "fl-folding-english";
  }

 private:
  static constexpr std::size_t kMemoEntries = 50'000;
  Language language_;
  Xapian::Stem snowball_;
  std::unordered_map<std::string, std::string> memo_;
};

// Sentinels for MSet::snippet(): control characters that we strip from the text first, so
// they can only come from Xapian and are replaced after our own escaping.
constexpr char kMarkStart = '\x01';
constexpr char kMarkEnd = '\x02';
constexpr char kOmit = '\x03';

void append_escaped(std::string& out, char c) {
  switch (c) {
    case kMarkStart:
      out += "<mark>";
      break;
    case kMarkEnd:
      out += "</mark>";
      break;
    case kOmit:
      out += "\xe2\x80\xa6";  // …
      break;
    default:
      append_escaped_html(out, c);
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

std::string html_snippet(const Xapian::MSet& mset, const std::string& text,
                         const Xapian::Stem& stemmer, std::size_t length) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text)
    if (c != kMarkStart && c != kMarkEnd && c != kOmit) clean += c;
  // Flags 0: neither exhaustive nor weighing the other words of the text. The first good
  // window is as useful and costs a fraction (no term frequency lookup per word).
  std::string raw = mset.snippet(clean, length, stemmer, 0, std::string(1, kMarkStart),
                                 std::string(1, kMarkEnd), std::string(1, kOmit));
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
      if (shift < 64) n |= static_cast<std::size_t>(byte & 0x7f) << shift;
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
  return Error{unavailable ? ErrorCode::unavailable : ErrorCode::internal, std::move(message), {}};
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
  if (ec)
    return fail(ErrorCode::unavailable, "cannot create " + dir.string() + ": " + ec.message());
  try {
    Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE_OR_OPEN);
    std::string stored = db.get_metadata(std::string(kFormatKey));
    if (stored == format) return db;
    if (!stored.empty() || db.get_doccount() != 0) {
      // Written by another version of the analysis: its terms would not meet our queries.
      // The index is derived data, so start it afresh; its event cursor goes back to 0 and
      // the caller's catch-up rebuilds it.
      db.close();
      db = Xapian::WritableDatabase(dir.string(), Xapian::DB_CREATE_OR_OVERWRITE);
    }
    db.set_metadata(std::string(kFormatKey), std::string(format));
    db.commit();
    return db;
  } catch (const Xapian::Error& e) {
    return std::unexpected(from_xapian(e, "opening " + dir.string()));
  }
}

IndexWriter::~IndexWriter() {
  // Uncommitted changes are dropped, exactly as a crash would drop them: the caller's event
  // cursor (committed with the changes) tells it where to resume.
  std::lock_guard lock(mutex_);
  cancel();
}

Result<void> IndexWriter::change(std::string_view what,
                                 const std::function<void(Xapian::WritableDatabase&)>& change) {
  std::lock_guard lock(mutex_);
  try {
    if (!in_transaction_) {
      wait_for_old_readers();
      db_.begin_transaction(true);
      in_transaction_ = true;
    }
    change(db_);
    return {};
  } catch (const Xapian::Error& e) {
    // A change may have failed half-way: drop the whole batch rather than commit part of it.
    cancel();
    discarded_ = true;
    return std::unexpected(from_xapian(e, what));
  }
}

Result<void> IndexWriter::commit() {
  std::lock_guard lock(mutex_);
  if (discarded_) {
    cancel();
    discarded_ = false;
    return fail(ErrorCode::failed_precondition,
                "a write failed since the last commit, so its batch was dropped: resume from "
                "the last applied event");
  }
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

void IndexWriter::wait_for_old_readers() {
  std::unique_lock lock(readers_mutex_);
  std::uint64_t current = generation_.load();
  readers_done_.wait(lock, [&] { return readers_.empty() || readers_.begin()->first >= current; });
}

std::uint64_t IndexWriter::start_reading() {
  std::lock_guard lock(readers_mutex_);
  // Read under the same lock as wait_for_old_readers(): a query is either seen there or reads
  // a generation that the check already accepted.
  std::uint64_t generation = generation_.load();
  ++readers_[generation];
  return generation;
}

void IndexWriter::stop_reading(std::uint64_t generation) {
  std::lock_guard lock(readers_mutex_);
  auto it = readers_.find(generation);
  if (it != readers_.end() && --it->second == 0) {
    readers_.erase(it);
    readers_done_.notify_all();
  }
}

void IndexWriter::cancel() {
  if (!in_transaction_) return;
  in_transaction_ = false;
  try {
    db_.cancel_transaction();
  } catch (const Xapian::Error&) {
    // Cancelling cannot make anything visible; the next begin_transaction() starts afresh.
  }
}

}  // namespace fl::search
