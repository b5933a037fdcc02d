#include "mail/imap_poller.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace fl {

namespace {

// Messages left in the folder on purpose are never searched for again.
std::string search_key(AfterIngest after) {
  std::string key = after == AfterIngest::mark_seen ? "UNSEEN UNDELETED" : "UNDELETED";
  return key + " UNKEYWORD " + std::string(kRejectedKeyword) + " UNKEYWORD " +
         std::string(kTooLargeKeyword);
}

Result<void> settle(ImapSession& session, const ImapMailbox& mailbox, std::uint32_t uid) {
  switch (mailbox.after) {
    case AfterIngest::mark_seen:
      return session.add_flags(uid, "\\Seen");
    case AfterIngest::move:
      return session.move(uid, mailbox.move_to);
    case AfterIngest::remove:
      return session.remove(uid);
  }
  return {};
}

// Leaves a message where it is, never to be taken again. A server without custom keywords
// answers NO: with after = seen, \Seen keeps it out of the search as well.
Result<void> leave_flagged(ImapSession& session, const ImapMailbox& mailbox, std::uint32_t uid,
                           std::string_view keyword) {
  auto flagged = session.add_flags(uid, keyword);
  if (!flagged && flagged.error().code == ErrorCode::failed_precondition &&
      mailbox.after == AfterIngest::mark_seen) {
    spdlog::warn("mail {}: the server keeps no {} keyword ({}); message UID {} marked \\Seen",
                 mailbox.name, keyword, flagged.error().message, uid);
    return session.add_flags(uid, "\\Seen");
  }
  return flagged;
}

}  // namespace

PollReport poll_mailbox(const ImapMailbox& mailbox, MailSink& sink,
                        const std::atomic<bool>* cancel) {
  PollReport report;
  ImapAccount account = mailbox.account;
  // A server that sends more than it announced in RFC822.SIZE is cut off.
  account.max_literal_bytes = mailbox.max_message_bytes + 64 * 1024;
  auto opened = ImapSession::open(account, cancel);
  if (!opened) {
    report.error = opened.error();
    return report;
  }
  ImapSession& session = **opened;
  auto uids = session.search(search_key(mailbox.after));
  if (!uids) {
    report.error = uids.error();
    return report;
  }
  if (uids->empty()) return report;
  auto sizes = session.sizes(*uids);
  if (!sizes) {
    report.error = sizes.error();
    return report;
  }
  for (const auto& [uid, bytes] : *sizes) {
    if (cancel != nullptr && cancel->load()) {
      report.error = Error{ErrorCode::unavailable, "cancelled (shutting down)"};
      return report;
    }
    if (bytes > mailbox.max_message_bytes) {
      spdlog::warn(
          "mail {}: message UID {} has {} bytes, more than max_message_bytes ({}): "
          "left in the folder, flagged {}",
          mailbox.name, uid, bytes, mailbox.max_message_bytes, kTooLargeKeyword);
      if (auto flagged = leave_flagged(session, mailbox, uid, kTooLargeKeyword); !flagged) {
        report.error = flagged.error();
        return report;
      }
      ++report.too_large;
      continue;
    }
    auto raw = session.fetch(uid);
    if (!raw && raw.error().code == ErrorCode::not_found) continue;  // expunged meanwhile
    if (!raw) {
      report.error = raw.error();
      return report;
    }
    auto ingested = sink.ingest(mailbox.name, *raw);
    if (!ingested && ingested.error().code == ErrorCode::invalid_argument) {
      // Never accepted: moved aside so it does not block the messages behind it.
      spdlog::warn("mail {}: message UID {} refused ({}): {}", mailbox.name, uid,
                   ingested.error().message,
                   mailbox.quarantine.empty() ? "flagged " + std::string(kRejectedKeyword)
                                              : "moved to " + mailbox.quarantine);
      auto aside = mailbox.quarantine.empty()
                       ? leave_flagged(session, mailbox, uid, kRejectedKeyword)
                       : session.move(uid, mailbox.quarantine);
      if (!aside) {
        report.error = aside.error();
        return report;
      }
      ++report.refused;
      continue;
    }
    if (!ingested) {
      ++report.deferred;
      report.error = ingested.error();
      return report;
    }
    switch (ingested->outcome) {
      case IngestOutcome::created:
        ++report.created;
        break;
      case IngestOutcome::appended:
        ++report.appended;
        break;
      case IngestOutcome::duplicate:
        ++report.duplicate;
        break;
      case IngestOutcome::ignored:
        ++report.ignored;
        break;
    }
    // Committed: only now may the server forget it, and a shutdown waits for that one
    // command. Should it fail, the next poll offers it again and the sink says duplicate.
    session.set_cancel(nullptr);
    auto settled = settle(session, mailbox, uid);
    session.set_cancel(cancel);
    if (!settled) {
      report.error = settled.error();
      return report;
    }
  }
  return report;
}

std::string imap_metrics(const std::vector<MailboxStats>& stats) {
  std::string out =
      "# HELP firstline_imap_polls_total IMAP polls since the start, by mailbox and result.\n"
      "# TYPE firstline_imap_polls_total counter\n";
  auto label = [](const std::string& name) {
    std::string escaped;
    for (char c : name) {
      if (c == '\\' || c == '"') escaped += '\\';
      escaped += c == '\n' ? 'n' : c;
    }
    return escaped;
  };
  for (const auto& s : stats) {
    out += fmt::format("firstline_imap_polls_total{{mailbox=\"{}\",result=\"ok\"}} {}\n",
                       label(s.name), s.polls - s.failed_polls);
    out += fmt::format("firstline_imap_polls_total{{mailbox=\"{}\",result=\"failed\"}} {}\n",
                       label(s.name), s.failed_polls);
  }
  out +=
      "# HELP firstline_imap_login_failures_total IMAP logins the server refused.\n"
      "# TYPE firstline_imap_login_failures_total counter\n";
  for (const auto& s : stats)
    out += fmt::format("firstline_imap_login_failures_total{{mailbox=\"{}\"}} {}\n", label(s.name),
                       s.login_failures);
  out +=
      "# HELP firstline_imap_messages_total Messages taken from IMAP mailboxes, by outcome "
      "(deferred: a temporary error, taken again later).\n"
      "# TYPE firstline_imap_messages_total counter\n";
  for (const auto& s : stats) {
    const std::pair<const char*, std::int64_t> rows[] = {
        {"created", s.created},  {"appended", s.appended}, {"duplicate", s.duplicate},
        {"ignored", s.ignored},  {"refused", s.refused},   {"too_large", s.too_large},
        {"deferred", s.deferred}};
    for (const auto& [outcome, n] : rows)
      out += fmt::format("firstline_imap_messages_total{{mailbox=\"{}\",outcome=\"{}\"}} {}\n",
                         label(s.name), outcome, n);
  }
  out +=
      "# HELP firstline_imap_last_poll_seconds How long the last poll of a mailbox took.\n"
      "# TYPE firstline_imap_last_poll_seconds gauge\n";
  for (const auto& s : stats)
    out += fmt::format("firstline_imap_last_poll_seconds{{mailbox=\"{}\"}} {:.3f}\n", label(s.name),
                       s.last_poll_seconds);
  return out;
}

ImapPoller::ImapPoller(std::vector<ImapMailbox> mailboxes, MailSink& sink, const Clock& clock,
                       ImapPollerOptions options)
    : mailboxes_(std::move(mailboxes)),
      sink_(sink),
      clock_(clock),
      options_(std::move(options)),
      states_(mailboxes_.size()) {
  for (std::size_t i = 0; i < mailboxes_.size(); ++i) states_[i].stats.name = mailboxes_[i].name;
}

ImapPoller::~ImapPoller() {
  stop();
}

void ImapPoller::start() {
  std::lock_guard lock(mutex_);
  if (!workers_.empty() || stopping_ || mailboxes_.empty()) return;
  const auto n = std::clamp<std::size_t>(static_cast<std::size_t>(options_.max_parallel), 1,
                                         mailboxes_.size());
  for (std::size_t i = 0; i < n; ++i) workers_.emplace_back([this] { work(); });
  ticker_ = std::thread([this] {
    if (options_.on_thread_start) options_.on_thread_start();
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      tick();
      lock.lock();
      changed_.wait_for(lock, options_.resolution, [this] { return stopping_; });
    }
  });
}

void ImapPoller::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    cancel_ = true;
  }
  changed_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  for (auto& w : workers_)
    if (w.joinable()) w.join();
}

int ImapPoller::tick() {
  const Timestamp now = clock_.now();
  int queued = 0;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return 0;
    for (std::size_t i = 0; i < mailboxes_.size(); ++i) {
      State& s = states_[i];
      if (s.busy) continue;
      // A clock set back must not stall a mailbox for the difference.
      if (s.last_started && now >= *s.last_started &&
          now - *s.last_started < mailboxes_[i].interval)
        continue;
      s.busy = true;
      s.last_started = now;
      queue_.push_back(i);
      ++queued;
    }
  }
  if (queued > 0) changed_.notify_all();
  return queued;
}

void ImapPoller::wait_idle() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return stopping_ || (queue_.empty() && running_ == 0); });
}

std::vector<MailboxStats> ImapPoller::stats() const {
  std::lock_guard lock(mutex_);
  std::vector<MailboxStats> out;
  for (const auto& s : states_) out.push_back(s.stats);
  return out;
}

void ImapPoller::work() {
  if (options_.on_thread_start) options_.on_thread_start();
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    const std::size_t index = queue_.front();
    queue_.pop_front();
    ++running_;
    lock.unlock();
    const auto started = std::chrono::steady_clock::now();
    const PollReport report = poll_mailbox(mailboxes_[index], sink_, &cancel_);
    record(index, report, std::chrono::steady_clock::now() - started);
    lock.lock();
    --running_;
    states_[index].busy = false;
    changed_.notify_all();
  }
}

void ImapPoller::record(std::size_t index, const PollReport& report,
                        std::chrono::nanoseconds took) {
  const ImapMailbox& mailbox = mailboxes_[index];
  if (report.error && !cancel_) {
    if (report.error->code == ErrorCode::unauthenticated)
      spdlog::error("mail {}: the IMAP server refused the login of '{}' ({}); next try in {} s",
                    mailbox.name, mailbox.account.user, report.error->message,
                    mailbox.interval.count());
    else
      spdlog::error("mail {}: poll stopped: {}; next try in {} s", mailbox.name,
                    report.error->message, mailbox.interval.count());
  }
  if (report.taken() + report.refused + report.too_large > 0)
    spdlog::info(
        "mail {}: {} created, {} appended, {} duplicate, {} ignored, {} refused, {} too large",
        mailbox.name, report.created, report.appended, report.duplicate, report.ignored,
        report.refused, report.too_large);
  std::lock_guard lock(mutex_);
  MailboxStats& s = states_[index].stats;
  ++s.polls;
  if (report.error) ++s.failed_polls;
  if (report.error && report.error->code == ErrorCode::unauthenticated) ++s.login_failures;
  s.created += report.created;
  s.appended += report.appended;
  s.duplicate += report.duplicate;
  s.ignored += report.ignored;
  s.refused += report.refused;
  s.too_large += report.too_large;
  s.deferred += report.deferred;
  s.last_poll_seconds = std::chrono::duration<double>(took).count();
}

}  // namespace fl
