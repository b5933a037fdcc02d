#include "app/knowledge_base.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "app/access.hpp"
#include "core/text.hpp"

namespace fl {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxTitle = 300;
constexpr std::size_t kMaxBody = 200'000;
constexpr std::size_t kMaxKeywords = 50;

Result<void> deny(std::string what) {
  return fail(ErrorCode::permission_denied, std::move(what));
}

Result<Article> hidden(ArticleId id) {
  return fail(ErrorCode::not_found, "no article " + std::to_string(id));
}

std::vector<std::string> normalised_keywords(const std::vector<std::string>& raw) {
  std::vector<std::string> out;
  for (const auto& k : raw) {
    std::string t = trim(k);
    if (!t.empty()) out.push_back(std::move(t));
  }
  std::ranges::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Optimistic concurrency: the caller saw `version`; `then` says what to do about a stale one.
Result<void> at_version(const Article& current, int version, std::string_view then) {
  if (version == current.version) return {};
  return fail(ErrorCode::conflict, "article " + std::to_string(current.id) + " is at version " +
                                       std::to_string(current.version) + ", not " +
                                       std::to_string(version) + ": " + std::string(then));
}

// `a` with the fields the patch carries.
Result<Article> patched(Article a, const ArticlePatch& p) {
  if (p.title) a.title = trim(*p.title);
  if (p.body) a.body = *p.body;
  if (p.language) a.language = *p.language;
  if (p.translation_of) a.translation_of = *p.translation_of;
  if (p.category) a.category = *p.category;
  if (p.kind) a.kind = *p.kind;
  if (p.audience) a.audience = *p.audience;
  if (p.status) a.status = *p.status;
  if (p.keywords) a.keywords = normalised_keywords(*p.keywords);
  if (a.translation_of == a.id)
    return invalid_field("translation_of", "an article is not its own translation");
  return a;
}

// What a version holds of an article, apart from its status, counters and bookkeeping.
void copy_content(Article& to, const Article& from) {
  to.title = from.title;
  to.body = from.body;
  to.language = from.language;
  to.translation_of = from.translation_of;
  to.category = from.category;
  to.kind = from.kind;
  to.audience = from.audience;
  to.keywords = from.keywords;
}

}  // namespace

Result<void> KnowledgeBase::validate(const Article& a) {
  std::vector<FieldError> errors;
  if (is_blank(a.title)) errors.push_back({"title", "required"});
  if (a.title.size() > kMaxTitle) errors.push_back({"title", "at most 300 bytes"});
  if (a.body.size() > kMaxBody) errors.push_back({"body", "at most 200000 bytes"});
  if (!is_language(a.language)) errors.push_back({"language", "de or en"});
  if (a.keywords.size() > kMaxKeywords) errors.push_back({"keywords", "at most 50"});
  if (!errors.empty()) return invalid_fields(std::move(errors));
  if (a.translation_of) {
    auto original = store_.article(*a.translation_of);
    if (!original)
      return invalid_field("translation_of", "no article " + std::to_string(*a.translation_of));
    if (original->language == a.language)
      return invalid_field("translation_of",
                           "a translation is in another language than its original");
    if (original->translation_of)
      return invalid_field("translation_of", "link to the original article " +
                                                 std::to_string(*original->translation_of));
  }
  return {};
}

// What customers read changes only through those who publish: a published article's content
// is edited (or restored) by a supervisor, or set back to draft by one first.
Result<void> KnowledgeBase::may_change_content(const Actor& actor, const Article& current) {
  if (current.status == ArticleStatus::published && !may_publish_articles(actor))
    return deny("article " + std::to_string(current.id) +
                " is published: only supervisors change what readers see; propose a revision "
                "(PUT .../revision) for one to publish");
  return {};
}

Result<Article> KnowledgeBase::save(const Actor& actor, Article a, std::string_view action) {
  if (auto ok = validate(a); !ok) return std::unexpected(ok.error());
  Event e;
  e.type = event_type::article_saved;
  e.actor = actor.user.id;
  e.at = a.updated_at;
  e.payload = json::serialize(
      json::object{{"action", action}, {"status", name_of(a.status)}, {"language", a.language}});
  return store_.save_article(a, e);
}

Result<Article> KnowledgeBase::create(const Actor& actor, const NewArticle& r) {
  if (!may_write_articles(actor))
    return std::unexpected(deny("you may not write articles").error());
  if (r.status != ArticleStatus::draft && !may_publish_articles(actor))
    return std::unexpected(deny("only supervisors publish or archive articles").error());
  Article a;
  a.title = trim(r.title);
  a.body = r.body;
  a.language = r.language;
  a.translation_of = r.translation_of;
  a.category = r.category;
  a.kind = r.kind;
  a.audience = r.audience;
  a.status = r.status;
  a.keywords = normalised_keywords(r.keywords);
  a.author = actor.user.id;
  a.created_at = a.updated_at = clock_.now();
  return save(actor, std::move(a), "created");
}

Result<Article> KnowledgeBase::update(const Actor& actor, ArticleId id, const ArticlePatch& p) {
  if (!may_write_articles(actor)) return hidden(id);
  auto current = store_.article(id);
  if (!current) return current;
  if (auto ok = at_version(*current, p.version, "reload and edit again"); !ok)
    return std::unexpected(ok.error());
  if (p.status && *p.status != current->status && !may_publish_articles(actor))
    return std::unexpected(deny("only supervisors publish or archive articles").error());
  if (auto ok = may_change_content(actor, *current); !ok) return std::unexpected(ok.error());
  auto a = patched(*current, p);
  if (!a) return a;
  a->author = actor.user.id;
  a->updated_at = clock_.now();
  return save(actor, std::move(*a), "edited");
}

Result<Article> KnowledgeBase::propose_revision(const Actor& actor, ArticleId id,
                                                const ArticlePatch& p) {
  if (!may_write_articles(actor)) return hidden(id);
  auto current = store_.article(id);
  if (!current) return current;
  if (current->status != ArticleStatus::published)
    return fail(ErrorCode::failed_precondition,
                "article " + std::to_string(id) + " is not published: edit it directly");
  if (p.status) return invalid_field("status", "a revision changes content, not the status");
  if (auto ok = at_version(*current, p.version, "reload and edit again"); !ok)
    return std::unexpected(ok.error());
  auto patch = patched(*current, p);
  if (!patch) return patch;
  Article& proposal = *patch;
  if (auto ok = validate(proposal); !ok) return std::unexpected(ok.error());
  proposal.author = actor.user.id;
  proposal.created_at = proposal.updated_at = clock_.now();
  Event e;
  e.type = event_type::revision_proposed;
  e.actor = actor.user.id;
  e.at = proposal.updated_at;
  e.payload = json::serialize(json::object{{"based_on_version", proposal.version}});
  if (auto ok = store_.save_article_revision(proposal, e); !ok) return std::unexpected(ok.error());
  return proposal;
}

Result<Article> KnowledgeBase::revision(const Actor& actor, ArticleId id) {
  if (!may_write_articles(actor)) return hidden(id);
  return store_.article_revision(id);
}

Result<Article> KnowledgeBase::publish_revision(const Actor& actor, ArticleId id, int version) {
  if (!may_write_articles(actor)) return hidden(id);
  if (!may_publish_articles(actor))
    return std::unexpected(deny("only supervisors publish revisions").error());
  auto proposal = store_.article_revision(id);
  if (!proposal) return proposal;
  auto current = store_.article(id);
  if (!current) return current;
  if (auto ok = at_version(*current, version, "reload and try again"); !ok)
    return std::unexpected(ok.error());
  if (proposal->version != current->version)
    return fail(ErrorCode::conflict,
                "the revision edits version " + std::to_string(proposal->version) +
                    ", but article " + std::to_string(id) + " is at version " +
                    std::to_string(current->version) + ": discard it or propose it again");
  Article a = *current;
  copy_content(a, *proposal);
  a.author = proposal->author;  // who wrote it; the event names who published it
  a.updated_at = clock_.now();
  auto saved = save(actor, std::move(a),
                    "published the revision of user " + std::to_string(proposal->author));
  if (!saved) return saved;
  // After the new version the revision is stale in any case: a failure here only leaves
  // one that publishing refuses and discarding removes.
  if (auto ok = store_.drop_article_revision(id, std::nullopt); !ok)
    return std::unexpected(ok.error());
  return saved;
}

Result<void> KnowledgeBase::discard_revision(const Actor& actor, ArticleId id) {
  if (!may_write_articles(actor)) return std::unexpected(hidden(id).error());
  auto proposal = store_.article_revision(id);
  if (!proposal) return std::unexpected(proposal.error());
  if (proposal->author != actor.user.id && !may_publish_articles(actor))
    return deny("only its author or a supervisor discards a revision");
  Event e;
  e.type = event_type::revision_discarded;
  e.actor = actor.user.id;
  e.at = clock_.now();
  e.payload = json::serialize(json::object{{"author", proposal->author}});
  return store_.drop_article_revision(id, e);
}

Result<Article> KnowledgeBase::restore(const Actor& actor, ArticleId id, int version) {
  if (!may_write_articles(actor)) return hidden(id);
  auto history = store_.article_history(id);
  if (!history) return std::unexpected(history.error());
  auto old = std::ranges::find_if(*history, [&](const Article& a) { return a.version == version; });
  if (old == history->end())
    return fail(ErrorCode::not_found,
                "article " + std::to_string(id) + " has no version " + std::to_string(version));
  auto current = store_.article(id);
  if (!current) return current;
  if (auto ok = may_change_content(actor, *current); !ok) return std::unexpected(ok.error());
  Article a = *current;
  copy_content(a, *old);
  a.author = actor.user.id;
  a.updated_at = clock_.now();
  return save(actor, std::move(a), "restored version " + std::to_string(version));
}

Result<Article> KnowledgeBase::get(const Actor& actor, ArticleId id) {
  auto a = store_.article(id);
  if (!a) return a;
  if (!may_read(actor, *a)) return hidden(id);
  return a;
}

Result<Article> KnowledgeBase::view(const Actor& actor, ArticleId id) {
  auto a = get(actor, id);
  if (!a || may_write_articles(actor)) return a;
  if (auto counted = store_.count_article_view(id); !counted)
    return std::unexpected(counted.error());
  ++a->views;
  return a;
}

Result<std::vector<Article>> KnowledgeBase::list(const Actor& actor, ArticleFilter filter) {
  if (!may_write_articles(actor)) {
    if (filter.status && *filter.status != ArticleStatus::published) return std::vector<Article>{};
    if (filter.audience && *filter.audience != Audience::public_) return std::vector<Article>{};
    filter.status = ArticleStatus::published;
    filter.audience = Audience::public_;
  }
  filter.limit = std::clamp(filter.limit, 1, 200);
  return store_.articles(filter);
}

Result<std::vector<Article>> KnowledgeBase::history(const Actor& actor, ArticleId id) {
  if (!may_write_articles(actor)) return std::unexpected(hidden(id).error());
  return store_.article_history(id);
}

Result<std::vector<Article>> KnowledgeBase::translations(const Actor& actor, ArticleId id) {
  auto a = get(actor, id);
  if (!a) return std::unexpected(a.error());
  ArticleId root = a->translation_of.value_or(a->id);
  std::vector<Article> out;
  if (root != a->id) {
    if (auto original = get(actor, root)) out.push_back(std::move(*original));
  }
  ArticleFilter f;
  f.translation_of = root;
  f.limit = 200;
  auto group = list(actor, f);
  if (!group) return std::unexpected(group.error());
  for (auto& other : *group)
    if (other.id != a->id) out.push_back(std::move(other));
  return out;
}

Result<void> KnowledgeBase::vote(const Actor& actor, ArticleId id, bool helpful,
                                 std::optional<std::string_view> guest_voter) {
  std::string voter;
  if (actor.user.id > 0) {
    voter = "u:" + std::to_string(actor.user.id);
  } else {
    auto valid = [](std::string_view v) {
      return v.size() >= 8 && v.size() <= 64 && std::ranges::all_of(v, [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
             });
    };
    if (!guest_voter || !valid(*guest_voter))
      return invalid_field("voter",
                           "a guest's vote needs an id of 8 to 64 letters, digits, - or _");
    voter = "g:" + std::string(*guest_voter);
  }
  if (auto a = get(actor, id); !a) return std::unexpected(a.error());
  return store_.record_article_vote(id, voter, helpful);
}

namespace {

// The ticket as the actor may see it, or not_found.
Result<Ticket> ticket_for(Store& store, const Actor& actor, TicketId id, TicketAction action) {
  auto t = store.ticket(id);
  if (!t) return t;
  if (!may(actor, TicketAction::view, *t))
    return fail(ErrorCode::not_found, "no ticket " + std::to_string(id));
  if (!may(actor, action, *t))
    return fail(ErrorCode::permission_denied, "you may not link articles to this ticket");
  return t;
}

std::string handoff_note(const Event& e) {
  boost::system::error_code ec;
  auto v = json::parse(e.payload, ec);
  if (ec || !v.is_object()) return {};
  if (auto* note = v.as_object().if_contains("note"); note && note->is_string())
    return std::string(note->as_string());
  return {};
}

}  // namespace

Result<void> KnowledgeBase::link_to_ticket(const Actor& actor, TicketId ticket, ArticleId article) {
  auto t = ticket_for(store_, actor, ticket, TicketAction::note);
  if (!t) return std::unexpected(t.error());
  if (auto a = get(actor, article); !a)
    return invalid_field("article_id", "no article " + std::to_string(article));
  Event e;
  e.type = event_type::article_linked;
  e.actor = actor.user.id;
  e.at = clock_.now();
  e.payload = json::serialize(json::object{{"article", article}});
  return store_.link_article({ticket, article, actor.user.id, e.at}, e);
}

Result<std::vector<Article>> KnowledgeBase::linked_articles(const Actor& actor, TicketId ticket) {
  auto t = store_.ticket(ticket);
  if (!t) return std::unexpected(t.error());
  if (!may(actor, TicketAction::view, *t))
    return fail(ErrorCode::not_found, "no ticket " + std::to_string(ticket));
  auto links = store_.article_links(ticket);
  if (!links) return std::unexpected(links.error());
  std::vector<Article> out;
  for (const auto& l : *links)
    if (auto a = get(actor, l.article)) out.push_back(std::move(*a));
  return out;
}

Result<Article> KnowledgeBase::draft_from_ticket(const Actor& actor, TicketId id) {
  if (!may_write_articles(actor))
    return fail(ErrorCode::permission_denied, "you may not write articles");
  auto t = ticket_for(store_, actor, id, TicketAction::note);
  if (!t) return std::unexpected(t.error());
  if (!is_solved(t->status))
    return fail(ErrorCode::failed_precondition, "only a resolved ticket becomes an article");
  auto entries = store_.entries(id);
  if (!entries) return std::unexpected(entries.error());
  auto events = store_.ticket_events(id);
  if (!events) return std::unexpected(events.error());

  std::string symptom, solution, tried;
  for (const auto& e : *entries) {
    if (e.kind != EntryKind::reply || is_blank(e.body)) continue;
    if (symptom.empty())
      symptom = e.body;  // the opening description
    else if (e.author != t->requester)
      solution = e.body;  // the desk's last answer
  }
  for (const auto& ev : *events)
    if (ev.type == event_type::escalated)
      if (auto note = handoff_note(ev); !note.empty()) tried += "- " + note + "\n";
  std::string body = "## Symptom\n\n" + (symptom.empty() ? "(describe the symptom)" : symptom) +
                     "\n\n## What was tried\n\n" +
                     (tried.empty() ? "(nothing recorded)\n" : tried) + "\n## Solution\n\n" +
                     (solution.empty() ? "(describe the solution)" : solution) + "\n";
  NewArticle draft;
  draft.title = t->subject;
  draft.body = body;
  draft.kind = ArticleKind::troubleshooting;
  draft.audience = Audience::internal;
  draft.language = actor.user.language == "de" ? "de" : "en";
  if (!t->category.empty()) draft.keywords = {t->category};
  auto article = create(actor, draft);
  if (!article) return article;
  if (auto linked = link_to_ticket(actor, id, article->id); !linked)
    return std::unexpected(linked.error());
  return article;
}

Result<std::vector<std::vector<std::string>>> KnowledgeBase::synonyms(const Actor& actor) {
  if (!may_write_articles(actor))
    return fail(ErrorCode::permission_denied, "synonyms are for staff");
  return store_.synonym_groups();
}

Result<void> KnowledgeBase::set_synonyms(const Actor& actor,
                                         const std::vector<std::vector<std::string>>& groups) {
  if (!may_publish_articles(actor))
    return std::unexpected(deny("only supervisors change the synonyms").error());
  if (groups.size() > 1000) return invalid_field("groups", "at most 1000 groups");
  std::vector<std::vector<std::string>> clean;
  for (const auto& g : groups) {
    std::vector<std::string> terms;
    for (const auto& t : g) {
      std::string term = trim(t);
      if (term.size() > 100) return invalid_field("groups", "a term has at most 100 bytes");
      if (!term.empty() && std::ranges::find(terms, term) == terms.end())
        terms.push_back(std::move(term));
    }
    if (terms.size() < 2) return invalid_field("groups", "each group names at least two terms");
    clean.push_back(std::move(terms));
  }
  Event e;
  e.type = event_type::synonyms_changed;
  e.actor = actor.user.id;
  e.at = clock_.now();
  e.payload = json::serialize(json::object{{"groups", static_cast<std::int64_t>(clean.size())}});
  return store_.replace_synonym_groups(clean, e);
}

Result<Category> KnowledgeBase::create_category(const Actor& actor, const Category& c) {
  if (!may_publish_articles(actor))
    return std::unexpected(deny("only supervisors manage categories").error());
  Category clean = c;
  clean.name = trim(c.name);
  if (clean.name.empty() || clean.name.size() > 100)
    return invalid_field("name", "1 to 100 characters");
  Event e;
  e.type = event_type::category_created;
  e.actor = actor.user.id;
  e.at = clock_.now();
  e.payload = json::serialize(json::object{{"name", clean.name}});
  return store_.insert_category(clean, e);
}

Result<Category> KnowledgeBase::change_category(const Actor& actor, const CategoryChange& change) {
  if (!may_publish_articles(actor))
    return std::unexpected(deny("only supervisors manage categories").error());
  auto all = store_.categories();
  if (!all) return std::unexpected(all.error());
  auto current = std::ranges::find(*all, change.id, &Category::id);
  if (current == all->end())
    return fail(ErrorCode::not_found, "no category " + std::to_string(change.id));
  Category next = *current;
  if (change.name) {
    next.name = trim(*change.name);
    if (next.name.empty() || next.name.size() > 100)
      return invalid_field("name", "1 to 100 characters");
  }
  if (change.parent) {
    next.parent = *change.parent;
    // The new parent's ancestry must not pass through the category itself (a cycle).
    if (next.parent) {
      if (std::ranges::find(*all, *next.parent, &Category::id) == all->end())
        return invalid_field("parent_id", "no category " + std::to_string(*next.parent));
      for (const Category* c : category_ancestry(*all, next.parent))
        if (c->id == next.id)
          return invalid_field("parent_id", "a category cannot move under itself");
    }
  }
  Event e;
  e.type = event_type::category_changed;
  e.actor = actor.user.id;
  e.at = clock_.now();
  json::object payload{{"id", next.id}, {"name", next.name}};
  payload["moved"] = next.parent != current->parent;
  e.payload = json::serialize(payload);
  return store_.update_category(next, e);
}

Result<std::vector<Category>> KnowledgeBase::categories() {
  return store_.categories();
}

}  // namespace fl
