// Uploads (POST /api/v1/uploads) and attachment downloads (GET /api/v1/attachments/{id}).
// An upload's body is the file itself, not JSON; the entry that uses it names its id.
#include "http/api_common.hpp"
#include "http/json_mapping.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

// RFC 5987 attr-char: what may stand unencoded in filename*.
bool is_attr_char(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

// If-None-Match: "*" or a comma-separated list of tags, weak ones (W/"...") included.
bool matches_etag(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266): the plain
// name for old clients (non-ASCII, quotes and backslashes as '_'), the exact one for the rest.
std::string content_disposition(std::string_view filename, bool inline_) {
  std::string fallback;
  std::string encoded;
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  for (char ch : filename) {
    const auto c = static_cast<unsigned char>(ch);
    fallback += c < 0x20 || c >= 0x7F || c == '"' || c == '\\' ? '_' : ch;
    if (is_attr_char(c)) {
      encoded += ch;
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0x0F];
    }
  }
  return std::string(inline_ ? "inline" : "attachment") + "; filename=\"" + fallback +
         "\"; filename*=UTF-8''" + encoded;
}

void add_attachment_routes(Router& router, ApiServices& s) {
  router.add("POST", "/api/v1/uploads", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto filename = r.param("filename");
    if (!filename || filename->empty())
      return problem(invalid_field("filename", "required: the file's name").error());
    // The server's route limit stops larger bodies before they are read; this is the same
    // limit, kept here so the answer does not depend on how the server was set up.
    if (std::cmp_greater(r.body.size(), s.attachments.options().max_bytes))
      return problem(413, "the file is larger than " +
                              std::to_string(s.attachments.options().max_bytes) + " bytes");
    auto stored = s.attachments.upload(**session, *filename, r.body);
    if (!stored) return problem(stored.error());
    auto response = json_response(201, to_json(*stored, true));
    response.headers.emplace_back("Location", "/api/v1/attachments/" + std::to_string(stored->id));
    return response;
  });
  router.add("GET", "/api/v1/attachments/{id}", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto id = parse_id(p[0]);
    if (!id) return bad_id("attachment");
    auto file = s.attachments.download(**session, *id);
    if (!file) return problem(file.error());
    const Attachment& a = file->attachment;
    Response out;
    const std::string etag = "\"" + a.sha256 + "\"";
    out.headers = {
        {"ETag", etag},
        // A browser may keep it, but asks again each time: access can change.
        {"Cache-Control", "private, no-cache"},
        {"X-Content-Type-Options", "nosniff"},
        {"Content-Security-Policy", "sandbox"},
        {"Content-Disposition", content_disposition(a.filename, shows_inline(a.content_type))},
    };
    if (matches_etag(r.if_none_match, etag)) {
      out.status = 304;
      return out;
    }
    out.content_type = a.content_type;
    out.body = std::move(file->content);
    return out;
  });
}

}  // namespace fl::http
