#include "core/attachment.hpp"

#include <algorithm>
#include <array>

namespace fl {

namespace {

bool starts_with(std::string_view bytes, std::string_view magic) {
  return bytes.substr(0, magic.size()) == magic;
}

std::string lower_extension(std::string_view filename) {
  auto dot = filename.rfind('.');
  if (dot == std::string_view::npos) return {};
  std::string ext(filename.substr(dot + 1));
  std::ranges::transform(ext, ext.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return ext;
}

// Length of the valid UTF-8 sequence at the start of `s`, 0 if it is not one.
std::size_t utf8_sequence(std::string_view s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return 1;
  std::size_t n = 0;
  char32_t min = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2, min = 0x80, cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3, min = 0x800, cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4, min = 0x10000, cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (s.size() < n) return 0;
  for (std::size_t i = 1; i < n; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// A C0 or C1 control character, or DEL (a UTF-8 sequence of `n` bytes at `s`).
bool is_control(std::string_view s, std::size_t n) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (n == 1) return b0 < 0x20 || b0 == 0x7F;
  return n == 2 && b0 == 0xC2 && static_cast<unsigned char>(s[1]) < 0xA0;  // U+0080..U+009F
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = utf8_sequence(text.substr(i));
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string sniff_content_type(std::string_view bytes, std::string_view filename) {
  if (starts_with(bytes, "\x89PNG\r\n\x1A\n")) return "image/png";
  if (starts_with(bytes, "\xFF\xD8\xFF")) return "image/jpeg";
  if (starts_with(bytes, "GIF87a") || starts_with(bytes, "GIF89a")) return "image/gif";
  if (bytes.size() >= 12 && starts_with(bytes, "RIFF") && bytes.substr(8, 4) == "WEBP")
    return "image/webp";
  if (starts_with(bytes, "%PDF-")) return "application/pdf";
  if (starts_with(bytes, std::string_view("PK\x03\x04", 4)) ||
      starts_with(bytes, std::string_view("PK\x05\x06", 4))) {
    // Office Open XML files are zip archives; only the name tells them apart.
    const std::string ext = lower_extension(filename);
    if (ext == "docx")
      return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (ext == "xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (ext == "pptx")
      return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    return "application/zip";
  }
  if (bytes.find('\0') == std::string_view::npos && is_valid_utf8(bytes))
    return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::string sanitise_filename(std::string_view raw) {
  if (auto slash = raw.find_last_of("/\\"); slash != std::string_view::npos)
    raw = raw.substr(slash + 1);
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size();) {
    std::size_t n = utf8_sequence(raw.substr(i));
    if (n == 0) {
      out += '_';
      ++i;
      continue;
    }
    if (!is_control(raw.substr(i), n)) out.append(raw.substr(i, n));
    i += n;
  }
  // Surrounding blanks, and names that mean "this folder" or "the one above".
  auto first = out.find_first_not_of(' ');
  auto last = out.find_last_not_of(' ');
  out = first == std::string::npos ? std::string{} : out.substr(first, last - first + 1);
  if (out.empty() || out == "." || out == "..") return "attachment";
  if (out.size() <= kMaxFilenameBytes) return out;

  // Too long: cut the stem on a character boundary and keep a short extension.
  std::string ext;
  if (auto dot = out.rfind('.'); dot != std::string::npos && out.size() - dot <= 16)
    ext = out.substr(dot);
  std::size_t keep = kMaxFilenameBytes - ext.size();
  while (keep > 0 && (static_cast<unsigned char>(out[keep]) & 0xC0) == 0x80) --keep;
  return out.substr(0, keep) + ext;
}

bool shows_inline(std::string_view content_type) {
  static constexpr std::array<std::string_view, 5> kInline{"image/png", "image/jpeg", "image/gif",
                                                           "image/webp", "application/pdf"};
  return std::ranges::find(kInline, content_type) != kInline.end();
}

}  // namespace fl
