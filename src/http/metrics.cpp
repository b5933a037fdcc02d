// Prometheus metrics: per-route series found under a shared lock and updated with atomics,
// so that recording a request costs a hash lookup and a few increments.
#include "http/metrics.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdint>
#include <exception>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

namespace fl::http {

namespace {

// Methods outside this list count as "OTHER": the method is client-chosen and an attacker
// must not be able to create unbounded series.
constexpr std::array<std::string_view, 9> kMethods = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"};
constexpr std::uint8_t kOtherMethod = kMethods.size();

std::uint8_t method_index(std::string_view method) {
  for (std::size_t i = 0; i < kMethods.size(); ++i)
    if (kMethods[i] == method) return static_cast<std::uint8_t>(i);
  return kOtherMethod;
}

std::string_view method_name(std::uint8_t index) {
  return index < kMethods.size() ? kMethods[index] : std::string_view("OTHER");
}

// Shortest round-trip digits in plain notation ("0.0005", not "5e-04"), as people read them.
std::string format_double(double value) {
  char buf[400];  // fixed notation of the largest double needs 309 digits
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  return ec == std::errc() ? std::string(buf, end) : std::string("NaN");
}

struct Counter {
  std::uint8_t method;
  int status;
  std::uint64_t count;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

struct Metrics::Impl {
  // One per route label. Never erased, so a pointer found under the shared lock stays valid.
  struct RouteSeries {
    explicit RouteSeries(std::string r) : route(std::move(r)) {}
    const std::string route;
    // Non-cumulative counts; the last slot is above the largest bound. Cumulated on render.
    std::array<std::atomic<std::uint64_t>, kLatencyBuckets.size() + 1> buckets{};
    std::atomic<std::uint64_t> sum_ns{0};
    // A route sees a handful of (method, status) pairs: a short vector under a mutex held
    // for a few compares is cheaper than another hash map.
    std::mutex counters_mutex;
    std::vector<Counter> counters;
  };

  RouteSeries& series(std::string_view route) {
    {
      std::shared_lock lock(routes_mutex);
      if (auto it = routes.find(route); it != routes.end()) return *it->second;
    }
    std::unique_lock lock(routes_mutex);
    auto [it, inserted] = routes.try_emplace(std::string(route), nullptr);
    if (inserted) it->second = std::make_unique<RouteSeries>(std::string(route));
    return *it->second;
  }

  mutable std::shared_mutex routes_mutex;
  std::unordered_map<std::string, std::unique_ptr<RouteSeries>, StringHash, std::equal_to<>> routes;

  mutable std::mutex collectors_mutex;
  std::vector<std::function<std::string()>> collectors;
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

void Metrics::record(std::string_view method, std::string_view route, int status,
                     std::chrono::nanoseconds duration) {
  auto& s = impl_->series(route);
  const std::int64_t ns = std::max<std::int64_t>(duration.count(), 0);
  // The first bound >= the observation: Prometheus buckets are "less than or equal".
  const double seconds = static_cast<double>(ns) / 1e9;
  const auto bucket = static_cast<std::size_t>(std::ranges::lower_bound(kLatencyBuckets, seconds) -
                                               kLatencyBuckets.begin());
  s.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  s.sum_ns.fetch_add(static_cast<std::uint64_t>(ns), std::memory_order_relaxed);

  const std::uint8_t m = method_index(method);
  std::lock_guard lock(s.counters_mutex);
  for (auto& c : s.counters) {
    if (c.method == m && c.status == status) {
      ++c.count;
      return;
    }
  }
  s.counters.push_back(Counter{m, status, 1});
}

void Metrics::add_collector(std::function<std::string()> collector) {
  std::lock_guard lock(impl_->collectors_mutex);
  impl_->collectors.push_back(std::move(collector));
}

std::string Metrics::render() const {
  std::vector<Impl::RouteSeries*> series;
  {
    std::shared_lock lock(impl_->routes_mutex);
    series.reserve(impl_->routes.size());
    for (const auto& [route, s] : impl_->routes) series.push_back(s.get());
  }
  std::ranges::sort(series, {}, &Impl::RouteSeries::route);

  std::string out;
  out +=
      "# HELP firstline_http_requests_total HTTP requests answered, by method, route pattern "
      "and status.\n"
      "# TYPE firstline_http_requests_total counter\n";
  for (auto* s : series) {
    std::vector<Counter> counters;
    {
      std::lock_guard lock(s->counters_mutex);
      counters = s->counters;
    }
    std::ranges::sort(counters, [](const Counter& a, const Counter& b) {
      if (a.method != b.method) return method_name(a.method) < method_name(b.method);
      return a.status < b.status;
    });
    const std::string route = escape_label_value(s->route);
    for (const auto& c : counters) {
      out += "firstline_http_requests_total{method=\"";
      out += method_name(c.method);
      out += "\",route=\"";
      out += route;
      out += "\",status=\"";
      out += std::to_string(c.status);
      out += "\"} ";
      out += std::to_string(c.count);
      out += '\n';
    }
  }

  out +=
      "# HELP firstline_http_request_duration_seconds Time from a request having been read to "
      "its response having been written, by route pattern.\n"
      "# TYPE firstline_http_request_duration_seconds histogram\n";
  for (auto* s : series) {
    const std::string route = escape_label_value(s->route);
    // _count is the +Inf bucket, so the two always agree within one scrape.
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= kLatencyBuckets.size(); ++i) {
      cumulative += s->buckets[i].load(std::memory_order_relaxed);
      out += "firstline_http_request_duration_seconds_bucket{route=\"";
      out += route;
      out += "\",le=\"";
      out += i < kLatencyBuckets.size() ? format_double(kLatencyBuckets[i]) : "+Inf";
      out += "\"} ";
      out += std::to_string(cumulative);
      out += '\n';
    }
    const double sum = static_cast<double>(s->sum_ns.load(std::memory_order_relaxed)) / 1e9;
    out += "firstline_http_request_duration_seconds_sum{route=\"" + route + "\"} ";
    out += format_double(sum);
    out += '\n';
    out += "firstline_http_request_duration_seconds_count{route=\"" + route + "\"} ";
    out += std::to_string(cumulative);
    out += '\n';
  }

  std::vector<std::function<std::string()>> collectors;
  {
    std::lock_guard lock(impl_->collectors_mutex);
    collectors = impl_->collectors;
  }
  for (const auto& collect : collectors) {
    try {
      std::string text = collect();
      if (text.empty()) continue;
      out += text;
      if (out.back() != '\n') out += '\n';
    } catch (const std::exception& e) {
      spdlog::warn("metrics collector failed: {}", e.what());
    } catch (...) {
      spdlog::warn("metrics collector failed with a non-standard exception");
    }
  }
  return out;
}

}  // namespace fl::http
