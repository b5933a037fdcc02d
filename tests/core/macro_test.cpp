#include "core/macro.hpp"

#include <gtest/gtest.h>

namespace fl {

TEST(Macro, PlaceholdersAreFilledAndUnknownBracesKept) {
  auto value = [](std::string_view name) -> std::string {
    if (name == "ticket.number") return "100042";
    if (name == "requester.name") return "Clara Kundin";
    return "?";
  };
  EXPECT_EQ(fill_placeholders("Hallo {{requester.name}}, zu #{{ ticket.number }}: {{x}} {{", value),
            "Hallo Clara Kundin, zu #100042: {{x}} {{");
  EXPECT_EQ(fill_placeholders("", value), "");
}

TEST(Macro, ValidationNamesTheFieldAndNormalisesTags) {
  Macro m{.name = "  Passwort zurückgesetzt ", .text = "Hallo {{requester.name}}"};
  m.add_tags = {"Password", "password", "AD"};
  ASSERT_TRUE(validate(m));
  EXPECT_EQ(m.name, "Passwort zurückgesetzt");
  EXPECT_EQ(m.add_tags, (std::vector<std::string>{"ad", "password"}));

  Macro unknown{.name = "x", .text = "Hi {{customer.name}}"};
  EXPECT_EQ(validate(unknown).error().fields.at(0).field, "text");
  Macro nothing{.name = "x"};
  EXPECT_EQ(validate(nothing).error().fields.at(0).field, "text");
  Macro status_only{.name = "x", .status = TicketStatus::pending_customer};
  EXPECT_TRUE(validate(status_only));
  Macro call{.name = "x", .entry_kind = EntryKind::call, .text = "x"};
  EXPECT_EQ(validate(call).error().fields.at(0).field, "entry_kind");
  Macro levels{.name = "x", .impact = 0};
  EXPECT_EQ(validate(levels).error().fields.at(0).field, "impact");
  Macro unnamed{.text = "x"};
  EXPECT_EQ(validate(unnamed).error().fields.at(0).field, "name");
}

}  // namespace fl
