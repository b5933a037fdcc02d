// The ticket search index: subject and entries of every ticket, searched within the same
// TicketScope the API applies, so search never shows a ticket the actor could not open.
// Derived from the store like the KnowledgeIndex (see knowledge_index.hpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/ticket.hpp"
#include "core/ticket_scope.hpp"
#include "core/time.hpp"
#include "search/index_options.hpp"

namespace fl {

struct TicketDocument {
  TicketId id = 0;
  TicketNumber number = 0;
  std::string subject;
  std::string text;           // the public entries (replies), concatenated
  std::string internal_text;  // notes and calls: agents only
  int line = 1;               // 1..4
  TeamId team = 0;
  TeamId origin_team = 0;
  std::optional<OrganizationId> organization;
  UserId requester = 0;
  TicketStatus status = TicketStatus::new_;
  Timestamp updated_at{};
};

struct TicketHit {
  TicketId id = 0;
  TicketNumber number = 0;
  double score = 0;
  std::string subject;  // plain text: escape it when rendering
  std::string snippet;  // HTML: escaped text with <mark>…</mark> around the matches
};

struct TicketSearchResults {
  std::vector<TicketHit> hits;
  std::int64_t estimated_total = 0;
};

// Thread-safe; writes are staged until commit(), all or nothing, with the same errors as
// KnowledgeIndex. For a full reindex, commit every few thousand tickets: staged changes are
// held in memory (10,000 per commit indexes a million tickets in about three minutes here).
//
// Tickets do not say their language: each is stemmed as German or English by a count of
// stop words, and a query word matches either stem. Ranking is BM25 with the subject counted
// twice. A query word that is a ticket number ("100234", "#100234") finds that ticket.
// Internal text is indexed apart and matched only when asked for; without it, ranking ignores
// document length (which counts the internal text), so scores reveal nothing of it.
class TicketIndex {
 public:
  [[nodiscard]] static Result<std::unique_ptr<TicketIndex>> open(const std::filesystem::path& dir,
                                                                 SearchIndexOptions options = {});
  ~TicketIndex();
  TicketIndex(const TicketIndex&) = delete;
  TicketIndex& operator=(const TicketIndex&) = delete;

  [[nodiscard]] Result<void> upsert(const TicketDocument& ticket);
  [[nodiscard]] Result<void> remove(TicketId id);
  [[nodiscard]] Result<void> set_last_applied_event(EventId id);
  [[nodiscard]] Result<void> commit();
  [[nodiscard]] Result<std::int64_t> last_applied_event() const;

  // The best `limit` (1..100) tickets inside `scope` for `text`; an empty text lists the
  // scope's most recently updated tickets. The scope is applied by the index itself, as a
  // filter built from the same clauses TicketScope::matches() checks: an empty scope finds
  // nothing. With include_internal_text false (customers), notes and calls are neither
  // matched nor shown in snippets.
  [[nodiscard]] Result<TicketSearchResults> search(std::string_view text, const TicketScope& scope,
                                                   bool include_internal_text, int limit) const;

 private:
  struct Impl;
  explicit TicketIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fl
