#include "app/telephony.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>

#include "app/access.hpp"

namespace fl {

namespace {

const std::vector<TicketStatus>& unsolved() {
  static const std::vector<TicketStatus> statuses{TicketStatus::new_, TicketStatus::open,
                                                  TicketStatus::pending_customer,
                                                  TicketStatus::pending_vendor};
  return statuses;
}

}  // namespace

bool same_secret(std::string_view given, std::string_view expected) {
  // Both are hashed to 32 bytes first, so the comparison takes the same time for any lengths.
  if (sodium_init() < 0) std::abort();  // idempotent and thread-safe
  unsigned char a[crypto_generichash_BYTES], b[crypto_generichash_BYTES];
  crypto_generichash(a, sizeof a, reinterpret_cast<const unsigned char*>(given.data()),
                     given.size(), nullptr, 0);
  crypto_generichash(b, sizeof b, reinterpret_cast<const unsigned char*>(expected.data()),
                     expected.size(), nullptr, 0);
  return crypto_verify_32(a, b) == 0 && !expected.empty();
}

Result<CallerCard> Telephony::look_up_caller(const Actor& actor, std::string_view number) {
  if (!may_look_up_callers(actor))
    return fail(ErrorCode::permission_denied, "only the desk's staff look up callers");
  auto normal = directory_.phone_number(number, "number");
  if (!normal) return std::unexpected(normal.error());
  return card_for(actor, std::move(*normal));
}

Result<CallerCard> Telephony::card_for(const Actor& actor, std::string number) {
  CallerCard card;
  card.number = std::move(number);
  card.as_of = clock_.now();
  auto users = store_.users_by_phone(card.number);
  if (!users) return std::unexpected(users.error());
  for (auto& u : *users)
    if (u.active) card.users.push_back(std::move(u));
  std::ranges::stable_sort(card.users, [](const User& a, const User& b) {
    return (a.role == Role::customer) > (b.role == Role::customer);
  });
  if (card.users.empty()) return card;

  const User& caller = card.users.front();
  const TicketScope scope = scope_for(actor);
  TicketQuery own{.scope = scope,
                  .statuses = unsolved(),
                  .requester = caller.id,
                  .limit = static_cast<int>(CallerCard::kMaxTickets)};
  auto page = store_.tickets(own);
  if (!page) return std::unexpected(page.error());
  card.open_tickets = std::move(page->tickets);

  if (!caller.organization) return card;
  auto org = store_.organization(*caller.organization);
  if (!org) return std::unexpected(org.error());
  card.organization = std::move(*org);
  TicketQuery others{
      .scope = scope, .statuses = unsolved(), .organization = *caller.organization, .limit = 200};
  std::int64_t seen = 0;
  while (seen < CallerCard::kMaxCounted) {
    auto more = store_.tickets(others);
    if (!more) return std::unexpected(more.error());
    for (const auto& t : more->tickets) {
      ++seen;
      if (t.requester != caller.id) ++card.organization_open_tickets;
    }
    if (!more->next || more->tickets.empty()) break;
    others.after = more->next;
  }
  card.organization_open_tickets =
      std::min(card.organization_open_tickets, CallerCard::kMaxCounted);
  return card;
}

Result<CallDelivery> Telephony::take_call(const CallSignal& signal) {
  CallDelivery delivery;
  auto agents = store_.staff_by_extension(signal.extension);
  if (!agents) return std::unexpected(agents.error());

  CallPop pop;
  pop.call = signal;
  pop.at = signal.at.value_or(clock_.now());
  auto number = directory_.phone_number(signal.caller, "caller");
  pop.call.caller = number ? *number : "";

  for (const auto& agent : *agents) {
    delivery.agents.push_back(agent.id);
    auto actor = directory_.actor_for(agent);
    if (!actor) return std::unexpected(actor.error());
    pop.caller.reset();
    if (number && may_look_up_callers(*actor)) {
      auto card = card_for(*actor, *number);
      if (!card) return std::unexpected(card.error());
      pop.caller = std::move(*card);
    }
    LiveMessage message;
    message.kind = LiveMessage::Kind::call;
    message.call = &pop;
    delivery.clients += feed_.tell_user(agent.id, message);
  }
  spdlog::info("cti: call {} {} from {} for extension {}: {} agent(s), {} client(s) told",
               signal.call_id, name_of(signal.phase),
               pop.call.caller.empty() ? "an unknown number" : pop.call.caller, signal.extension,
               delivery.agents.size(), delivery.clients);
  return delivery;
}

}  // namespace fl
