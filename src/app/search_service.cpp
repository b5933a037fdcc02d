#include "app/search_service.hpp"

#include <algorithm>
#include <set>

#include "app/access.hpp"
#include "markdown/markdown.hpp"

namespace fl {

namespace {

std::vector<CategoryId> path_of(const std::vector<Category>& all, std::optional<CategoryId> id) {
  std::vector<CategoryId> path;
  for (const Category* c : category_ancestry(all, id)) path.push_back(c->id);
  return path;
}

ArticleDocument document_of(const Article& a, const std::vector<Category>& categories) {
  ArticleDocument d;
  d.id = a.id;
  d.title = a.title;
  d.text = markdown_to_text(a.body);
  d.keywords = a.keywords;
  d.language = a.language;
  d.category = a.category;
  d.category_path = path_of(categories, a.category);
  d.kind = a.kind;
  d.audience = a.audience;
  d.status = a.status;
  return d;
}

TicketDocument document_of(const Ticket& t, const std::vector<Entry>& entries) {
  TicketDocument d;
  d.id = t.id;
  d.number = t.number;
  d.subject = t.subject;
  for (const auto& e : entries) {
    std::string& into = is_public(e.kind) ? d.text : d.internal_text;
    if (!into.empty()) into += "\n\n";
    into += e.body;
    if (e.call && !e.call->caller.empty()) into += " " + e.call->caller;
  }
  d.line = t.line;
  d.team = t.team;
  d.origin_team = t.origin_team;
  d.organization = t.organization;
  d.requester = t.requester;
  d.status = t.status;
  d.updated_at = t.updated_at;
  return d;
}

bool reads_internal_text(const Actor& a) {
  return a.user.role != Role::customer && may_create_for_others(a);  // staff, not vendors
}

}  // namespace

Result<void> SearchService::index_article(ArticleId id, const std::vector<Category>& categories) {
  auto a = store_.article(id);
  if (!a) {
    if (a.error().code == ErrorCode::not_found) return articles_.remove(id);
    return std::unexpected(a.error());
  }
  return articles_.upsert(document_of(*a, categories));
}

Result<void> SearchService::index_ticket(TicketId id) {
  auto t = store_.ticket(id);
  if (!t) {
    if (t.error().code == ErrorCode::not_found) return tickets_.remove(id);
    return std::unexpected(t.error());
  }
  auto entries = store_.entries(id);
  if (!entries) return std::unexpected(entries.error());
  return tickets_.upsert(document_of(*t, *entries));
}

Result<void> SearchService::apply_synonyms() {
  auto groups = store_.synonym_groups();
  if (!groups) return std::unexpected(groups.error());
  return articles_.set_synonyms(*groups);
}

Result<int> SearchService::catch_up(int max_events) {
  std::lock_guard lock(run_);
  auto article_cursor = articles_.last_applied_event();
  if (!article_cursor) return std::unexpected(article_cursor.error());
  auto ticket_cursor = tickets_.last_applied_event();
  if (!ticket_cursor) return std::unexpected(ticket_cursor.error());
  EventId from = std::min(*article_cursor, *ticket_cursor);
  int applied = 0;
  while (applied < max_events) {
    auto events = store_.events_after(from, std::min(1000, max_events - applied));
    if (!events) return std::unexpected(events.error());
    if (events->empty()) break;
    // Each record is indexed once per batch, as it is now: older events need no replay.
    std::set<ArticleId> articles;
    std::set<TicketId> tickets;
    bool synonyms = false;
    bool every_article = false;
    for (const auto& e : *events) {
      // Only a save changes what the index holds of an article (links and revisions don't).
      if (e.article && e.type == event_type::article_saved && e.id > *article_cursor)
        articles.insert(*e.article);
      if (e.ticket && e.id > *ticket_cursor) tickets.insert(*e.ticket);
      if (e.type == event_type::synonyms_changed && e.id > *article_cursor) synonyms = true;
      // A moved category changes the category path of every article below it.
      if (e.type == event_type::category_changed && e.id > *article_cursor) every_article = true;
    }
    if (synonyms)
      if (auto ok = apply_synonyms(); !ok) return std::unexpected(ok.error());
    if (every_article) {
      if (auto ok = upsert_every_article(); !ok) return std::unexpected(ok.error());
    } else if (!articles.empty()) {
      auto categories = store_.categories();
      if (!categories) return std::unexpected(categories.error());
      for (ArticleId id : articles)
        if (auto ok = index_article(id, *categories); !ok) return std::unexpected(ok.error());
    }
    for (TicketId id : tickets)
      if (auto ok = index_ticket(id); !ok) return std::unexpected(ok.error());
    from = events->back().id;
    // The cursor is stored in the same commit as the changes it covers.
    if (auto ok = articles_.set_last_applied_event(from); !ok) return std::unexpected(ok.error());
    if (auto ok = articles_.commit(); !ok) return std::unexpected(ok.error());
    if (auto ok = tickets_.set_last_applied_event(from); !ok) return std::unexpected(ok.error());
    if (auto ok = tickets_.commit(); !ok) return std::unexpected(ok.error());
    *article_cursor = *ticket_cursor = from;
    applied += static_cast<int>(events->size());
  }
  return applied;
}

Result<ReindexReport> SearchService::reindex(ReindexScope scope) {
  std::lock_guard lock(run_);
  ReindexReport report;
  // The newest event before reading: changes after it are applied by the next catch_up().
  auto latest = store_.latest_event_id();
  if (!latest) return std::unexpected(latest.error());
  const EventId newest = *latest;
  if (scope != ReindexScope::tickets)
    if (auto ok = reindex_articles(newest, report); !ok) return std::unexpected(ok.error());
  if (scope != ReindexScope::articles)
    if (auto ok = reindex_tickets(newest, report); !ok) return std::unexpected(ok.error());
  return report;
}

Result<std::int64_t> SearchService::upsert_every_article() {
  auto categories = store_.categories();
  if (!categories) return std::unexpected(categories.error());
  ArticleFilter af;
  af.limit = 1000;
  std::int64_t count = 0;
  for (;;) {
    auto page = store_.articles(af);
    if (!page) return std::unexpected(page.error());
    for (const auto& a : *page)
      if (auto ok = articles_.upsert(document_of(a, *categories)); !ok)
        return std::unexpected(ok.error());
    count += static_cast<std::int64_t>(page->size());
    if (page->size() < 1000) break;
    af.after = page->back().id;
  }
  return count;
}

Result<void> SearchService::reindex_articles(EventId newest, ReindexReport& report) {
  auto count = upsert_every_article();
  if (!count) return std::unexpected(count.error());
  report.articles += *count;
  if (auto ok = apply_synonyms(); !ok) return std::unexpected(ok.error());
  if (auto ok = articles_.set_last_applied_event(newest); !ok) return std::unexpected(ok.error());
  return articles_.commit();
}

Result<void> SearchService::reindex_tickets(EventId newest, ReindexReport& report) {
  TicketQuery tq;
  tq.scope = TicketScope::all();
  tq.order = TicketOrder::oldest_first;
  tq.limit = 200;
  for (;;) {
    auto page = store_.tickets(tq);
    if (!page) return std::unexpected(page.error());
    for (const auto& t : page->tickets) {
      auto entries = store_.entries(t.id);
      if (!entries) return std::unexpected(entries.error());
      if (auto ok = tickets_.upsert(document_of(t, *entries)); !ok)
        return std::unexpected(ok.error());
    }
    report.tickets += static_cast<std::int64_t>(page->tickets.size());
    if (report.tickets % 10'000 < 200)
      if (auto ok = tickets_.commit(); !ok) return std::unexpected(ok.error());
    if (!page->next) break;
    tq.after = page->next;
  }
  if (auto ok = tickets_.set_last_applied_event(newest); !ok) return std::unexpected(ok.error());
  return tickets_.commit();
}

Result<ArticleResults> SearchService::search_articles(const Actor& actor, ArticleQuery query) {
  query.include_internal = may_write_articles(actor);
  query.include_unpublished = false;
  query.limit = std::clamp(query.limit, 1, 100);
  return articles_.search(query);
}

Result<std::vector<Suggestion>> SearchService::suggest(const Actor& actor, std::string_view prefix,
                                                       std::optional<std::string> language,
                                                       int limit) {
  return articles_.suggest(prefix, std::move(language), may_write_articles(actor),
                           std::clamp(limit, 1, 20));
}

Result<std::vector<ArticleHit>> SearchService::articles_for_ticket(const Actor& actor, TicketId id,
                                                                   int limit) {
  auto t = store_.ticket(id);
  if (!t) return std::unexpected(t.error());
  if (!may(actor, TicketAction::view, *t))
    return fail(ErrorCode::not_found, "no ticket " + std::to_string(id));
  auto entries = store_.entries(id);
  if (!entries) return std::unexpected(entries.error());
  std::string text = t->subject;
  for (const auto& e : *entries)
    if (e.kind == EntryKind::reply) {
      text += " " + e.body.substr(0, 300);
      break;
    }
  // The requester reads these links: only what a customer may read.
  ArticleQuery q{.text = text, .limit = std::clamp(limit, 1, 10)};
  auto found = articles_.search(q);
  if (!found) return std::unexpected(found.error());
  return std::move(found->hits);
}

Result<TicketSearchResults> SearchService::search_tickets(const Actor& actor, std::string_view text,
                                                          int limit) {
  return tickets_.search(text, scope_for(actor), reads_internal_text(actor),
                         std::clamp(limit, 1, 100));
}

}  // namespace fl
