// A webhook receiver on loopback (port 0) for tests: records every request with its headers
// and answers as the test scripted it per path — a status after a delay, or no answer at all
// until it stops. Plain POSIX sockets and a minimal HTTP/1.1 reader (one request per
// connection), so it costs no Beast compile and sees the raw headers.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fl::testing {

struct ReceivedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::chrono::steady_clock::time_point at;

  [[nodiscard]] std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct ScriptedReply {
  int status = 200;
  std::string body = "ok";
  std::chrono::milliseconds delay{0};
  bool silent = false;  // read the request, never answer (until the receiver stops)
  std::vector<std::pair<std::string, std::string>> headers;
};

class WebhookReceiver {
 public:
  WebhookReceiver() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_, 64) != 0)
      throw std::runtime_error("receiver: cannot listen");
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~WebhookReceiver() { stop(); }
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  [[nodiscard]] unsigned short port() const { return port_; }
  [[nodiscard]] std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  // The next requests to `path` get these replies, in order; after them, `otherwise(path)`.
  void script(const std::string& path, std::vector<ScriptedReply> replies) {
    std::lock_guard lock(mutex_);
    for (auto& r : replies) scripts_[path].push_back(std::move(r));
  }
  void otherwise(const std::string& path, ScriptedReply reply) {
    std::lock_guard lock(mutex_);
    defaults_[path] = std::move(reply);
  }

  [[nodiscard]] std::vector<ReceivedRequest> received(const std::string& path = "") const {
    std::lock_guard lock(mutex_);
    std::vector<ReceivedRequest> out;
    for (const auto& r : received_)
      if (path.empty() || r.path == path) out.push_back(r);
    return out;
  }

  // Waits until `count` requests (to `path`, or any) have come in.
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout,
                const std::string& path = "") {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, timeout, [&] {
      return static_cast<std::size_t>(std::ranges::count_if(received_, [&](const auto& r) {
               return path.empty() || r.path == path;
             })) >= count;
    });
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
      for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
    }
    released_.notify_all();
    if (acceptor_.joinable()) acceptor_.join();
    for (auto& t : connections_) t.join();
    ::close(listener_);
  }

 private:
  void accept_loop() {
    for (;;) {
      pollfd p{listener_, POLLIN, 0};
      const int ready = ::poll(&p, 1, 50);
      {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        if (ready <= 0) continue;
        const int fd = ::accept(listener_, nullptr, nullptr);
        if (fd < 0) continue;
        open_.push_back(fd);
        connections_.emplace_back([this, fd] { serve(fd); });
      }
    }
  }

  // Reads one request: the head up to the blank line, then Content-Length bytes of body.
  static bool read_request(int fd, ReceivedRequest& out) {
    std::string data;
    char buffer[4096];
    std::size_t head_end = std::string::npos;
    while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) return false;
      data.append(buffer, static_cast<std::size_t>(n));
    }
    std::string head = data.substr(0, head_end);
    std::size_t line_end = head.find("\r\n");
    std::string request_line = head.substr(0, line_end);
    auto sp1 = request_line.find(' ');
    auto sp2 = request_line.find(' ', sp1 + 1);
    out.method = request_line.substr(0, sp1);
    out.path = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      std::size_t end = head.find("\r\n", pos);
      if (end == std::string::npos) end = head.size();
      std::string line = head.substr(pos, end - pos);
      auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::ranges::transform(name, name.begin(), [](unsigned char c) { return std::tolower(c); });
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        out.headers[name] = value;
      }
      pos = end + 2;
    }
    std::size_t length = 0;
    if (auto it = out.headers.find("content-length"); it != out.headers.end())
      length = std::stoul(it->second);
    out.body = data.substr(head_end + 4);
    while (out.body.size() < length) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) return false;
      out.body.append(buffer, static_cast<std::size_t>(n));
    }
    out.at = std::chrono::steady_clock::now();
    return true;
  }

  void serve(int fd) {
    ReceivedRequest request;
    if (read_request(fd, request)) {
      ScriptedReply reply;
      {
        std::lock_guard lock(mutex_);
        auto& queue = scripts_[request.path];
        if (!queue.empty()) {
          reply = std::move(queue.front());
          queue.pop_front();
        } else if (auto it = defaults_.find(request.path); it != defaults_.end()) {
          reply = it->second;
        }
        received_.push_back(request);
      }
      arrived_.notify_all();
      std::unique_lock lock(mutex_);
      if (reply.silent) {
        released_.wait(lock, [&] { return stopping_; });
      } else {
        released_.wait_for(lock, reply.delay, [&] { return stopping_; });
        lock.unlock();
        std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " Scripted\r\n" +
                          "Content-Length: " + std::to_string(reply.body.size()) +
                          "\r\nConnection: close\r\n";
        for (const auto& [name, value] : reply.headers) out += name + ": " + value + "\r\n";
        out += "\r\n" + reply.body;
        (void)::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
      }
    }
    std::lock_guard lock(mutex_);
    std::erase(open_, fd);
    ::close(fd);
  }

  int listener_ = -1;
  unsigned short port_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::condition_variable released_;
  bool stopping_ = false;
  std::map<std::string, std::deque<ScriptedReply>> scripts_;
  std::map<std::string, ScriptedReply> defaults_;
  std::vector<ReceivedRequest> received_;
  std::vector<int> open_;
  std::vector<std::thread> connections_;
  std::thread acceptor_;
};

}  // namespace fl::testing
