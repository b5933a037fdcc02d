// A small service desk on a real SQLite file, for the app's use-case tests.
#pragma once

#include <gtest/gtest.h>

#include "app/directory_service.hpp"
#include "app/ticket_service.hpp"
#include "auth/sodium_secrets.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/fake_clock.hpp"
#include "support/temp_dir.hpp"

namespace fl::testing {

class DeskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SqliteStore::open(dir.path() / "desk.db");
    ASSERT_TRUE(s) << s.error().message;
    store = std::move(*s);
    directory = std::make_unique<DirectoryService>(*store, hasher, clock);
    tickets = std::make_unique<TicketService>(*store, clock);
    acme = ok(directory->create_organization(nullptr, {"Acme", "acme.example", false}));
    globex = ok(directory->create_organization(nullptr, {"Globex", "globex.example", false}));
    desk = ok(directory->create_team(nullptr, {"Service Desk", 1, TeamKind::internal, {}}));
    partner =
        ok(directory->create_team(nullptr, {"Partner Desk", 1, TeamKind::outsourced, {globex.id}}));
    desktop = ok(directory->create_team(nullptr, {"Desktop Support", 2, TeamKind::internal, {}}));
    network = ok(directory->create_team(nullptr, {"Network", 3, TeamKind::internal, {}}));
    vendor = ok(directory->create_team(nullptr, {"Vendor", 4, TeamKind::vendor, {}}));
    l1 = person("l1", Role::agent, std::nullopt, {desk.id});
    pa = person("partner", Role::agent, std::nullopt, {partner.id});
    l2 = person("l2", Role::agent, std::nullopt, {desktop.id});
    l3 = person("l3", Role::agent, std::nullopt, {network.id});
    va = person("vendor", Role::agent, std::nullopt, {vendor.id});
    sup = person("sup", Role::supervisor, std::nullopt, {});
    c1 = person("c1", Role::customer, acme.id, {});
    c2 = person("c2", Role::customer, globex.id, {});
  }

  template <class T>
  static T ok(Result<T> r) {
    EXPECT_TRUE(r) << r.error().message;
    if (!r) throw std::runtime_error(r.error().message);
    return std::move(*r);
  }

  Actor person(const std::string& login, Role role, std::optional<OrganizationId> org,
               std::vector<TeamId> teams) {
    auto u = ok(directory->create_user(
        nullptr, {login, login, login + "@x.example", role, org, teams, "en", ""}));
    return ok(directory->actor_for(u));
  }

  Ticket open_ticket(const Actor& who, std::string subject = "Printer prints blank pages") {
    return ok(tickets->create(who, {.subject = subject, .description = "It started today."}));
  }

  TempDir dir;
  FakeClock clock;
  SodiumPasswordHasher hasher{PasswordCost::min};
  std::unique_ptr<SqliteStore> store;
  std::unique_ptr<DirectoryService> directory;
  std::unique_ptr<TicketService> tickets;
  Organization acme, globex;
  Team desk, partner, desktop, network, vendor;
  Actor l1, pa, l2, l3, va, sup, c1, c2;
};

}  // namespace fl::testing
