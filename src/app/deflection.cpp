#include "app/deflection.hpp"

#include "core/text.hpp"

namespace fl {

Result<DeflectionOffer> DeflectionService::offer(const Actor& actor, std::string_view subject,
                                                 std::string_view description,
                                                 std::optional<std::string> language) {
  std::string query = trim(subject);
  if (query.empty()) return invalid_field("subject", "required");
  // The subject says what is wrong; the first words of the description sharpen it.
  std::string text = query + " " + std::string(description.substr(0, std::min<std::size_t>(description.size(), 300)));
  auto found = search_.search_articles(actor, {.text = text, .language = std::move(language), .limit = 5});
  if (!found) return std::unexpected(found.error());
  DeflectionOffer offer{ids_.mint(), std::move(found->hits)};
  DeflectionSession session;
  session.id = offer.session;
  if (actor.user.id != 0) session.user = actor.user.id;
  session.query = query;
  session.started_at = clock_.now();
  std::vector<ArticleId> shown;
  for (const auto& h : offer.articles) shown.push_back(h.id);
  if (auto ok = store_.start_deflection_session(session, shown); !ok) return std::unexpected(ok.error());
  return offer;
}

Result<void> DeflectionService::opened(std::string_view session, ArticleId article) {
  if (session.empty() || session.size() > 100) return fail(ErrorCode::not_found, "no such deflection session");
  return store_.record_deflection_open(session, article, clock_.now());
}

Result<void> DeflectionService::ticket_filed(const Actor& actor, std::optional<std::string_view> session,
                                             const Ticket& ticket) {
  Timestamp now = clock_.now();
  std::optional<UserId> user;
  if (actor.user.id != 0) user = ticket.requester;
  return store_.record_deflection_ticket(session, user, ticket.id, now - kDeflectionWindow, now);
}

Result<DeflectionFigures> DeflectionService::figures(const Actor& actor, Timestamp from, Timestamp to) {
  if (actor.user.role != Role::supervisor && actor.user.role != Role::admin)
    return fail(ErrorCode::permission_denied, "reports are for supervisors");
  if (to <= from) return invalid_field("to", "must be after from");
  return store_.deflection_figures(from, to, clock_.now(), kDeflectionWindow);
}

}  // namespace fl
