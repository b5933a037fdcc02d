#include "webhooks/curl_sender.hpp"

#include <curl/curl.h>

#include <deque>
#include <list>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "curl_support/curl_global.hpp"

namespace fl {

namespace {

// One post on its way: owns what libcurl reads from and writes into until it is done.
struct Transfer {
  OutboundPost post;
  std::function<void(PostOutcome)> done;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string response;
  std::size_t response_limit = 0;
  char error[CURL_ERROR_SIZE] = {};

  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    curl_slist_free_all(headers);
  }
};

std::size_t keep_start(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  if (t->response.size() < t->response_limit)
    t->response.append(data, std::min(bytes, t->response_limit - t->response.size()));
  return bytes;  // the rest is read and dropped, so the connection ends cleanly
}

}  // namespace

class CurlWebhookSender::Impl {
 public:
  explicit Impl(CurlSenderOptions options) : options_(options) { start_curl(); }

  ~Impl() { stop(); }

  void post(OutboundPost post, std::function<void(PostOutcome)> done) {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    queue_.push_back({std::move(post), std::move(done)});
    if (!thread_.joinable()) {
      multi_ = curl_multi_init();
      if (multi_ == nullptr) throw std::runtime_error("libcurl: no multi handle");
      thread_ = std::thread([this] { run(); });
    } else {
      curl_multi_wakeup(multi_);
    }
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      if (stopped_) return;
      stopped_ = true;
      if (multi_ != nullptr) curl_multi_wakeup(multi_);
    }
    if (thread_.joinable()) thread_.join();
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
    multi_ = nullptr;
  }

 private:
  struct Queued {
    OutboundPost post;
    std::function<void(PostOutcome)> done;
  };

  void run() {
    std::list<Transfer> running;
    for (;;) {
      std::deque<Queued> fresh;
      {
        std::lock_guard lock(mutex_);
        if (stopped_) break;
        fresh.swap(queue_);
      }
      for (auto& q : fresh) start(running, std::move(q));
      int still_running = 0;
      curl_multi_perform(multi_, &still_running);
      finish_done(running);
      curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
    }
    // Stopped: cut off what is left; its callbacks never run.
    for (auto& t : running) curl_multi_remove_handle(multi_, t.easy);
    running.clear();
  }

  void start(std::list<Transfer>& running, Queued q) {
    Transfer& t = running.emplace_back();
    t.post = std::move(q.post);
    t.done = std::move(q.done);
    t.response_limit = options_.response_limit;
    t.easy = curl_easy_init();
    if (t.easy == nullptr) {
      fail_now(running, t, "libcurl: no handle");
      return;
    }
    for (const auto& [name, value] : t.post.headers)
      t.headers = curl_slist_append(t.headers, (name + ": " + value).c_str());
    // No "Expect: 100-continue" round trip before the body.
    t.headers = curl_slist_append(t.headers, "Expect:");
    CURL* e = t.easy;
    curl_easy_setopt(e, CURLOPT_URL, t.post.url.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, t.post.body.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t.post.body.size()));
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, keep_start);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error);
    curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
    if (curl_multi_add_handle(multi_, e) != CURLM_OK) fail_now(running, t, "libcurl: not started");
  }

  // A transfer that could not start: answered at once, like any other failure.
  void fail_now(std::list<Transfer>& running, Transfer& t, std::string why) {
    PostOutcome o;
    o.error = std::move(why);
    auto done = std::move(t.done);
    running.remove_if([&](const Transfer& r) { return &r == &t; });
    done(std::move(o));
  }

  void finish_done(std::list<Transfer>& running) {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
      const CURLcode code = msg->data.result;
      PostOutcome o;
      long status = 0;
      curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
      if (code == CURLE_OK && status > 0) {
        o.status = static_cast<int>(status);
        o.response = std::move(t->response);
      } else {
        o.error = t->error[0] != '\0' ? std::string(t->error) : curl_easy_strerror(code);
      }
      curl_off_t micros = 0;
      curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME_T, &micros);
      o.duration = std::chrono::milliseconds(micros / 1000);
      curl_multi_remove_handle(multi_, t->easy);
      auto done = std::move(t->done);
      running.remove_if([&](const Transfer& r) { return &r == t; });
      done(std::move(o));
    }
  }

  const CurlSenderOptions options_;
  std::mutex mutex_;
  std::deque<Queued> queue_;
  bool stopped_ = false;
  CURLM* multi_ = nullptr;
  std::thread thread_;
};

CurlWebhookSender::CurlWebhookSender(CurlSenderOptions options)
    : impl_(std::make_unique<Impl>(options)) {}

CurlWebhookSender::~CurlWebhookSender() = default;

void CurlWebhookSender::post(OutboundPost post, std::function<void(PostOutcome)> done) {
  impl_->post(std::move(post), std::move(done));
}

void CurlWebhookSender::stop() {
  impl_->stop();
}

}  // namespace fl
