// Request metrics for Prometheus: a counter per (method, route, status) and a latency
// histogram per route, rendered in the text exposition format 0.0.4 at /metrics. The server
// records every request here; the app appends its own gauges through collectors.
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace fl::http {

// Thread-safe. record() is on the hot path of every request (tens of thousands per second
// from several threads): after a route's first request it takes only a shared lock and
// atomic increments. Label cardinality stays bounded: `route` must be a route pattern (or a
// fixed label such as "unmatched"), never a raw path, and unknown methods count as "OTHER".
class Metrics {
 public:
  // Upper bounds of the latency histogram's buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 12> kLatencyBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  void record(std::string_view method, std::string_view route, int status,
              std::chrono::nanoseconds duration);

  // `collector` returns complete exposition lines (with their # HELP and # TYPE lines); it is
  // called on every render(), outside any lock here, so it may be slow or query the store.
  // An exception from it is logged and its text left out of that scrape.
  void add_collector(std::function<std::string()> collector);

  // The whole exposition; serve it as "text/plain; version=0.0.4; charset=utf-8".
  [[nodiscard]] std::string render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A label value escaped for the exposition format (backslash, double quote, newline), for
// collectors that build their own lines: name{team="<escaped>"} 3.
[[nodiscard]] std::string escape_label_value(std::string_view value);

}  // namespace fl::http
