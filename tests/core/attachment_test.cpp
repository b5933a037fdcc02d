#include "core/attachment.hpp"

#include <gtest/gtest.h>

namespace fl {
namespace {

TEST(SniffContentType, KnowsImagesPdfAndZipByTheirMagicBytes) {
  EXPECT_EQ(sniff_content_type(std::string("\x89PNG\r\n\x1A\n\0\0", 10), "x"), "image/png");
  EXPECT_EQ(sniff_content_type("\xFF\xD8\xFF\xE0rest", "x.bin"), "image/jpeg");
  EXPECT_EQ(sniff_content_type("GIF89a...", "x"), "image/gif");
  EXPECT_EQ(sniff_content_type(std::string("RIFF\x10\x00\x00\x00WEBPVP8 ", 16), "x"), "image/webp");
  EXPECT_EQ(sniff_content_type("%PDF-1.7\n", "x"), "application/pdf");
  const std::string zip("PK\x03\x04\x14\x00", 6);
  EXPECT_EQ(sniff_content_type(zip, "logs.zip"), "application/zip");
  EXPECT_EQ(sniff_content_type(zip, "Bericht.DOCX"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(sniff_content_type(zip, "a.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(sniff_content_type(zip, "a.pptx"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation");
}

TEST(SniffContentType, TextIsPlainAndNeverHtmlOrSvg) {
  EXPECT_EQ(sniff_content_type("Grüße aus Köln\n", "a.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(sniff_content_type("<html><script>alert(1)</script></html>", "a.html"),
            "text/plain; charset=utf-8");
  EXPECT_EQ(sniff_content_type("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "a.svg"),
            "text/plain; charset=utf-8");
  EXPECT_EQ(sniff_content_type(std::string("a\0b", 3), "a.txt"), "application/octet-stream");
  EXPECT_EQ(sniff_content_type("\xC3\x28", "a.txt"), "application/octet-stream");
  EXPECT_EQ(sniff_content_type("\x89PN", "a.png"), "application/octet-stream");
}

TEST(SanitiseFilename, KeepsUmlautsAndDropsPathsAndControls) {
  EXPECT_EQ(sanitise_filename("Prüfbericht Größe.pdf"), "Prüfbericht Größe.pdf");
  EXPECT_EQ(sanitise_filename("../../etc/passwd"), "passwd");
  EXPECT_EQ(sanitise_filename("C:\\Users\\jörg\\Ärger.txt"), "Ärger.txt");
  EXPECT_EQ(sanitise_filename("a\r\nb\x7f\tc.txt"), "abc.txt");
  EXPECT_EQ(sanitise_filename("x\xC2\x85y"), "xy") << "C1 control (NEL)";
  EXPECT_EQ(sanitise_filename("bad\xFFname"), "bad_name");
  EXPECT_EQ(sanitise_filename("  spaced.txt  "), "spaced.txt");
  EXPECT_EQ(sanitise_filename(""), "attachment");
  EXPECT_EQ(sanitise_filename("dir/"), "attachment");
  EXPECT_EQ(sanitise_filename(".."), "attachment");
}

TEST(SanitiseFilename, CutsLongNamesOnACharacterBoundaryKeepingTheExtension) {
  std::string stem;
  for (int i = 0; i < 200; ++i) stem += "ä";  // 2 bytes each
  const std::string name = sanitise_filename(stem + ".pdf");
  EXPECT_LE(name.size(), kMaxFilenameBytes);
  EXPECT_TRUE(name.ends_with("ä.pdf"));
  EXPECT_TRUE(is_valid_utf8(name));
}

TEST(ShowsInline, OnlyImagesAndPdf) {
  EXPECT_TRUE(shows_inline("image/png"));
  EXPECT_TRUE(shows_inline("application/pdf"));
  EXPECT_FALSE(shows_inline("text/plain; charset=utf-8"));
  EXPECT_FALSE(shows_inline("application/octet-stream"));
}

}  // namespace
}  // namespace fl
