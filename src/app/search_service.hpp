// Search over the knowledge base and the tickets, with the access rules applied, and the
// follower that keeps both indexes in step with the store: it applies the store's event
// feed after each index's cursor, so an index that missed changes (a crash between the
// store's commit and the index's) catches up at the next run.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "app/actor.hpp"
#include "search/knowledge_index.hpp"
#include "search/ticket_index.hpp"
#include "store/store.hpp"

namespace fl {

// Which indexes a reindex rebuilds.
enum class ReindexScope { both, articles, tickets };

struct ReindexReport {
  std::int64_t articles = 0;
  std::int64_t tickets = 0;
};

class SearchService {
 public:
  SearchService(Store& store, KnowledgeIndex& articles, TicketIndex& tickets)
      : store_(store), articles_(articles), tickets_(tickets) {}

  // Applies the events after the indexes' cursors, at most `max_events`; returns how many
  // were applied. One run at a time (callers wait).
  Result<int> catch_up(int max_events = 10'000);
  // Rebuilds the indexes of `scope` from the store's records and sets their cursors to the
  // newest event, so catch_up() continues from there (an index left out keeps its cursor).
  Result<ReindexReport> reindex(ReindexScope scope = ReindexScope::both);

  // Audience and status are decided here: customers and guests search published public
  // articles; staff who write articles search internal ones too.
  Result<ArticleResults> search_articles(const Actor& actor, ArticleQuery query);
  Result<std::vector<Suggestion>> suggest(const Actor& actor, std::string_view prefix,
                                          std::optional<std::string> language, int limit);
  // "These articles may help": published public articles matching a ticket (its subject
  // and opening description), for agent replies and automatic replies to the requester.
  Result<std::vector<ArticleHit>> articles_for_ticket(const Actor& actor, TicketId ticket, int limit);
  // The actor's ticket scope (app/access.cpp) is the index's filter; notes and calls are
  // searched only for those who may read them.
  Result<TicketSearchResults> search_tickets(const Actor& actor, std::string_view text, int limit);

 private:
  Result<void> index_article(ArticleId id, const std::vector<Category>& categories);
  Result<void> index_ticket(TicketId id);
  Result<void> apply_synonyms();
  // Every article, with the category paths as they are now; returns how many.
  Result<std::int64_t> upsert_every_article();
  Result<void> reindex_articles(EventId newest, ReindexReport& report);
  Result<void> reindex_tickets(EventId newest, ReindexReport& report);

  Store& store_;
  KnowledgeIndex& articles_;
  TicketIndex& tickets_;
  std::mutex run_;
};

}  // namespace fl
