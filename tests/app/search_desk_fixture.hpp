// A desk with a knowledge base, its search indexes and deflection counting, for the tests of
// what searches the knowledge base as a user would (deflection, the chatbot). Articles are the
// tests' own; call `search->catch_up()` after creating them.
#pragma once

#include "app/deflection.hpp"
#include "app/knowledge_base.hpp"
#include "app/search_service.hpp"
#include "auth/sodium_secrets.hpp"
#include "desk_fixture.hpp"

namespace fl::testing {

class SearchDeskTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    kb = std::make_unique<KnowledgeBase>(*store, clock);
    article_index = ok(KnowledgeIndex::open(dir.path() / "articles"));
    ticket_index = ok(TicketIndex::open(dir.path() / "tickets"));
    search = std::make_unique<SearchService>(*store, *article_index, *ticket_index);
    deflection = std::make_unique<DeflectionService>(*store, *search, ids, clock);
  }

  // The deflection figures of the last day.
  DeflectionFigures figures() {
    using namespace std::chrono_literals;
    return ok(deflection->figures(sup, clock.now() - 24h, clock.now() + 1h));
  }

  std::unique_ptr<KnowledgeBase> kb;
  std::unique_ptr<KnowledgeIndex> article_index;
  std::unique_ptr<TicketIndex> ticket_index;
  std::unique_ptr<SearchService> search;
  SodiumTokenMinter ids;
  std::unique_ptr<DeflectionService> deflection;
};

}  // namespace fl::testing
