// TicketIndex: the scope filter agrees with TicketScope::matches, internal text stays
// internal, and the commit/crash contract holds.
#include "search/ticket_index.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include "search/knowledge_index.hpp"
#include "support/temp_dir.hpp"

namespace fl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

TicketDocument ticket(TicketId id, std::string subject, std::string text = {},
                      std::string internal = {}) {
  TicketDocument t;
  t.id = id;
  t.number = 100000 + id;
  t.subject = std::move(subject);
  t.text = std::move(text);
  t.internal_text = std::move(internal);
  t.team = 1;
  t.origin_team = 1;
  t.requester = 1;
  t.updated_at = from_millis(1'700'000'000'000 + id);
  return t;
}

Ticket as_ticket(const TicketDocument& d) {
  Ticket t;
  t.id = d.id;
  t.line = d.line;
  t.team = d.team;
  t.origin_team = d.origin_team;
  t.organization = d.organization;
  t.requester = d.requester;
  return t;
}

std::vector<TicketId> ids(const TicketSearchResults& r) {
  std::vector<TicketId> out;
  for (const auto& h : r.hits) out.push_back(h.id);
  return out;
}

class TicketIndexTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  void reopen() {
    index_.reset();
    auto opened = TicketIndex::open(dir_.path() / "tickets");
    ASSERT_TRUE(opened) << opened.error().message;
    index_ = std::move(*opened);
  }

  std::vector<TicketId> find(std::string_view text, const TicketScope& scope = TicketScope::all(),
                             bool internal = true) {
    auto r = index_->search(text, scope, internal, 100);
    EXPECT_TRUE(r) << r.error().message;
    return r ? ids(*r) : std::vector<TicketId>{};
  }

  testing::TempDir dir_;
  std::unique_ptr<TicketIndex> index_;
};

TEST_F(TicketIndexTest, ScopeFilterAgreesWithTicketScopeMatches) {
  std::mt19937 random(7);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  std::vector<TicketDocument> docs;
  for (TicketId id = 1; id <= 100; ++id) {
    auto d = ticket(id, "Printer problem " + std::to_string(id));
    d.line = pick(1, 4);
    d.team = pick(1, 6);
    d.origin_team = pick(1, 3);
    if (pick(0, 3) != 0) d.organization = pick(1, 4);
    d.requester = pick(1, 20);
    docs.push_back(d);
    ASSERT_TRUE(index_->upsert(d));
  }
  ASSERT_TRUE(index_->commit());

  using Teams = std::vector<TeamId>;
  using Orgs = std::vector<OrganizationId>;
  std::vector<TicketScope> scopes = {
      TicketScope::all(),
      TicketScope{},
      TicketScope{false, {ScopeClause{.requester = 3}}},
      TicketScope{false, {ScopeClause{.requester = 3}, ScopeClause{.organization_in = Orgs{2}}}},
      TicketScope{false, {ScopeClause{.max_line = 1}}},
      TicketScope{false, {ScopeClause{.max_line = 2}, ScopeClause{.origin_team_in = Teams{1}}}},
      TicketScope{false, {ScopeClause{.max_line = 0}}},
      TicketScope{false, {ScopeClause{.max_line = 9}}},
      TicketScope{false,
                  {ScopeClause{.team_in = Teams{4}}, ScopeClause{.origin_team_in = Teams{4}},
                   ScopeClause{.max_line = 2, .organization_in = Orgs{1, 3}}}},
      TicketScope{false, {ScopeClause{.team_in = Teams{5, 6}}}},
      TicketScope{false, {ScopeClause{.team_in = Teams{}}}},
      TicketScope{false, {ScopeClause{}}},
      TicketScope{false,
                  {ScopeClause{.max_line = 3,
                               .team_in = Teams{2, 3},
                               .origin_team_in = Teams{1, 2},
                               .organization_in = Orgs{1, 2, 3},
                               .requester = 5}}},
  };
  for (std::size_t i = 0; i < scopes.size(); ++i) {
    std::vector<TicketId> expected;
    for (const auto& d : docs)
      if (scopes[i].matches(as_ticket(d))) expected.push_back(d.id);
    auto r = index_->search("printer", scopes[i], false, 100);
    ASSERT_TRUE(r);
    std::vector<TicketId> got = ids(*r);
    std::ranges::sort(got);
    EXPECT_EQ(got, expected) << "scope " << i;
    // The empty query (latest first) is filtered the same way.
    auto latest = index_->search("", scopes[i], false, 100);
    ASSERT_TRUE(latest);
    got = ids(*latest);
    std::ranges::sort(got);
    EXPECT_EQ(got, expected) << "scope " << i;
  }
}

TEST_F(TicketIndexTest, InternalTextIsOnlyForAgents) {
  ASSERT_TRUE(index_->upsert(ticket(1, "Laptop slow", "Please help, the laptop is slow.",
                                    "Customer is known for overclocking; password hunter2")));
  ASSERT_TRUE(index_->commit());
  auto customer = index_->search("overclocking", TicketScope::all(), false, 10);
  ASSERT_TRUE(customer);
  EXPECT_THAT(ids(*customer), IsEmpty());
  auto agent = index_->search("overclocking", TicketScope::all(), true, 10);
  ASSERT_TRUE(agent);
  ASSERT_THAT(ids(*agent), ElementsAre(1));
  EXPECT_THAT(agent->hits[0].snippet, HasSubstr("<mark>overclocking</mark>"));
  auto laptop = index_->search("laptop", TicketScope::all(), false, 10);
  ASSERT_THAT(ids(*laptop), ElementsAre(1));
  EXPECT_THAT(laptop->hits[0].snippet, Not(HasSubstr("hunter2")));
  EXPECT_THAT(laptop->hits[0].snippet, HasSubstr("<mark>laptop</mark>"));
}

// A ticket's score must not tell a customer how much staff wrote about it: without the
// internal text, ranking ignores document length (which counts the notes).
TEST_F(TicketIndexTest, InternalNotesDoNotMoveACustomersScores) {
  ASSERT_TRUE(index_->upsert(ticket(1, "Printer offline", "The printer is offline.")));
  std::string notes;
  for (int i = 0; i < 200; ++i) notes += "escalated to vendor, firmware case open ";
  ASSERT_TRUE(index_->upsert(ticket(2, "Printer offline", "The printer is offline.", notes)));
  ASSERT_TRUE(index_->commit());
  auto customer = index_->search("printer", TicketScope::all(), false, 10);
  ASSERT_TRUE(customer);
  ASSERT_EQ(customer->hits.size(), 2u);
  EXPECT_DOUBLE_EQ(customer->hits[0].score, customer->hits[1].score);
  auto agent = index_->search("printer", TicketScope::all(), true, 10);
  ASSERT_TRUE(agent);
  ASSERT_EQ(agent->hits.size(), 2u);
  EXPECT_EQ(agent->hits[0].id, 1);  // for staff, the short ticket is the closer match
  EXPECT_GT(agent->hits[0].score, agent->hits[1].score);
}

TEST_F(TicketIndexTest, MatchesGermanAndEnglishTickets) {
  ASSERT_TRUE(index_->upsert(ticket(1, "Der Drucker druckt nicht mehr", "Seit dem Update.")));
  ASSERT_TRUE(index_->upsert(ticket(2, "The printers on floor 2 are offline", "Since Monday.")));
  ASSERT_TRUE(index_->upsert(ticket(3, "Passwort zurücksetzen", "Bitte das Passwort ändern.")));
  ASSERT_TRUE(index_->commit());
  EXPECT_THAT(find("drucker"), ElementsAre(1));
  EXPECT_THAT(find("druckt"), ElementsAre(1));
  EXPECT_THAT(find("printer"), ElementsAre(2));
  EXPECT_THAT(find("passworter zurucksetzen"), ElementsAre(3));
}

TEST_F(TicketIndexTest, NumberFindsItsTicketFirst) {
  ASSERT_TRUE(index_->upsert(ticket(1, "VPN down")));
  ASSERT_TRUE(index_->upsert(ticket(2, "VPN slow")));
  ASSERT_TRUE(index_->commit());
  EXPECT_THAT(find("100002"), ElementsAre(2));
  EXPECT_THAT(find("#100002 vpn").front(), 2);
}

TEST_F(TicketIndexTest, EmptyTextListsLatestFirst) {
  for (TicketId id : {3, 1, 2}) ASSERT_TRUE(index_->upsert(ticket(id, "Subject")));
  ASSERT_TRUE(index_->commit());
  EXPECT_THAT(find(""), ElementsAre(3, 2, 1));
}

// Every query of a supervisor (scope: everything) once shared Xapian's static MatchAll query,
// whose reference count is not atomic: concurrent searches crashed the server.
TEST_F(TicketIndexTest, ConcurrentSearchesOfTheWholeScope) {
  for (TicketId id = 1; id <= 50; ++id) ASSERT_TRUE(index_->upsert(ticket(id, "Drucker offline")));
  ASSERT_TRUE(index_->commit());
  std::atomic<int> failures{0};
  std::vector<std::thread> searchers;
  for (int t = 0; t < 8; ++t)
    searchers.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        auto r = index_->search(i % 2 == 0 ? "" : "drucker", TicketScope::all(), t % 2 == 0, 10);
        if (!r || r->hits.size() != 10) ++failures;
      }
    });
  for (auto& s : searchers) s.join();
  EXPECT_EQ(failures, 0);
}

TEST_F(TicketIndexTest, RejectsBadInput) {
  auto t = ticket(1, "x");
  t.line = 5;
  EXPECT_EQ(index_->upsert(t).error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(index_->search("x", TicketScope::all(), false, 0).error().code,
            ErrorCode::invalid_argument);
}

TEST_F(TicketIndexTest, CrashBeforeCommitLosesTheChangesAndKeepsTheOldCursor) {
  ASSERT_TRUE(index_->upsert(ticket(1, "Printer")));
  ASSERT_TRUE(index_->set_last_applied_event(10));
  ASSERT_TRUE(index_->commit());
  ASSERT_TRUE(index_->upsert(ticket(2, "Printer too")));
  ASSERT_TRUE(index_->remove(1));
  ASSERT_TRUE(index_->set_last_applied_event(11));
  reopen();
  EXPECT_EQ(*index_->last_applied_event(), 10);
  EXPECT_THAT(find("printer"), ElementsAre(1));
  ASSERT_TRUE(index_->remove(1));
  ASSERT_TRUE(index_->set_last_applied_event(12));
  ASSERT_TRUE(index_->commit());
  reopen();
  EXPECT_EQ(*index_->last_applied_event(), 12);
  EXPECT_THAT(find("printer"), IsEmpty());
}

TEST_F(TicketIndexTest, AnIndexOfAnotherFormatIsEmptiedOnOpen) {
  // An article index stands in for one written by another version of the analysis.
  index_.reset();
  auto dir = dir_.path() / "tickets";
  {
    auto articles = KnowledgeIndex::open(dir);
    ASSERT_TRUE(articles);
    ArticleDocument a;
    a.id = 1;
    a.title = "Printer";
    ASSERT_TRUE((*articles)->upsert(a));
    ASSERT_TRUE((*articles)->set_last_applied_event(9));
    ASSERT_TRUE((*articles)->commit());
  }
  reopen();
  EXPECT_EQ(*index_->last_applied_event(), 0);
  EXPECT_THAT(find(""), IsEmpty());
  ASSERT_TRUE(index_->upsert(ticket(1, "Printer")));
  ASSERT_TRUE(index_->commit());
  EXPECT_THAT(find("printer"), ElementsAre(1));
}

}  // namespace
}  // namespace fl
