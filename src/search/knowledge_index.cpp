// KnowledgeIndex over Xapian: how articles become terms and queries become ranked hits.
//
// Two text fields. The all-text field holds every word of the article (title once, each
// keyword twice, the body once) as "Z" + folded Snowball stem, with positions; the title
// field holds the title again as "ZS" + stem. A query word matches both, each scored by BM25
// with its own statistics, so a title that says what the user asks for wins clearly (the
// Elasticsearch "most fields" shape). A title that only repeats the opening words of the body
// (search::title_repeats_opening) is in neither: it would count those words again. German articles
// also get "XP" terms for both parts of every modifier/head split of their long words (see
// search::compound_splits), so "Drucker" finds "Netzwerkdrucker". Boolean terms carry what queries
// filter on. Suggestions come from an in-memory table of the published titles (search::TitleTable),
// loaded from a value slot.
#include "search/knowledge_index.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>

#include "core/result_cache.hpp"
#include "search/analysis.hpp"
#include "search/title_table.hpp"
#include "search/xapian_support.hpp"

namespace fl {

namespace {

using search::code_points;
using search::Language;
using search::term;

// The analysis and term layout; an index of another format is emptied on open and rebuilt.
constexpr std::string_view kFormat = "fl-kb-5";
constexpr std::string_view kSynonymsKey = "fl.synonyms";

constexpr std::string_view kVisibilityPrefix = "XV";
constexpr std::string_view kKindPrefix = "XK";
constexpr std::string_view kCategoryPrefix = "XC";
constexpr std::string_view kTitleField = "S";
// A part of a German compound, head or modifier alike: one posting list per part, not two.
constexpr std::string_view kPartPrefix = "XP";

// "kind<TAB>category,category,...": what the facets count, one value read per match.
constexpr Xapian::valueno kSlotFacets = 0;
// "id<TAB>language<TAB>audience<TAB>title" of a published article: the suggestion table.
constexpr Xapian::valueno kSlotSuggest = 3;

constexpr Xapian::termcount kKeywordWeight = 2;
// Fields are this many positions apart, so a phrase (multi-word synonym) never bridges two.
constexpr Xapian::termpos kFieldGap = 100;
constexpr std::size_t kSnippetBytes = 200;
// Facets count this many best matches exactly and scale beyond: counting every match of a
// broad query would cost more than the rest of the search.
constexpr Xapian::doccount kFacetDepth = 300;
// Robertson's usual BM25 parameters, not fitted to any data.
constexpr double kBm25K1 = 1.2;
constexpr double kBm25B = 0.75;

std::string id_term(ArticleId id) {
  return term(search::kIdPrefix, std::to_string(id));
}

// The admin synonym list as stored in the index metadata: groups by line, entries by tab.
std::string serialise_synonyms(const std::vector<std::vector<std::string>>& groups) {
  std::string out;
  for (const auto& group : groups) {
    std::string line;
    for (const auto& entry : group) {
      std::string clean;
      for (char c : entry) clean += (c == '\t' || c == '\n' || c == '\r') ? ' ' : c;
      if (clean.find_first_not_of(' ') == std::string::npos) continue;
      if (!line.empty()) line += '\t';
      line += clean;
    }
    if (!line.empty()) out += line + '\n';
  }
  return out;
}

std::vector<std::vector<std::string>> parse_synonyms(std::string_view stored) {
  std::vector<std::vector<std::string>> groups;
  while (!stored.empty()) {
    std::size_t eol = stored.find('\n');
    std::string_view line = stored.substr(0, eol);
    stored = eol == std::string_view::npos ? std::string_view{} : stored.substr(eol + 1);
    std::vector<std::string> group;
    while (!line.empty()) {
      std::size_t tab = line.find('\t');
      group.emplace_back(line.substr(0, tab));
      line = tab == std::string_view::npos ? std::string_view{} : line.substr(tab + 1);
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

std::string join_stems(const std::vector<std::string>& stems, std::size_t from, std::size_t n) {
  std::string key;
  for (std::size_t i = from; i < from + n; ++i) {
    if (i != from) key += ' ';
    key += stems[i];
  }
  return key;
}

// The admin synonyms analysed for one language: each group becomes one OP_SYNONYM query
// (a phrase for a multi-word entry), found by the stems of any of its entries.
struct SynonymTable {
  std::vector<Xapian::Query> groups;
  std::unordered_map<std::string, std::size_t> group_of;
  std::size_t longest = 1;

  void build(const std::vector<std::vector<std::string>>& source, Xapian::Stem& stemmer) {
    groups.clear();
    group_of.clear();
    longest = 1;
    for (const auto& entries : source) {
      std::vector<Xapian::Query> alternatives;
      std::vector<std::string> keys;
      for (const auto& entry : entries) {
        std::vector<std::string> stems;
        for (const auto& word : search::split_words(entry)) stems.push_back(stemmer(word));
        if (stems.empty()) continue;
        std::vector<Xapian::Query> terms;
        for (const auto& s : stems) terms.emplace_back(term("Z", s));
        alternatives.push_back(terms.size() == 1
                                   ? terms.front()
                                   : Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(),
                                                   terms.end(), terms.size()));
        keys.push_back(join_stems(stems, 0, stems.size()));
        longest = std::max(longest, stems.size());
      }
      if (alternatives.size() < 2) continue;
      std::size_t index = groups.size();
      groups.emplace_back(Xapian::Query::OP_SYNONYM, alternatives.begin(), alternatives.end());
      for (auto& key : keys) group_of.emplace(std::move(key), index);
    }
  }
};

// What a reader derives from its database; rebuilt whenever it is reopened.
struct ReaderState {
  Xapian::Stem de = search::make_stemmer(Language::de);
  Xapian::Stem en = search::make_stemmer(Language::en);
  SynonymTable synonyms_de;
  SynonymTable synonyms_en;

  void rebuild(Xapian::Database& db) {
    auto groups = parse_synonyms(db.get_metadata(std::string(kSynonymsKey)));
    synonyms_de.build(groups, de);
    synonyms_en.build(groups, en);
  }
  Xapian::Stem& stemmer(Language l) { return l == Language::de ? de : en; }
  const SynonymTable& synonyms(Language l) const {
    return l == Language::de ? synonyms_de : synonyms_en;
  }
};

// Counts the kinds of the matching articles and every category on their paths. Called for
// each match the search looks at, so it counts into flat arrays, not maps.
class FacetCounter final : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double) override {
    ++seen_;
    std::string facets = doc.get_value(kSlotFacets);
    std::string_view path = facets;
    std::size_t tab = path.find('\t');
    if (tab == std::string_view::npos) return;
    if (auto kind = parse_name<ArticleKind>(path.substr(0, tab)))
      ++kinds_[static_cast<std::size_t>(*kind)];
    path.remove_prefix(tab + 1);
    const char* p = path.data();
    const char* end = p + path.size();
    while (p < end) {
      CategoryId id = 0;
      auto [next, ec] = std::from_chars(p, end, id);
      if (ec != std::errc{}) break;
      auto it = std::ranges::find(categories_, id, &std::pair<CategoryId, std::int64_t>::first);
      if (it == categories_.end())
        categories_.emplace_back(id, 1);
      else
        ++it->second;
      p = next;
      while (p < end && *p == ',') ++p;
    }
  }
  [[nodiscard]] std::int64_t seen() const { return seen_; }
  [[nodiscard]] const std::vector<std::pair<CategoryId, std::int64_t>>& categories() const {
    return categories_;
  }
  [[nodiscard]] std::int64_t kind_count(ArticleKind k) const {
    return kinds_[static_cast<std::size_t>(k)];
  }

 private:
  std::int64_t seen_ = 0;
  std::array<std::int64_t, EnumNames<ArticleKind>::table.size()> kinds_{};
  std::vector<std::pair<CategoryId, std::int64_t>> categories_;  // in order of first sight
};

// Facet counts past kFacetDepth are scaled like Xapian's own estimate of the total.
std::int64_t scaled(std::int64_t count, std::int64_t seen, std::int64_t estimated) {
  if (seen <= 0 || estimated <= seen) return count;
  return static_cast<std::int64_t>(static_cast<double>(count) * static_cast<double>(estimated) /
                                       static_cast<double>(seen) +
                                   0.5);
}

// The modifier/head terms of every long word of a German article (see compound_splits).
void add_compound_parts(Xapian::Document& doc) {
  std::vector<std::string> parts;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    const std::string& name = *t;
    // Only all-text stems: "Z" followed by a lower-case stem, not a field prefix.
    if (name.size() < 2 || name[0] != 'Z' || (name[1] >= 'A' && name[1] <= 'Z')) continue;
    for (auto [modifier, head] : search::compound_splits(std::string_view(name).substr(1))) {
      parts.push_back(term(kPartPrefix, modifier));
      parts.push_back(term(kPartPrefix, head));
    }
  }
  for (const auto& p : parts) doc.add_term(p);
}

template <class Key>
void sort_facets(std::vector<std::pair<Key, std::int64_t>>& facets) {
  std::ranges::stable_sort(facets,
                           [](const auto& a, const auto& b) { return a.second > b.second; });
}

// The words of a query analysed for one language.
struct AnalysedWords {
  std::vector<std::string> stems;
  std::vector<bool> stop;
  bool all_stop = true;
};

AnalysedWords analyse(const std::vector<std::string>& words, Language language,
                      Xapian::Stem& stemmer) {
  AnalysedWords a;
  for (const auto& w : words) {
    a.stems.push_back(stemmer(w));
    bool stop = search::is_stopword(language, search::fold(w));
    a.stop.push_back(stop);
    a.all_stop = a.all_stop && stop;
  }
  return a;
}

// A German query compound that the articles write apart ("Paketaktualisierung" for
// "Aktualisierung der Pakete"): the split whose head and modifier are both indexed words,
// the one whose rarer part is most frequent if several are.
std::optional<std::pair<std::string, std::string>> split_compound(const Xapian::Database& db,
                                                                  const std::string& stem,
                                                                  Xapian::Stem& stemmer) {
  std::optional<std::pair<std::string, std::string>> best;
  Xapian::doccount best_frequency = 0;
  for (auto [modifier, head] : search::compound_splits(stem)) {
    std::string head_term = term("Z", head);
    Xapian::doccount head_frequency = db.get_termfreq(head_term);
    if (head_frequency == 0) continue;
    for (std::string_view form : search::modifier_forms(modifier)) {
      std::string modifier_stem = stemmer(std::string(form));
      Xapian::doccount frequency =
          std::min(head_frequency, db.get_termfreq(term("Z", modifier_stem)));
      if (frequency == 0) continue;
      if (frequency > best_frequency) {
        best_frequency = frequency;
        best.emplace(std::move(modifier_stem), std::string(head));
      }
      break;
    }
  }
  return best;
}

Xapian::Query any_of(const std::set<std::string>& terms) {
  if (terms.size() == 1) return Xapian::Query(*terms.begin());
  return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
}

// BM25 over the query's words (stop words dropped unless nothing else is left), each word
// widened by its synonym group, matched in the all-text field and the title field. With
// several languages a word is analysed in each, and its stems join one OP_SYNONYM per field:
// one pass over the posting lists for all languages, and a word counts once however many
// stems it has. German words also match the compounds they head or modify (a modifier may
// appear unstemmed: "sicherheits-") and, for a query compound, its parts. A proximity boost
// (pairs of query words near each other) was measured and left out: it lowered StackFAQ
// Recall@5 from 0.950 to 0.929 (bench/kb_eval/README.md).
Xapian::Query text_query(const Xapian::Database& db, const std::vector<std::string>& words,
                         const std::vector<Language>& languages, ReaderState& state) {
  std::vector<AnalysedWords> analysed;
  for (Language l : languages) analysed.push_back(analyse(words, l, state.stemmer(l)));
  std::vector<Xapian::Query> parts;
  std::set<std::string> seen_groups;  // a synonym group found in two languages counts once
  auto add_group = [&](const Xapian::Query& group) {
    if (seen_groups.insert(group.get_description()).second) parts.push_back(group);
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::set<std::string> text_terms, title_terms, split_terms;
    for (std::size_t li = 0; li < languages.size(); ++li) {
      Language language = languages[li];
      const AnalysedWords& a = analysed[li];
      const SynonymTable& synonyms = state.synonyms(language);
      for (std::size_t n = std::min(synonyms.longest, words.size() - i); n >= 2; --n) {
        auto it = synonyms.group_of.find(join_stems(a.stems, i, n));
        if (it != synonyms.group_of.end()) {
          add_group(synonyms.groups[it->second]);
          break;
        }
      }
      const std::string& stem = a.stems[i];
      if (auto single = synonyms.group_of.find(stem); single != synonyms.group_of.end()) {
        add_group(synonyms.groups[single->second]);
        title_terms.insert(term("Z", kTitleField, stem));
        continue;
      }
      if (a.stop[i] && !a.all_stop) continue;
      text_terms.insert(term("Z", stem));
      title_terms.insert(term("Z", kTitleField, stem));
      if (language == Language::de) {
        text_terms.insert(term(kPartPrefix, stem));
        text_terms.insert(term(kPartPrefix, search::fold(words[i])));
        if (auto split = split_compound(db, stem, state.stemmer(language))) {
          split_terms.insert(term("Z", split->first));
          split_terms.insert(term("Z", split->second));
        }
      }
    }
    if (!text_terms.empty()) parts.push_back(any_of(text_terms));
    if (!title_terms.empty()) parts.push_back(any_of(title_terms));
    for (const auto& t : split_terms) parts.emplace_back(t);
  }
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

Xapian::Query and_all(const std::vector<Xapian::Query>& parts) {
  if (parts.empty()) return search::match_all();
  if (parts.size() == 1) return parts.front();
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

// Language, audience and status as one term, so the filter every query applies is one
// posting list (or a short OR of them) instead of an AND of three long ones.
std::string visibility_term(std::string_view language, Audience audience, ArticleStatus status) {
  return term(kVisibilityPrefix, language, ":", name_of(audience), ":", name_of(status));
}

Xapian::Query visible(Language language, bool include_internal, bool include_unpublished) {
  std::vector<Xapian::Query> terms;
  for (const auto& [audience, a_name] : EnumNames<Audience>::table) {
    if (audience == Audience::internal && !include_internal) continue;
    for (const auto& [status, s_name] : EnumNames<ArticleStatus>::table) {
      if (status != ArticleStatus::published && !include_unpublished) continue;
      terms.emplace_back(visibility_term(search::code_of(language), audience, status));
    }
  }
  if (terms.size() == 1) return terms.front();
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

std::vector<Language> languages_of(const std::optional<Language>& language) {
  if (language) return {*language};
  return {Language::de, Language::en};
}

// The text query, restricted to the visible articles of the languages and to the other
// filters.
Xapian::Query full_query(const Xapian::Database& db, const std::vector<std::string>& words,
                         const std::vector<Language>& languages, const ArticleQuery& query,
                         const std::vector<Xapian::Query>& filters, ReaderState& state) {
  std::vector<Xapian::Query> visibility;
  for (Language l : languages)
    visibility.push_back(visible(l, query.include_internal, query.include_unpublished));
  std::vector<Xapian::Query> filter = filters;
  filter.emplace_back(Xapian::Query::OP_OR, visibility.begin(), visibility.end());
  Xapian::Query text =
      words.empty() ? search::match_all() : text_query(db, words, languages, state);
  return Xapian::Query(Xapian::Query::OP_FILTER, text, and_all(filter));
}

// In some article of one of the languages, as a word or (German) as part of a compound.
bool known_word(const Xapian::Database& db, const std::string& word,
                const std::vector<Language>& languages, ReaderState& state) {
  return std::ranges::any_of(languages, [&](Language l) {
    std::string stem = state.stemmer(l)(word);
    return db.term_exists(term("Z", stem)) ||
           (l == Language::de && db.term_exists(term(kPartPrefix, stem)));
  });
}

// "Did you mean": the query with each word that is in no article replaced by the spelling
// table's nearest word that is; nullopt when nothing could be corrected.
std::optional<std::string> corrected_query(const Xapian::Database& db,
                                           const std::vector<std::string>& words,
                                           const std::vector<Language>& languages,
                                           ReaderState& state) {
  bool changed = false;
  std::string out;
  for (const auto& word : words) {
    std::string chosen = word;
    bool numeric = std::ranges::all_of(word, [](char c) { return c >= '0' && c <= '9'; });
    if (word.size() >= 3 && !numeric && !known_word(db, word, languages, state)) {
      std::string suggestion = db.get_spelling_suggestion(word, 2);
      if (!suggestion.empty() && known_word(db, suggestion, languages, state)) {
        chosen = suggestion;
        changed = true;
      }
    }
    if (!out.empty()) out += ' ';
    out += chosen;
  }
  if (!changed) return std::nullopt;
  return out;
}

std::string suggest_value(const ArticleDocument& article) {
  return term(std::to_string(article.id), "\t", article.language, "\t", name_of(article.audience),
              "\t", article.title);
}

// A published article's entry in the suggestion table, from its value slot.
std::optional<search::TitleEntry> title_entry(std::string_view value) {
  std::array<std::string_view, 3> head;
  for (auto& field : head) {
    std::size_t tab = value.find('\t');
    if (tab == std::string_view::npos) return std::nullopt;
    field = value.substr(0, tab);
    value.remove_prefix(tab + 1);
  }
  ArticleId id = 0;
  auto language = search::parse_language(head[1]);
  if (!language ||
      std::from_chars(head[0].data(), head[0].data() + head[0].size(), id).ec != std::errc{})
    return std::nullopt;
  return search::TitleEntry::prepare(id, std::string(value), *language,
                                     head[2] == name_of(Audience::internal));
}

}  // namespace

struct KnowledgeIndex::Impl {
  Impl(const std::filesystem::path& dir, Xapian::WritableDatabase db, SearchIndexOptions options)
      : dir(dir),
        writer(std::move(db)),
        pool(dir, writer, std::max<std::size_t>(options.readers, 1)),
        results(options.result_cache) {
    for (Language l : {Language::de, Language::en}) {
      auto& g = generator(l);
      g.set_stemmer(search::make_stemmer(l));
      g.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
      g.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
    }
  }

  Xapian::TermGenerator& generator(Language l) {
    return l == Language::de ? generator_de : generator_en;
  }

  // The spelling table counts every word indexed; take back the words of the version being
  // replaced so corrections only offer words that are still in some article.
  static void forget_spellings(Xapian::WritableDatabase& db, ArticleId id) {
    std::string id_t = id_term(id);
    auto posting = db.postlist_begin(id_t);
    if (posting == db.postlist_end(id_t)) return;
    auto fields = search::unpack(db.get_document(*posting).get_data());
    if (fields.size() < 5) return;
    std::map<std::string, Xapian::termcount> counts;
    bool title_indexed = !search::title_repeats_opening(fields[1], fields[2]);
    for (std::size_t f : {1, 2, 4})
      if (f != 1 || title_indexed)
        for (auto& word : search::split_words(fields[f])) ++counts[word];
    for (const auto& [word, n] : counts) db.remove_spelling(word, n);
  }

  std::shared_ptr<const search::TitleTable> current_titles() {
    std::lock_guard lock(titles_mutex);
    return titles;
  }
  // A new table from the committed entries (with the staged changes when `apply_staged`).
  void rebuild_titles(bool apply_staged) {
    if (apply_staged) {
      for (auto& [id, entry] : staged_titles) {
        if (entry)
          committed_titles.insert_or_assign(id, std::move(entry));
        else
          committed_titles.erase(id);
      }
    }
    staged_titles.clear();
    std::vector<std::shared_ptr<const search::TitleEntry>> entries;
    entries.reserve(committed_titles.size());
    for (const auto& [id, entry] : committed_titles) entries.push_back(entry);
    auto table = std::make_shared<const search::TitleTable>(std::move(entries));
    std::lock_guard lock(titles_mutex);
    titles = std::move(table);
  }
  // Reads the published titles of the committed index (on open).
  void load_titles() {
    Xapian::Database db(dir.string());
    for (auto v = db.valuestream_begin(kSlotSuggest); v != db.valuestream_end(kSlotSuggest); ++v)
      if (auto entry = title_entry(*v))
        committed_titles.insert_or_assign(
            entry->id, std::make_shared<const search::TitleEntry>(std::move(*entry)));
    rebuild_titles(false);
  }

  std::filesystem::path dir;
  search::IndexWriter writer;
  Xapian::TermGenerator generator_de;
  Xapian::TermGenerator generator_en;
  search::ReaderPool<ReaderState> pool;
  // Set by writes of articles or synonyms, cleared by commit(): only then are the title table
  // rebuilt and the cached results dropped (a commit of the event cursor alone keeps both).
  std::atomic<bool> content_changed{false};
  std::atomic<std::uint64_t> content_generation{1};
  mutable ResultCache<ArticleResults> results;
  // The entries of the last commit and the changes staged since (null: no longer
  // suggested), under `staging`, which upsert, remove and commit hold throughout: a change
  // staged while a commit runs belongs to the next batch.
  std::mutex staging;
  std::unordered_map<ArticleId, std::shared_ptr<const search::TitleEntry>> committed_titles;
  std::unordered_map<ArticleId, std::shared_ptr<const search::TitleEntry>> staged_titles;
  std::mutex titles_mutex;
  std::shared_ptr<const search::TitleTable> titles;
};

KnowledgeIndex::KnowledgeIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KnowledgeIndex::~KnowledgeIndex() = default;

Result<std::unique_ptr<KnowledgeIndex>> KnowledgeIndex::open(const std::filesystem::path& dir,
                                                             SearchIndexOptions options) {
  auto db = search::open_writable(dir, kFormat);
  if (!db) return std::unexpected(std::move(db.error()));
  auto impl = std::make_unique<Impl>(dir, std::move(*db), options);
  try {
    impl->load_titles();
  } catch (const Xapian::Error& e) {
    return std::unexpected(search::from_xapian(e, "loading the article titles"));
  }
  return std::unique_ptr<KnowledgeIndex>(new KnowledgeIndex(std::move(impl)));
}

Result<void> KnowledgeIndex::upsert(const ArticleDocument& article) {
  if (article.id <= 0) return invalid_field("id", "must be positive");
  auto language = search::parse_language(article.language);
  if (!language) return invalid_field("language", "must be de or en");
  std::lock_guard staging(impl_->staging);

  std::vector<CategoryId> categories = article.category_path;
  if (article.category && std::ranges::find(categories, *article.category) == categories.end())
    categories.push_back(*article.category);
  std::string category_value;
  for (CategoryId c : categories) {
    if (!category_value.empty()) category_value += ',';
    category_value += std::to_string(c);
  }
  std::string keywords;
  for (const auto& k : article.keywords) {
    if (!keywords.empty()) keywords += '\n';
    keywords += k;
  }
  std::string data;
  search::pack(data, std::to_string(article.id));
  search::pack(data, article.title);
  search::pack(data, article.text);
  search::pack(data, article.language);
  search::pack(data, keywords);

  return impl_->writer.change(
      "indexing article " + std::to_string(article.id), [&](Xapian::WritableDatabase& db) {
        Impl::forget_spellings(db, article.id);
        Xapian::Document doc;
        Xapian::TermGenerator& g = impl_->generator(*language);
        g.set_database(db);
        g.set_document(doc);
        bool title_indexed = !search::title_repeats_opening(article.title, article.text);
        if (title_indexed) g.index_text(article.title);
        g.increase_termpos(kFieldGap);
        for (const auto& k : article.keywords) {
          g.index_text(k, kKeywordWeight);
          g.increase_termpos(kFieldGap);
        }
        g.index_text(article.text);
        if (*language == Language::de) add_compound_parts(doc);
        if (title_indexed)
          g.index_text_without_positions(article.title, 1, std::string(kTitleField));

        doc.add_boolean_term(id_term(article.id));
        doc.add_boolean_term(visibility_term(article.language, article.audience, article.status));
        doc.add_boolean_term(term(kKindPrefix, name_of(article.kind)));
        for (CategoryId c : categories)
          doc.add_boolean_term(term(kCategoryPrefix, std::to_string(c)));
        doc.add_value(kSlotFacets, term(name_of(article.kind), "\t", category_value));
        std::shared_ptr<const search::TitleEntry> suggested;  // null: not suggested
        if (article.status == ArticleStatus::published) {
          doc.add_value(kSlotSuggest, suggest_value(article));
          suggested = std::make_shared<const search::TitleEntry>(search::TitleEntry::prepare(
              article.id, article.title, *language, article.audience == Audience::internal));
        }
        doc.set_data(data);
        db.replace_document(id_term(article.id), doc);
        impl_->staged_titles.insert_or_assign(article.id, std::move(suggested));
        impl_->content_changed = true;
      });
}

Result<void> KnowledgeIndex::remove(ArticleId id) {
  std::lock_guard staging(impl_->staging);
  return impl_->writer.change("removing article " + std::to_string(id),
                              [&](Xapian::WritableDatabase& db) {
                                Impl::forget_spellings(db, id);
                                db.delete_document(id_term(id));
                                impl_->staged_titles.insert_or_assign(id, nullptr);
                                impl_->content_changed = true;
                              });
}

Result<void> KnowledgeIndex::set_synonyms(const std::vector<std::vector<std::string>>& groups) {
  std::string stored = serialise_synonyms(groups);
  return impl_->writer.change("storing synonyms", [&](Xapian::WritableDatabase& db) {
    db.set_metadata(std::string(kSynonymsKey), stored);
    impl_->content_changed = true;
  });
}

Result<void> KnowledgeIndex::set_last_applied_event(EventId id) {
  if (id < 0) return invalid_field("event", "must not be negative");
  return impl_->writer.change("storing the event cursor", [&](Xapian::WritableDatabase& db) {
    db.set_metadata(std::string(search::kLastEventKey), std::to_string(id));
  });
}

Result<void> KnowledgeIndex::commit() {
  std::lock_guard staging(impl_->staging);
  auto committed = impl_->writer.commit();
  if (!committed) {
    impl_->content_changed = false;  // the batch is gone; nothing visible changed
    impl_->staged_titles.clear();
    return committed;
  }
  if (impl_->content_changed.exchange(false)) {
    ++impl_->content_generation;  // cached results are of the content before
    if (!impl_->staged_titles.empty()) impl_->rebuild_titles(true);
  }
  return {};
}

Result<std::int64_t> KnowledgeIndex::last_applied_event() const {
  try {
    return impl_->pool.with_reader([](auto& reader) {
      return search::parse_event(reader.db.get_metadata(std::string(search::kLastEventKey)));
    });
  } catch (const Xapian::Error& e) {
    return std::unexpected(search::from_xapian(e, "reading the event cursor"));
  }
}

SearchCacheStats KnowledgeIndex::cache_stats() const {
  auto s = impl_->results.stats();
  return {s.hits, s.misses};
}

Result<ArticleResults> KnowledgeIndex::search(const ArticleQuery& query) const {
  if (query.limit < 1 || query.limit > 100) return invalid_field("limit", "must be 1..100");
  if (query.offset < 0 || query.offset > 10000) return invalid_field("offset", "must be 0..10000");
  std::optional<Language> language;
  if (query.language) {
    language = search::parse_language(*query.language);
    if (!language) return invalid_field("language", "must be de or en");
  }
  std::vector<Language> languages = languages_of(language);
  std::vector<std::string> words = search::split_words(query.text);

  std::vector<Xapian::Query> filters;
  if (query.category) filters.emplace_back(term(kCategoryPrefix, std::to_string(*query.category)));
  if (query.kind) filters.emplace_back(term(kKindPrefix, name_of(*query.kind)));

  // The words as analysed, not the raw text: "VPN  einrichten" and "VPN einrichten" are one
  // entry. Everything else that changes the answer is in the key too.
  std::string key;
  for (const auto& w : words) key += term(w, " ");
  key += term("\x1f", query.language.value_or("*"), "\x1f",
              query.category ? std::to_string(*query.category) : "*", "\x1f",
              query.kind ? name_of(*query.kind) : "*", "\x1f", query.include_internal ? "i" : "p",
              query.include_unpublished ? "u" : "-", "\x1f", std::to_string(query.limit), "\x1f",
              std::to_string(query.offset));
  const std::uint64_t generation = impl_->content_generation.load();
  if (auto cached = impl_->results.find(key, generation)) return *cached;

  try {
    ArticleResults found = impl_->pool.with_reader([&](auto& reader) {
      ReaderState& state = reader.state;
      Xapian::Enquire enquire(reader.db);
      enquire.set_query(full_query(reader.db, words, languages, query, filters, state));
      enquire.set_weighting_scheme(Xapian::BM25Weight(kBm25K1, 0, 1, kBm25B, 0.5));
      FacetCounter facets;
      enquire.add_matchspy(&facets);
      Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(query.offset),
                                           static_cast<Xapian::doccount>(query.limit), kFacetDepth);
      ArticleResults results;
      results.estimated_total = mset.get_matches_estimated();
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        auto fields = search::unpack(it.get_document().get_data());
        if (fields.size() < 4) continue;
        ArticleHit hit;
        std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(), hit.id);
        hit.score = it.get_weight();
        hit.title = std::move(fields[1]);
        Language l = search::parse_language(fields[3]).value_or(Language::en);
        hit.snippet = search::html_snippet(mset, fields[2], state.stemmer(l), kSnippetBytes);
        results.hits.push_back(std::move(hit));
      }
      for (const auto& [id, n] : facets.categories())
        results.category_facets.emplace_back(id, scaled(n, facets.seen(), results.estimated_total));
      std::ranges::sort(results.category_facets);  // equal counts by id
      sort_facets(results.category_facets);
      for (const auto& [kind, name] : EnumNames<ArticleKind>::table)
        if (auto n = facets.kind_count(kind); n > 0)
          results.kind_facets.emplace_back(kind, scaled(n, facets.seen(), results.estimated_total));
      sort_facets(results.kind_facets);
      if (!words.empty() && results.estimated_total < query.limit)
        results.did_you_mean = corrected_query(reader.db, words, languages, state);
      return results;
    });
    impl_->results.put(std::move(key), generation, std::make_shared<const ArticleResults>(found));
    return found;
  } catch (const Xapian::Error& e) {
    return std::unexpected(search::from_xapian(e, "searching articles"));
  }
}

Result<std::vector<Suggestion>> KnowledgeIndex::suggest(std::string_view prefix,
                                                        std::optional<std::string> language,
                                                        bool include_internal, int limit) const {
  if (limit < 1 || limit > 50) return invalid_field("limit", "must be 1..50");
  std::optional<Language> lang;
  if (language) {
    lang = search::parse_language(*language);
    if (!lang) return invalid_field("language", "must be de or en");
  }
  std::vector<std::string> words = search::split_words(prefix);
  if (words.empty()) return std::vector<Suggestion>{};
  // Every typed word, complete or not, is matched as a prefix of a title word: a complete
  // word is a prefix of itself, and "drucker" may still become "druckerwarteschlange".
  auto stop = [&](const std::string& folded) {
    return std::ranges::any_of(languages_of(lang),
                               [&](Language l) { return search::is_stopword(l, folded); });
  };
  std::vector<std::string> folded;
  for (const auto& w : words) folded.push_back(search::fold(w));
  bool all_stop = std::ranges::all_of(folded, stop);
  std::vector<std::string> prefixes;
  for (auto& f : folded) {
    // A stop word, even one still being typed, would only narrow the titles to those with
    // that filler word; a single letter narrows too little to be worth a lookup.
    if (stop(f) && !all_stop) continue;
    if (code_points(f) < 2) continue;
    prefixes.push_back(std::move(f));
  }
  if (prefixes.empty()) return std::vector<Suggestion>{};
  return impl_->current_titles()->suggest(prefixes, languages_of(lang), include_internal,
                                          static_cast<std::size_t>(limit));
}

}  // namespace fl
