// Measuring line 0: when a user is about to file a ticket, matching articles are shown
// first. Each suggestion shown, each article opened and whether a ticket followed within
// 30 minutes is recorded; a session that opened an article and filed no ticket in that
// time counts as deflected.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/search_service.hpp"
#include "app/secrets.hpp"
#include "store/store.hpp"

namespace fl {

struct DeflectionOffer {
  std::string session;  // pass back when opening an article or filing the ticket
  std::vector<ArticleHit> articles;
};

class DeflectionService {
 public:
  DeflectionService(Store& store, SearchService& search, TokenMinter& ids, const Clock& clock)
      : store_(store), search_(search), ids_(ids), clock_(clock) {}

  // The articles that may answer what the user is about to report (none found: an empty
  // offer, still recorded as a session).
  Result<DeflectionOffer> offer(const Actor& actor, std::string_view subject, std::string_view description,
                                std::optional<std::string> language);
  // The user opened a suggested (or any) article in the session.
  Result<void> opened(std::string_view session, ArticleId article);
  // A ticket was filed: it closes the named session and the filer's own sessions of the
  // last 30 minutes (a user who read an article and then called anyway was not deflected).
  Result<void> ticket_filed(const Actor& actor, std::optional<std::string_view> session, const Ticket& ticket);

  // Supervisors and admins only.
  Result<DeflectionFigures> figures(const Actor& actor, Timestamp from, Timestamp to);

 private:
  Store& store_;
  SearchService& search_;
  TokenMinter& ids_;
  const Clock& clock_;
};

}  // namespace fl
