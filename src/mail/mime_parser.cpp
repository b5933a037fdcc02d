#include "mail/mime_parser.hpp"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <string>

#include "core/attachment.hpp"
#include "mail/html.hpp"

namespace fl::mail {

namespace {

struct GObjectUnref {
  void operator()(gpointer p) const {
    if (p) g_object_unref(p);
  }
};
template <class T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
  void operator()(gpointer p) const { g_free(p); }
};
using GString_ = std::unique_ptr<char, GFree>;

struct OptionsFree {
  void operator()(GMimeParserOptions* p) const { g_mime_parser_options_free(p); }
};

void init_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string str(const char* s) {
  return s ? std::string(s) : std::string{};
}

std::string trimmed(std::string s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// Invalid UTF-8 is read as Latin-1 (the commonest undeclared charset): nothing is lost and
// the result is valid UTF-8.
std::string as_utf8(std::string s) {
  if (is_valid_utf8(s)) return s;
  std::string out;
  out.reserve(s.size() + s.size() / 4);
  for (unsigned char c : s) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::string without_cr(std::string s) {
  std::erase(s, '\r');
  return s;
}

std::string stream_bytes(GMimeStream* stream) {
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
  if (!bytes || bytes->len == 0) return {};
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

// True when base64 text can be decoded without guessing: only the alphabet, white space and
// trailing padding, in whole groups of four.
bool is_sound_base64(std::string_view s) {
  std::size_t symbols = 0;
  std::size_t padding = 0;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isspace(u)) continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (!(std::isalnum(u) || c == '+' || c == '/')) return false;
    if (padding > 0) return false;  // data after padding
    ++symbols;
  }
  return padding <= 2 && (symbols + padding) % 4 == 0;
}

std::string extension_for(std::string_view mime_type) {
  if (mime_type == "image/png") return ".png";
  if (mime_type == "image/jpeg") return ".jpg";
  if (mime_type == "image/gif") return ".gif";
  if (mime_type == "image/webp") return ".webp";
  if (mime_type == "application/pdf") return ".pdf";
  if (mime_type == "message/rfc822") return ".eml";
  if (mime_type.starts_with("text/")) return ".txt";
  return ".bin";
}

std::string strip_angles(std::string s) {
  s = trimmed(std::move(s));
  if (s.starts_with('<')) s.erase(0, 1);
  if (s.ends_with('>')) s.pop_back();
  return s;
}

std::vector<MailAddress> addresses(InternetAddressList* list) {
  std::vector<MailAddress> out;
  if (!list) return out;
  int n = internet_address_list_length(list);
  for (int i = 0; i < n && out.size() < 500; ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
      std::string addr = lower(str(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a))));
      if (addr.empty()) continue;
      out.push_back({addr, as_utf8(trimmed(str(internet_address_get_name(a))))});
    } else if (INTERNET_ADDRESS_IS_GROUP(a)) {
      auto members = addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)));
      out.insert(out.end(), members.begin(), members.end());
    }
  }
  return out;
}

std::vector<std::string> message_ids(GMimeParserOptions* options, const char* header) {
  std::vector<std::string> out;
  if (!header) return out;
  GMimeReferences* refs = g_mime_references_parse(options, header);
  if (!refs) return out;
  int n = g_mime_references_length(refs);
  for (int i = 0; i < n && i < 100; ++i)
    out.push_back(str(g_mime_references_get_message_id(refs, i)));
  g_mime_references_free(refs);
  return out;
}

class Walker {
 public:
  Walker(InboundMail& mail, const MailLimits& limits) : mail_(mail), limits_(limits) {}

  void walk(GMimeObject* object, int depth) {
    if (!object) return;
    if (++parts_ > limits_.max_parts) {
      if (!parts_noted_)
        mail_.quarantine_notes.push_back("more than " + std::to_string(limits_.max_parts) +
                                         " parts: the rest is only in the original message");
      parts_noted_ = true;
      return;
    }
    if (depth > limits_.max_depth) {
      mail_.quarantine_notes.push_back("parts nested too deeply were left out");
      return;
    }
    GMimeContentType* type = g_mime_object_get_content_type(object);
    if (GMIME_IS_MULTIPART(object)) {
      if (type && g_mime_content_type_is_type(type, "multipart", "report") &&
          lower(str(g_mime_content_type_get_parameter(type, "report-type"))) == "delivery-status")
        mail_.delivery_report = true;
      GMimeMultipart* multipart = GMIME_MULTIPART(object);
      int n = g_mime_multipart_get_count(multipart);
      for (int i = 0; i < n; ++i) walk(g_mime_multipart_get_part(multipart, i), depth + 1);
      return;
    }
    if (GMIME_IS_MESSAGE_PART(object)) {
      // An attached message: kept whole as a file.
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
      if (!inner) return;
      GPtr<GMimeStream> out(g_mime_stream_mem_new());
      g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, out.get());
      std::string name = as_utf8(trimmed(str(g_mime_message_get_subject(inner))));
      add_file(MailFile{.filename = (name.empty() ? "message" : name) + ".eml",
                        .content_type = "message/rfc822",
                        .content = stream_bytes(out.get())});
      return;
    }
    if (GMIME_IS_PART(object)) leaf(GMIME_PART(object), type);
  }

  std::string html_;  // the first HTML body, raw

 private:
  void add_file(MailFile file) {
    if (file.content.empty()) return;
    mail_.files.push_back(std::move(file));
  }

  void leaf(GMimePart* part, GMimeContentType* type) {
    GString_ mime(type ? g_mime_content_type_get_mime_type(type) : nullptr);
    std::string mime_type = lower(mime ? mime.get() : "application/octet-stream");
    std::string filename = as_utf8(trimmed(str(g_mime_part_get_filename(part))));
    std::string content_id = strip_angles(str(g_mime_part_get_content_id(part)));
    const bool attachment = g_mime_part_is_attachment(part);
    const bool is_text = mime_type == "text/plain" || mime_type == "text/html";

    GMimeDataWrapper* wrapper = g_mime_part_get_content(part);
    if (!wrapper) return;
    if (g_mime_part_get_content_encoding(part) == GMIME_CONTENT_ENCODING_BASE64) {
      GMimeStream* encoded = g_mime_data_wrapper_get_stream(wrapper);
      GPtr<GMimeStream> copy(g_mime_stream_mem_new());
      g_mime_stream_reset(encoded);
      g_mime_stream_write_to_stream(encoded, copy.get());
      g_mime_stream_reset(encoded);
      std::string raw = stream_bytes(copy.get());
      if (!is_sound_base64(raw)) {
        std::string shown = filename.empty() ? mime_type + " part" : "'" + filename + "'";
        mail_.quarantine_notes.push_back(shown +
                                         " could not be decoded (broken base64); kept as it came");
        add_file(MailFile{.filename = (filename.empty() ? "part" : filename) + ".quarantined.txt",
                          .content_type = "text/plain",
                          .content = raw});
        return;
      }
    }

    if (is_text && !attachment && filename.empty()) {
      GString_ text(g_mime_text_part_get_text(GMIME_TEXT_PART(part)));
      std::string body = text ? std::string(text.get()) : decoded(wrapper);
      body = without_cr(as_utf8(std::move(body)));
      if (mime_type == "text/html") {
        if (html_.empty()) {
          html_ = std::move(body);
          return;
        }
        add_file(MailFile{
            .filename = "part.html", .content_type = "text/html", .content = std::move(body)});
        return;
      }
      if (!mail_.text.empty()) mail_.text += "\n\n";
      mail_.text += body;
      return;
    }
    // Delivery reports' machine parts are text too: kept as files with the report.
    const bool image = mime_type.starts_with("image/");
    MailFile file{.filename = filename,
                  .content_type = mime_type,
                  .content = decoded(wrapper),
                  .content_id = content_id,
                  .is_inline = image && !attachment && !content_id.empty()};
    if (file.filename.empty())
      file.filename = (file.is_inline ? "image-" : "attachment-") +
                      std::to_string(mail_.files.size() + 1) + extension_for(mime_type);
    add_file(std::move(file));
  }

  static std::string decoded(GMimeDataWrapper* wrapper) {
    GPtr<GMimeStream> out(g_mime_stream_mem_new());
    g_mime_data_wrapper_write_to_stream(wrapper, out.get());
    return stream_bytes(out.get());
  }

  InboundMail& mail_;
  const MailLimits& limits_;
  std::size_t parts_ = 0;
  bool parts_noted_ = false;
};

// A message starts with a header field ("Name:"), perhaps after an mbox "From " line.
bool looks_like_message(std::string_view raw) {
  if (raw.starts_with("From ")) {
    auto nl = raw.find('\n');
    if (nl == std::string_view::npos) return false;
    raw.remove_prefix(nl + 1);
  }
  std::size_t i = 0;
  while (i < raw.size() && i < 1000 && raw[i] != ':') {
    auto u = static_cast<unsigned char>(raw[i]);
    if (u <= 0x20 || u >= 0x7F) return false;
    ++i;
  }
  return i > 0 && i < raw.size() && raw[i] == ':';
}

}  // namespace

Result<InboundMail> parse_mail(std::string_view raw, const MailLimits& limits) {
  if (raw.size() > limits.max_message_bytes)
    return fail(
        ErrorCode::invalid_argument,
        "the message is larger than " + std::to_string(limits.max_message_bytes) + " bytes");
  if (!looks_like_message(raw))
    return fail(ErrorCode::invalid_argument, "not an e-mail message (no header)");
  init_gmime();

  std::unique_ptr<GMimeParserOptions, OptionsFree> options(g_mime_parser_options_new());
  const char* fallback[] = {"UTF-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(options.get(), fallback);
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
  if (!message) return fail(ErrorCode::invalid_argument, "not an e-mail message");
  GMimeObject* object = GMIME_OBJECT(message.get());

  InboundMail mail;
  mail.message_id = strip_angles(str(g_mime_message_get_message_id(message.get())));
  auto in_reply_to = message_ids(options.get(), g_mime_object_get_header(object, "In-Reply-To"));
  if (!in_reply_to.empty()) mail.in_reply_to = in_reply_to.front();
  mail.references = message_ids(options.get(), g_mime_object_get_header(object, "References"));
  auto from = addresses(g_mime_message_get_from(message.get()));
  if (from.empty()) from = addresses(g_mime_message_get_sender(message.get()));
  if (from.empty()) return fail(ErrorCode::invalid_argument, "the message has no sender (From)");
  mail.from = from.front();
  mail.to = addresses(g_mime_message_get_to(message.get()));
  mail.cc = addresses(g_mime_message_get_cc(message.get()));
  mail.subject = as_utf8(trimmed(str(g_mime_message_get_subject(message.get()))));
  mail.date_header = trimmed(str(g_mime_object_get_header(object, "Date")));
  if (GDateTime* date = g_mime_message_get_date(message.get()))
    mail.date = from_millis(g_date_time_to_unix(date) * 1000);
  mail.auto_submitted = lower(trimmed(str(g_mime_object_get_header(object, "Auto-Submitted"))));
  if (auto semi = mail.auto_submitted.find(';'); semi != std::string::npos)
    mail.auto_submitted = trimmed(mail.auto_submitted.substr(0, semi));
  mail.precedence = lower(trimmed(str(g_mime_object_get_header(object, "Precedence"))));
  mail.autoreply_header = g_mime_object_get_header(object, "X-Autoreply") != nullptr ||
                          g_mime_object_get_header(object, "X-Autorespond") != nullptr;

  Walker walker(mail, limits);
  walker.walk(g_mime_message_get_mime_part(message.get()), 0);
  if (!walker.html_.empty()) {
    if (trimmed(mail.text).empty()) mail.text = html_to_text(walker.html_);
    mail.html = sanitise_html(walker.html_);
  }
  mail.text = trimmed(std::move(mail.text));
  return mail;
}

}  // namespace fl::mail
