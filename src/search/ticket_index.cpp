// TicketIndex over Xapian: tickets as terms, TicketScope as a boolean filter.
//
// Public words (subject twice, replies once) are "Z" + folded stem; internal words (notes,
// calls) are "ZI" + stem, a term space a customer's query never names. Words are indexed
// without positions: ticket queries use neither phrases nor proximity, and a million tickets
// index faster and smaller without them. The scope's fields are boolean terms, so the filter
// runs inside the match and the counts and ranking only ever see visible tickets.
#include "search/ticket_index.hpp"

#include <algorithm>
#include <charconv>

#include "core/directory.hpp"
#include "search/analysis.hpp"
#include "search/xapian_support.hpp"

namespace fl {

namespace {

using search::Language;
using search::term;

// The analysis and term layout; an index of another format is emptied on open and rebuilt.
constexpr std::string_view kFormat = "fl-tickets-1";

constexpr std::string_view kInternalPrefix = "I";
constexpr std::string_view kNumberPrefix = "N";
constexpr std::string_view kLinePrefix = "XL";
constexpr std::string_view kTeamPrefix = "XT";
constexpr std::string_view kOriginTeamPrefix = "XO";
constexpr std::string_view kOrganizationPrefix = "XG";
constexpr std::string_view kRequesterPrefix = "XR";
constexpr std::string_view kStatusPrefix = "XS";

constexpr Xapian::valueno kSlotUpdatedAt = 0;
constexpr Xapian::termcount kSubjectWeight = 2;
constexpr std::size_t kSnippetBytes = 200;

std::string id_term(TicketId id) {
  return term(search::kIdPrefix, std::to_string(id));
}

template <class Id>
Xapian::Query any_term(std::string_view prefix, const std::vector<Id>& ids) {
  std::vector<Xapian::Query> terms;
  terms.reserve(ids.size());
  for (Id id : ids) terms.emplace_back(term(prefix, std::to_string(id)));
  if (terms.empty()) return Xapian::Query::MatchNothing;
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// One clause: every present condition, ANDed, as ScopeClause::matches() reads it.
Xapian::Query clause_filter(const ScopeClause& c) {
  std::vector<Xapian::Query> conditions;
  if (c.max_line) {
    // Indexed lines are 1..4 (upsert checks), so "line <= n" is the OR of lines 1..n.
    if (*c.max_line < kLowestTicketLine) return Xapian::Query::MatchNothing;
    if (*c.max_line < kHighestLine) {
      std::vector<int> lines;
      for (int l = kLowestTicketLine; l <= *c.max_line; ++l) lines.push_back(l);
      conditions.push_back(any_term(kLinePrefix, lines));
    }
  }
  if (c.team_in) conditions.push_back(any_term(kTeamPrefix, *c.team_in));
  if (c.origin_team_in) conditions.push_back(any_term(kOriginTeamPrefix, *c.origin_team_in));
  if (c.organization_in) conditions.push_back(any_term(kOrganizationPrefix, *c.organization_in));
  if (c.requester) conditions.emplace_back(term(kRequesterPrefix, std::to_string(*c.requester)));
  if (conditions.empty()) return search::match_all();
  return Xapian::Query(Xapian::Query::OP_AND, conditions.begin(), conditions.end());
}

// nullopt: the scope sees nothing.
std::optional<Xapian::Query> scope_filter(const TicketScope& scope) {
  if (scope.everything) return search::match_all();
  if (scope.any_of.empty()) return std::nullopt;
  std::vector<Xapian::Query> clauses;
  for (const auto& c : scope.any_of) clauses.push_back(clause_filter(c));
  return Xapian::Query(Xapian::Query::OP_OR, clauses.begin(), clauses.end());
}

struct ReaderState {
  Xapian::Stem de = search::make_stemmer(Language::de);
  Xapian::Stem en = search::make_stemmer(Language::en);
  void rebuild(Xapian::Database&) {}
  Xapian::Stem& stemmer(Language l) { return l == Language::de ? de : en; }
};

// Each word matches its German or its English stem (the ticket's language is a guess), in
// the public text and, for agents, the internal text: one OP_SYNONYM, so a word counts once
// however it was found. A ticket number finds its ticket.
Xapian::Query text_query(const std::vector<std::string>& words, bool include_internal,
                         ReaderState& state) {
  auto stop = [](const std::string& w) {
    std::string f = search::fold(w);
    return search::is_stopword(Language::de, f) || search::is_stopword(Language::en, f);
  };
  bool all_stop = std::ranges::all_of(words, stop);
  std::vector<Xapian::Query> parts;
  for (const auto& word : words) {
    bool numeric =
        !word.empty() && std::ranges::all_of(word, [](char c) { return c >= '0' && c <= '9'; });
    if (numeric && word.size() <= 18) parts.emplace_back(term(kNumberPrefix, word));
    if (stop(word) && !all_stop) continue;
    std::vector<std::string> terms;
    for (Language l : {Language::de, Language::en}) {
      std::string stem = state.stemmer(l)(word);
      terms.push_back(term("Z", stem));
      if (include_internal) terms.push_back(term("Z", kInternalPrefix, stem));
    }
    std::ranges::sort(terms);
    auto [first, last] = std::ranges::unique(terms);
    terms.erase(first, last);
    std::vector<Xapian::Query> alternatives(terms.begin(), terms.end());
    parts.emplace_back(Xapian::Query::OP_SYNONYM, alternatives.begin(), alternatives.end());
  }
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

}  // namespace

struct TicketIndex::Impl {
  Impl(const std::filesystem::path& dir, Xapian::WritableDatabase db, std::size_t readers)
      : writer(std::move(db)), pool(dir, writer, std::max<std::size_t>(readers, 1)) {
    for (Language l : {Language::de, Language::en}) {
      auto& g = l == Language::de ? generator_de : generator_en;
      g.set_stemmer(search::make_stemmer(l));
      g.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
    }
  }

  search::IndexWriter writer;
  Xapian::TermGenerator generator_de;
  Xapian::TermGenerator generator_en;
  search::ReaderPool<ReaderState> pool;
};

TicketIndex::TicketIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TicketIndex::~TicketIndex() = default;

Result<std::unique_ptr<TicketIndex>> TicketIndex::open(const std::filesystem::path& dir,
                                                       SearchIndexOptions options) {
  auto db = search::open_writable(dir, kFormat);
  if (!db) return std::unexpected(std::move(db.error()));
  auto impl = std::make_unique<Impl>(dir, std::move(*db), options.readers);
  return std::unique_ptr<TicketIndex>(new TicketIndex(std::move(impl)));
}

Result<void> TicketIndex::upsert(const TicketDocument& ticket) {
  if (ticket.id <= 0) return invalid_field("id", "must be positive");
  if (!is_ticket_line(ticket.line)) return invalid_field("line", "must be 1..4");

  std::string all_text = ticket.subject;
  all_text += '\n';
  all_text += ticket.text;
  all_text += '\n';
  all_text += ticket.internal_text;
  Language language = search::guess_language(all_text);

  std::string data;
  search::pack(data, std::to_string(ticket.id));
  search::pack(data, std::to_string(ticket.number));
  search::pack(data, ticket.subject);
  search::pack(data, ticket.text);
  search::pack(data, ticket.internal_text);
  search::pack(data, search::code_of(language));

  Xapian::Document doc;
  Xapian::TermGenerator& g = language == Language::de ? impl_->generator_de : impl_->generator_en;
  return impl_->writer.change(
      "indexing ticket " + std::to_string(ticket.id), [&](Xapian::WritableDatabase& db) {
        g.set_document(doc);
        g.index_text_without_positions(ticket.subject, kSubjectWeight);
        g.index_text_without_positions(ticket.text);
        g.index_text_without_positions(ticket.internal_text, 1, std::string(kInternalPrefix));
        doc.add_boolean_term(id_term(ticket.id));
        // Weighted, unlike the filter terms, so a number query ranks its ticket first.
        doc.add_term(term(kNumberPrefix, std::to_string(ticket.number)));
        doc.add_boolean_term(term(kLinePrefix, std::to_string(ticket.line)));
        doc.add_boolean_term(term(kTeamPrefix, std::to_string(ticket.team)));
        doc.add_boolean_term(term(kOriginTeamPrefix, std::to_string(ticket.origin_team)));
        if (ticket.organization)
          doc.add_boolean_term(term(kOrganizationPrefix, std::to_string(*ticket.organization)));
        doc.add_boolean_term(term(kRequesterPrefix, std::to_string(ticket.requester)));
        doc.add_boolean_term(term(kStatusPrefix, name_of(ticket.status)));
        doc.add_value(kSlotUpdatedAt, Xapian::sortable_serialise(
                                          static_cast<double>(to_millis(ticket.updated_at))));
        doc.set_data(data);
        db.replace_document(id_term(ticket.id), doc);
      });
}

Result<void> TicketIndex::remove(TicketId id) {
  return impl_->writer.change(
      "removing ticket " + std::to_string(id),
      [&](Xapian::WritableDatabase& db) { db.delete_document(id_term(id)); });
}

Result<void> TicketIndex::set_last_applied_event(EventId id) {
  if (id < 0) return invalid_field("event", "must not be negative");
  return impl_->writer.change("storing the event cursor", [&](Xapian::WritableDatabase& db) {
    db.set_metadata(std::string(search::kLastEventKey), std::to_string(id));
  });
}

Result<void> TicketIndex::commit() {
  return impl_->writer.commit();
}

Result<std::int64_t> TicketIndex::last_applied_event() const {
  try {
    return impl_->pool.with_reader([](auto& reader) {
      return search::parse_event(reader.db.get_metadata(std::string(search::kLastEventKey)));
    });
  } catch (const Xapian::Error& e) {
    return std::unexpected(search::from_xapian(e, "reading the event cursor"));
  }
}

Result<TicketSearchResults> TicketIndex::search(std::string_view text, const TicketScope& scope,
                                                bool include_internal_text, int limit) const {
  if (limit < 1 || limit > 100) return invalid_field("limit", "must be 1..100");
  std::optional<Xapian::Query> filter = scope_filter(scope);
  if (!filter) return TicketSearchResults{};
  std::vector<std::string> words = search::split_words(text);

  try {
    return impl_->pool.with_reader([&](auto& reader) {
      Xapian::Enquire enquire(reader.db);
      if (words.empty()) {
        enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, search::match_all(), *filter));
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        enquire.set_sort_by_value(kSlotUpdatedAt, true);
      } else {
        enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER,
                                        text_query(words, include_internal_text, reader.state),
                                        *filter));
        // A document's length counts its internal text too: those who may not read it rank
        // without length normalisation (b = 0), so their scores reveal nothing of it.
        if (!include_internal_text)
          enquire.set_weighting_scheme(Xapian::BM25Weight(1, 0, 1, 0, 0.5));
      }
      Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
      TicketSearchResults results;
      results.estimated_total = mset.get_matches_estimated();
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        auto fields = search::unpack(it.get_document().get_data());
        if (fields.size() < 6) continue;
        TicketHit hit;
        std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(), hit.id);
        std::from_chars(fields[1].data(), fields[1].data() + fields[1].size(), hit.number);
        hit.score = it.get_weight();
        hit.subject = fields[2];
        std::string source = fields[3];
        if (include_internal_text && !fields[4].empty()) {
          if (!source.empty()) source += "\n\n";
          source += fields[4];
        }
        if (source.empty()) source = fields[2];
        Language l = search::parse_language(fields[5]).value_or(Language::en);
        hit.snippet = search::html_snippet(mset, source, reader.state.stemmer(l), kSnippetBytes);
        results.hits.push_back(std::move(hit));
      }
      return results;
    });
  } catch (const Xapian::Error& e) {
    return std::unexpected(search::from_xapian(e, "searching tickets"));
  }
}

}  // namespace fl
