// Knowledge-base use cases: write, publish, version and restore articles; read them as the
// audience allows; count views and votes; link articles to tickets and turn a resolved
// ticket into a draft article. Who may do what is decided in app/access.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "core/article.hpp"
#include "store/store.hpp"

namespace fl {

struct NewArticle {
  std::string title;
  std::string body;
  std::string language = "en";
  std::optional<ArticleId> translation_of;
  std::optional<CategoryId> category;
  ArticleKind kind = ArticleKind::faq;
  Audience audience = Audience::public_;
  ArticleStatus status = ArticleStatus::draft;
  std::vector<std::string> keywords;
};

// Absent fields stay. `version` is the version the editor saw (optimistic concurrency).
struct ArticlePatch {
  int version = 0;
  std::optional<std::string> title;
  std::optional<std::string> body;
  std::optional<std::string> language;
  std::optional<std::optional<ArticleId>> translation_of;
  std::optional<std::optional<CategoryId>> category;
  std::optional<ArticleKind> kind;
  std::optional<Audience> audience;
  std::optional<ArticleStatus> status;
  std::optional<std::vector<std::string>> keywords;
};

// A category's new name and/or parent (an engaged `parent` holding nullopt: move to the top).
struct CategoryChange {
  CategoryId id = 0;
  std::optional<std::string> name;
  std::optional<std::optional<CategoryId>> parent;
};

class KnowledgeBase {
 public:
  KnowledgeBase(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  Result<Article> create(const Actor& actor, const NewArticle& request);
  // Writers edit drafts and archived articles; what readers see (a published article's content
  // or status) changes only through those who publish (permission_denied otherwise).
  Result<Article> update(const Actor& actor, ArticleId id, const ArticlePatch& patch);
  // A writer's change of a published article waits as a revision (one per article; a new one
  // replaces it) until someone who publishes applies it; `patch.version` is the version it
  // edits and `patch.status` must be absent. Readers keep seeing the published version.
  Result<Article> propose_revision(const Actor& actor, ArticleId id, const ArticlePatch& patch);
  // The pending revision: `version` is the version it edits, `author` who proposed it.
  Result<Article> revision(const Actor& actor, ArticleId id);
  // Applies the revision as a new version (conflict when the article moved on since it was
  // proposed, or `version` is not the article's current one); those who publish only.
  Result<Article> publish_revision(const Actor& actor, ArticleId id, int version);
  // Those who publish, or the revision's author.
  Result<void> discard_revision(const Actor& actor, ArticleId id);
  // A new version with the content of `version` (the status stays as it is); for a published
  // article, only by those who publish.
  Result<Article> restore(const Actor& actor, ArticleId id, int version);

  // not_found when the actor may not read it (drafts and internal articles stay hidden).
  Result<Article> get(const Actor& actor, ArticleId id);
  // Reading it in the portal: like get(), and the view is counted — for readers, not for
  // staff who write articles (opening one to edit it is not a view).
  Result<Article> view(const Actor& actor, ArticleId id);
  // Narrowed to what the actor may read.
  Result<std::vector<Article>> list(const Actor& actor, ArticleFilter filter);
  Result<std::vector<Article>> history(const Actor& actor, ArticleId id);
  // The other-language versions of the article's translation group.
  Result<std::vector<Article>> translations(const Actor& actor, ArticleId id);
  // One vote per person and article; voting again replaces the earlier vote. A signed-in
  // user votes as themselves; a guest needs `guest_voter`, an id the portal makes once per
  // browser (8 to 64 letters, digits, '-' or '_').
  Result<void> vote(const Actor& actor, ArticleId id, bool helpful,
                    std::optional<std::string_view> guest_voter = std::nullopt);

  // "Solved with": the actor must be allowed to write notes on the ticket.
  Result<void> link_to_ticket(const Actor& actor, TicketId ticket, ArticleId article);
  Result<std::vector<Article>> linked_articles(const Actor& actor, TicketId ticket);
  // One step from a solved ticket to an internal draft: the subject as title, the symptom
  // (the opening description), what was tried (hand-off notes), the solution (the desk's
  // last reply); the ticket is linked to the draft.
  Result<Article> draft_from_ticket(const Actor& actor, TicketId ticket);

  // The admins' synonym list for search (e.g. {"VPN", "Fernzugriff", "remote access"}).
  // Staff read it; supervisors and admins replace it as a whole.
  Result<std::vector<std::vector<std::string>>> synonyms(const Actor& actor);
  Result<void> set_synonyms(const Actor& actor,
                            const std::vector<std::vector<std::string>>& groups);

  Result<Category> create_category(const Actor& actor, const Category& category);
  // Renames and/or moves a category; a move under itself or its own descendant is refused.
  Result<Category> change_category(const Actor& actor, const CategoryChange& change);
  Result<std::vector<Category>> categories();

 private:
  Result<Article> save(const Actor& actor, Article article, std::string_view action);
  static Result<void> may_change_content(const Actor& actor, const Article& current);
  Result<void> validate(const Article& a);
  Store& store_;
  const Clock& clock_;
};

}  // namespace fl
