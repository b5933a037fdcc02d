#include "http/router.hpp"

#include <spdlog/spdlog.h>

#include <exception>

#include "http/problem.hpp"

namespace fl::http {

namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool is_placeholder(const std::string& s) {
  return s.size() > 2 && s.front() == '{' && s.back() == '}';
}

bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
           PathParams& params) {
  if (pattern.size() != path.size()) return false;
  params.values.clear();
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_placeholder(pattern[i]))
      params.values.push_back(path[i]);
    else if (pattern[i] != path[i])
      return false;
  }
  return true;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, Execution execution) {
  auto segments = split_path(pattern);
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(segments),
                          std::move(handler), execution});
}

void Router::add_websocket(std::string pattern, WebSocketOpen open) {
  add(
      "GET", pattern,
      [](const Request&, const PathParams&) {
        auto r = problem(426, "this is a WebSocket endpoint: upgrade the connection");
        r.headers.emplace_back("Upgrade", "websocket");
        return r;
      },
      Execution::quick);
  auto segments = split_path(pattern);
  websockets_.push_back(WebSocketRoute{std::move(pattern), std::move(segments), std::move(open)});
}

const WebSocketOpen* Router::websocket(std::string_view path, std::string* pattern) const {
  auto segments = split_path(path);
  PathParams params;
  for (const auto& route : websockets_) {
    if (!match(route.segments, segments, params)) continue;
    if (pattern) *pattern = route.pattern;
    return &route.open;
  }
  return nullptr;
}

bool Router::is_quick(const Request& request) const {
  auto segments = split_path(request.path);
  PathParams params;
  for (const auto& route : routes_)
    if (route.method == request.method && match(route.segments, segments, params))
      return route.execution == Execution::quick;
  return false;
}

Dispatched Router::dispatch(const Request& request) const {
  auto segments = split_path(request.path);
  PathParams params;
  std::string allow;
  std::string allowed_route;
  for (const auto& route : routes_) {
    if (!match(route.segments, segments, params)) continue;
    if (route.method != request.method) {
      if (!allow.empty()) allow += ", ";
      allow += route.method;
      allowed_route = route.pattern;
      continue;
    }
    try {
      Dispatched d{route.handler(request, params), route.pattern};
      if (after_change_ && d.response.status >= 200 && d.response.status < 300 &&
          request.method != "GET" && request.method != "HEAD" && request.method != "OPTIONS")
        after_change_();
      return d;
    } catch (const std::exception& e) {
      spdlog::error("{} {}: unhandled exception: {}", request.method, request.path, e.what());
      return {problem(500, "internal error"), route.pattern};
    }
  }
  if (!allow.empty()) {
    auto r = problem(405, "method " + request.method + " is not allowed here");
    r.headers.emplace_back("Allow", allow);
    return {std::move(r), allowed_route};
  }
  return {problem(404, "no such resource: " + request.path), "unmatched"};
}

}  // namespace fl::http
