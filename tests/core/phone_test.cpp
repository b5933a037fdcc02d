#include "core/phone.hpp"

#include <gtest/gtest.h>

namespace fl {

namespace {

std::string normal(std::string_view text, std::string_view country = "49") {
  auto n = normalise_phone(text, country);
  return n ? *n : "error: " + n.error().message;
}

bool refused(std::string_view text, std::string_view country = "49") {
  auto n = normalise_phone(text, country);
  return !n && n.error().code == ErrorCode::invalid_argument;
}

}  // namespace

TEST(Phone, CommonSpellingsBecomeOneForm) {
  for (std::string_view spelling :
       {"+49301234567", "+49 30 1234567", "+49 30 1234-567", "+49 (0)30 1234567",
        "+49 (0) 30 1234567", "0049 30 1234567", "00 49 30 123 45 67", "(030) 1234567",
        "030/1234567", "030-123 45 67", "030.1234567", " 030 1234567 ", "\t+49-30-1234567"})
    EXPECT_EQ(normal(spelling), "+49301234567") << spelling;
}

TEST(Phone, NationalFormsUseTheDefaultCountryCode) {
  EXPECT_EQ(normal("0171 2345678"), "+491712345678");
  EXPECT_EQ(normal("(555) 123-4567", "1"), "+15551234567") << "no trunk prefix";
  EXPECT_EQ(normal("01 234 5678", "353"), "+35312345678");
  EXPECT_EQ(normal("+1 555 123 4567", "49"), "+15551234567") << "international wins";
  EXPECT_TRUE(refused("030 1234567", "")) << "no default: a national form is ambiguous";
  EXPECT_EQ(normal("+49 30 1234567", ""), "+49301234567");
  EXPECT_EQ(normal("0049 30 1234567", ""), "+49301234567");
}

TEST(Phone, RefusesWhatIsNotANumber) {
  for (std::string_view bad :
       {"", "   ", "+", "anonymous", "030 CALL ME", "+49 30 12+34", "+0 30 1234567", "000 1234567",
        "12345", "+49 30 1234567 890 1234", "030;1234567", "+49 30 1234567 x12", "0049"})
    EXPECT_TRUE(refused(bad)) << bad;
  EXPECT_TRUE(refused(std::string(65, '1')));
}

TEST(Phone, LengthLimitsAreE164) {
  EXPECT_EQ(normal("+1234567"), "+1234567") << "7 digits";
  EXPECT_TRUE(refused("+123456"));
  EXPECT_EQ(normal("+123456789012345"), "+123456789012345") << "15 digits";
  EXPECT_TRUE(refused("+1234567890123456"));
}

TEST(Phone, CountryCodesAndExtensions) {
  EXPECT_TRUE(is_country_code("49"));
  EXPECT_TRUE(is_country_code("1"));
  EXPECT_TRUE(is_country_code("353"));
  EXPECT_FALSE(is_country_code(""));
  EXPECT_FALSE(is_country_code("049"));
  EXPECT_FALSE(is_country_code("+49"));
  EXPECT_FALSE(is_country_code("4912"));
  EXPECT_TRUE(is_extension("201"));
  EXPECT_TRUE(is_extension("0"));
  EXPECT_FALSE(is_extension(""));
  EXPECT_FALSE(is_extension("20 1"));
  EXPECT_FALSE(is_extension("+201"));
  EXPECT_FALSE(is_extension(std::string(17, '1')));
}

}  // namespace fl
