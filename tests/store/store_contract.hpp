// The Store contract suite: written once against the port (store/store.hpp) and run against
// every adapter. An adapter's test file instantiates it with a factory:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract,
//                            ::testing::Values(StoreAdapter{"sqlite", open_sqlite}), adapter_name);
//
// The suite knows nothing about any backend: each test gets a fresh store from the factory,
// given an empty temporary folder it may use (and which is removed afterwards).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "store/store.hpp"

namespace fl::store_contract {

// Returns a fresh, empty store. Throws (failing the test) if the store cannot be opened.
using StoreFactory = std::function<std::unique_ptr<Store>(const std::filesystem::path& tmpdir)>;

struct StoreAdapter {
  std::string name;  // shown in test names: letters, digits, underscores
  StoreFactory open;
};

[[nodiscard]] std::string adapter_name(const ::testing::TestParamInfo<StoreAdapter>& info);

// How gtest prints the parameter (instead of its bytes).
inline void PrintTo(const StoreAdapter& adapter, std::ostream* out) {
  *out << adapter.name;
}

// A folder under the system's temporary folder, removed with everything in it on destruction.
class TemporaryFolder {
 public:
  TemporaryFolder();
  ~TemporaryFolder();
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The value of a result the test needs; otherwise the test fails with the error's message.
template <class T>
T must(Result<T> result, std::string_view what = "store call") {
  if (!result) {
    std::string message = std::string(what) +
                          " failed: " + std::string(to_string(result.error().code)) + ": " +
                          result.error().message;
    ADD_FAILURE() << message;
    throw std::runtime_error(message);
  }
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

// The error code of a failed result; nullopt if it succeeded.
template <class T>
[[nodiscard]] std::optional<ErrorCode> code_of(const Result<T>& result) {
  if (result) return std::nullopt;
  return result.error().code;
}

// Builds a ScopeClause with only the conditions named: Clause().max_line(2).requester(7).
class Clause {
 public:
  Clause& max_line(int line) { return set(clause_.max_line, line); }
  Clause& team_in(std::vector<TeamId> teams) { return set(clause_.team_in, std::move(teams)); }
  Clause& origin_team_in(std::vector<TeamId> teams) {
    return set(clause_.origin_team_in, std::move(teams));
  }
  Clause& organization_in(std::vector<OrganizationId> orgs) {
    return set(clause_.organization_in, std::move(orgs));
  }
  Clause& requester(UserId user) { return set(clause_.requester, user); }
  operator ScopeClause() const { return clause_; }  // NOLINT(google-explicit-constructor)

 private:
  template <class Field, class Value>
  Clause& set(Field& field, Value value) {
    field = std::move(value);
    return *this;
  }
  ScopeClause clause_;
};

// A scope of the given clauses (not `everything`).
[[nodiscard]] inline TicketScope any_of(std::vector<ScopeClause> clauses) {
  TicketScope scope;
  scope.any_of = std::move(clauses);
  return scope;
}

// A fixed instant plus `offset_ms`: tests never read the clock.
[[nodiscard]] Timestamp at(std::int64_t offset_ms = 0);
[[nodiscard]] Event event_of(std::string_view type, std::optional<UserId> actor = std::nullopt);

// Every field of a user equal, the secret aside.
void expect_same_user(const User& actual, const User& expected);

class StoreContract : public ::testing::TestWithParam<StoreAdapter> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *store_; }

  // Directory records, stored; the test fails if storing fails.
  Organization add_organization(const std::string& name, const std::string& domain = "");
  Team add_team(const std::string& name, int line, std::vector<OrganizationId> served = {},
                TeamKind kind = TeamKind::internal);
  User add_user(const std::string& login, Role role, std::optional<OrganizationId> org = {},
                std::vector<TeamId> teams = {});

  // A valid new ticket (not stored) at the first-line desk of the seeded directory.
  Ticket draft_ticket(const std::string& subject);
  // Stores a new ticket with one "ticket.created" event.
  CommittedChange create(Ticket ticket, std::vector<Entry> entries = {});

  // A varied queue for listing tests: five teams over lines 1-4 (one an outsourced desk
  // serving a second organisation), three organisations, customers with and without one,
  // and tickets spread over every line, status, assignee and a few tags.
  struct Queue {
    std::vector<Ticket> tickets;  // as stored, oldest first
    std::vector<TeamId> teams;
    std::vector<OrganizationId> organizations;
    std::vector<UserId> customers;
    std::vector<UserId> agents;
  };
  Queue seed_queue();

  // A small directory most ticket tests need: seeded in SetUp.
  OrganizationId org_ = 0;
  TeamId desk_ = 0;
  User agent_;
  User customer_;

 private:
  std::unique_ptr<TemporaryFolder> folder_;
  std::unique_ptr<Store> store_;
};

// The knowledge-base part of the contract (knowledge_base_contract.cpp); each adapter's test
// file instantiates it beside StoreContract.
class KnowledgeBaseContract : public StoreContract {
 protected:
  // A valid new article (not stored) by the seeded agent.
  Article draft(const std::string& title);
  Article save(const Article& article);
};

// The SLA part of the contract (sla_contract.cpp): calendars, versioned policies, tickets'
// SLA fields and the scheduler's query. Each adapter's test file instantiates it too.
class SlaContract : public StoreContract {
 protected:
  // A new document (id 0) named `name`, not stored.
  static ConfigDocument draft_document(const std::string& name, const std::string& body);
  ConfigDocument save_calendar(const ConfigDocument& doc);
  ConfigDocument save_policy(const ConfigDocument& doc);
};

// The automatic-assignment part of the contract (assignment_contract.cpp): teams' routing
// settings, agents' availability and skills, the assignment load per team and automatic
// assignments recorded with the ticket change. Each adapter's test file instantiates it too.
class AssignmentContract : public StoreContract {
 protected:
  // Stores a new ticket of `team` assigned to `assignee` (none: unassigned) in `status`.
  Ticket add_ticket(TeamId team, std::optional<UserId> assignee, TicketStatus status);
  // Commits `ticket` as an automatic assignment to `user` at `at(offset_ms)`.
  Ticket assign_automatically(Ticket ticket, UserId user, std::int64_t offset_ms);
};

// The in-app notification part of the contract (notification_contract.cpp): storing what the
// follower derived, its cursor, one user's pages, unread counts and marking read. Each
// adapter's test file instantiates it too.
class NotificationContract : public StoreContract {
 protected:
  void SetUp() override;

  // A notification (not stored) for `user` about the seeded ticket, derived from `event`.
  [[nodiscard]] Notification draft_notification(
      UserId user, EventId event, NotificationKind kind = NotificationKind::assigned) const;
  // Stores `count` notifications for `user` from events first_event, first_event + 1, ...
  // (the cursor moves to the last); returns their ids, oldest first.
  std::vector<NotificationId> add_for(UserId user, EventId first_event, int count);

  TicketId ticket_ = 0;  // seeded in SetUp
};

// The macro part of the contract (macro_contract.cpp): every field kept, versions, names
// unique per team and among the macros for every team, and the macro's event. Each adapter's
// test file instantiates it too.
class MacroContract : public StoreContract {
 protected:
  // A valid new macro (not stored) named `name`, for `team` (none: for every team).
  [[nodiscard]] static Macro draft_macro(const std::string& name,
                                         std::optional<TeamId> team = std::nullopt);
  // Stores it with a "macro.saved" event by the seeded agent.
  Macro save(const Macro& macro);
};

// The chatbot's flow catalog part of the contract (bot_flow_contract.cpp): seeding shipped
// flows, versions and conflicts, edited flows kept, every version kept. Each adapter's test file
// instantiates it too.
class BotFlowContract : public StoreContract {};

// The rules part of the contract (rule_contract.cpp): rule documents, the timers of
// time-based rules, named feed cursors and the system account. Each adapter's test file
// instantiates it too.
class RuleContract : public StoreContract {};

// The webhook part of the contract (webhook_contract.cpp): subscriptions with versions and
// unique names, the delivery queue (idempotent queueing with the follower's cursor, leased
// claims, attempts, redelivery, pruning) and the delivery log. Each adapter's test file
// instantiates it too.
class WebhookContract : public StoreContract {
 protected:
  // A valid new webhook (not stored) named `name`.
  [[nodiscard]] static Webhook draft_webhook(const std::string& name);
  // Stores it with a "webhook.saved" event by the seeded agent.
  Webhook save(const Webhook& webhook);
  // A delivery (not stored) of `event` for `webhook`, queued at at(offset_ms).
  [[nodiscard]] static WebhookDelivery draft_delivery(WebhookId webhook, EventId event,
                                                      std::int64_t offset_ms = 0);
};

// The directory part of the contract (directory_contract.cpp): phone numbers and extensions,
// finding people by them, the admin's edits of users, teams and organisations, deactivation
// and the last active admin. Each adapter's test file instantiates it too.
class DirectoryContract : public StoreContract {
 protected:
  User add_person(const std::string& login, Role role, std::string phone, std::string extension,
                  std::vector<TeamId> teams = {});
  std::string last_event_type();
};

// The queue part of the contract (queue_contract.cpp): a ticket's SLA queue fields and rating,
// the listing's SLA, priority and tag filters and its sort by SLA due time, queue counts and
// saved views. Each adapter's test file instantiates it too.
class QueueContract : public StoreContract {
 protected:
  // A draft ticket stored in `stored` with these due and warning times (at(ms)).
  Ticket standing(const std::string& subject, SlaState stored, std::optional<std::int64_t> due,
                  std::optional<std::int64_t> warn);
};

// The attachment part of the contract (attachment_contract.cpp): uploads and their
// content-addressed blobs, binding in the entry's commit (all or nothing), entries read back
// with their files, and the cleanup of unused uploads. Each adapter's test file instantiates
// it too.
// The outbound mail part of the contract (outbox_contract.cpp): rows written in a ticket
// change's commit (bound to its new entry), idempotent queueing with the "mail" cursor, leased
// claims and attempts. Each adapter's test file instantiates it too.
class OutboxContract : public StoreContract {};

class AttachmentContract : public StoreContract {
 protected:
  // A file (not stored) of `uploader`'s with this content, created at at(offset_ms).
  [[nodiscard]] static NewAttachment file(UserId uploader, const std::string& name,
                                          const std::string& content, std::int64_t offset_ms = 0);
};

// The inbound-mail part of the contract (mail_contract.cpp).
class MailContract : public StoreContract {};

// Chatbot conversations (bot_contract.cpp).
class BotContract : public StoreContract {};

}  // namespace fl::store_contract
