#include "http/problem.hpp"

#include <boost/json.hpp>

namespace fl::http {

int status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
      return 422;
    case ErrorCode::not_found:
      return 404;
    case ErrorCode::failed_precondition:
      return 409;
    case ErrorCode::permission_denied:
      return 403;
    case ErrorCode::unauthenticated:
      return 401;
    case ErrorCode::conflict:
      return 409;
    case ErrorCode::resource_exhausted:
      return 429;
    case ErrorCode::unavailable:
      return 503;
    case ErrorCode::internal:
      return 500;
  }
  return 500;
}

namespace {

std::string_view title_for(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 426:
      return "Upgrade Required";
    case 429:
      return "Too Many Requests";
    case 503:
      return "Service Unavailable";
    default:
      return status >= 500 ? "Internal Server Error" : "Error";
  }
}

Response render(int status, std::string_view detail, std::string_view code,
                const std::vector<FieldError>& fields) {
  boost::json::object o;
  o["type"] = "about:blank";
  o["title"] = title_for(status);
  o["status"] = status;
  o["detail"] = detail;
  if (!code.empty()) o["code"] = code;
  if (!fields.empty()) {
    boost::json::array errors;
    for (const auto& f : fields) errors.push_back({{"field", f.field}, {"message", f.message}});
    o["errors"] = std::move(errors);
  }
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = boost::json::serialize(o);
  if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

}  // namespace

Response problem(const Error& error) {
  return render(status_for(error.code), error.message, to_string(error.code), error.fields);
}

Response problem(int status, std::string_view detail) {
  return render(status, detail, "", {});
}

}  // namespace fl::http
