// IMAP folder names without a server: the folder a mailbox URL names, and modified UTF-7
// (RFC 3501 5.1.3), the only way a non-ASCII folder name may go over the wire.
#include <gtest/gtest.h>

#include "mail/imap_client.hpp"

namespace fl {

namespace {

std::string wire(std::string_view utf8) {
  auto encoded = imap_mailbox_name(utf8);
  return encoded ? *encoded : "error: " + encoded.error().message;
}

}  // namespace

TEST(ImapFolder, ComesFromTheUrlsPath) {
  EXPECT_EQ(imap_folder("imaps://mail.example.com:993/INBOX"), "INBOX");
  EXPECT_EQ(imap_folder("imap://mail.example.com"), "INBOX");
  EXPECT_EQ(imap_folder("imap://mail.example.com/"), "INBOX");
  EXPECT_EQ(imap_folder("imap://h/Service%20Desk"), "Service Desk");
  EXPECT_EQ(imap_folder("imap://h/INBOX.Desk"), "INBOX.Desk");
  EXPECT_EQ(imap_folder("imap://h/B%C3%BCro"), "Büro");  // UTF-8; encoded when sent
  EXPECT_FALSE(imap_folder("https://h/INBOX"));
  EXPECT_FALSE(imap_folder("imap://h/IN%0ABOX"));  // a line break
  EXPECT_FALSE(imap_folder("imap://h/B%FCro"));    // Latin-1, not UTF-8
}

TEST(ImapMailboxName, KnownVectors) {
  EXPECT_EQ(wire("INBOX"), "INBOX");
  EXPECT_EQ(wire("Entwürfe"), "Entw&APw-rfe");
  EXPECT_EQ(wire("&"), "&-");
  EXPECT_EQ(wire("日本語"), "&ZeVnLIqe-");
  EXPECT_EQ(wire("Erledigt/Übernommen"), "Erledigt/&ANw-bernommen");
  // RFC 3501's own example: "," stands for base64's "/".
  EXPECT_EQ(wire("~peter/mail/台北/日本語"), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
}

TEST(ImapMailboxName, RunsAmpersandsSpacesAndSurrogatePairs) {
  EXPECT_EQ(wire(""), "");
  EXPECT_EQ(wire("Ä&Ö"), "&AMQ-&-&ANY-");
  EXPECT_EQ(wire("a&b&&c"), "a&-b&-&-c");
  EXPECT_EQ(wire("Ablage ÄÖÜ äöü ß"), "Ablage &AMQA1gDc- &AOQA9gD8- &AN8-");
  EXPECT_EQ(wire("😀"), "&2D3eAA-");                       // U+1F600: a surrogate pair in UTF-16
  EXPECT_EQ(wire("\"quoted\" \\ ~"), "\"quoted\" \\ ~");  // quoting is the command's job
}

TEST(ImapMailboxName, RefusesControlCharactersAndBrokenUtf8) {
  for (std::string_view bad :
       {std::string_view("a\nb"), std::string_view("\r"), std::string_view("tab\there"),
        std::string_view("\x7f"), std::string_view("nul\0x", 5), std::string_view("\xc2\x85"),
        std::string_view("\xc2\x9f")}) {
    auto r = imap_mailbox_name(bad);
    ASSERT_FALSE(r) << "accepted a control character";
    EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(r.error().message.find("control"), std::string::npos);
  }
  for (std::string_view bad :
       {"\xff", "B\xfcro", "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"}) {
    auto r = imap_mailbox_name(bad);
    ASSERT_FALSE(r) << "accepted broken UTF-8";
    EXPECT_NE(r.error().message.find("UTF-8"), std::string::npos);
  }
  EXPECT_EQ(wire("\xc2\xa0"), "&AKA-");  // U+00A0 (no-break space) is no control character
}

}  // namespace fl
