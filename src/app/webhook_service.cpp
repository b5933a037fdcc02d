#include "app/webhook_service.hpp"

#include <sodium.h>

#include <algorithm>
#include <boost/url/parse.hpp>
#include <future>
#include <memory>
#include <stdexcept>
#include <unordered_map>

#include "app/access.hpp"
#include "app/feed_follower.hpp"
#include "app/event_json.hpp"
#include "app/webhook_payload.hpp"
#include "app/webhook_signature.hpp"

namespace fl {

namespace {

constexpr std::size_t kMaxUrlLength = 2000;
constexpr std::size_t kMaxErrorLength = 300;
constexpr std::size_t kMaxResponseShown = 200;
constexpr int kMaxLogPage = 200;
constexpr int kPruneBatch = 5000;

std::unexpected<Error> admins_only() {
  return fail(ErrorCode::permission_denied, "only admins manage webhooks");
}

// http or https, a host, no user or password (they would end up in logs and screens), no
// fragment (it is never sent).
Result<void> check_url(const std::string& text) {
  if (text.size() > kMaxUrlLength) return invalid_field("url", "at most 2000 characters");
  auto url = boost::urls::parse_absolute_uri(text);
  if (!url) return invalid_field("url", "not an absolute URL");
  if (url->scheme_id() != boost::urls::scheme::http &&
      url->scheme_id() != boost::urls::scheme::https)
    return invalid_field("url", "must start with http:// or https://");
  if (!url->has_authority() || url->host().empty()) return invalid_field("url", "must name a host");
  if (url->has_userinfo())
    return invalid_field("url",
                         "must not carry a user name or password: the signature proves the sender");
  if (url->has_fragment()) return invalid_field("url", "must not have a #fragment");
  return {};
}

Result<void> check_secret(const std::string& secret) {
  if (secret.size() < 16 || secret.size() > 200)
    return invalid_field("secret", "16 to 200 characters");
  if (!std::ranges::all_of(secret, [](char c) { return c > ' ' && c < 0x7f; }))
    return invalid_field("secret", "printable ASCII characters without spaces");
  return {};
}

Webhook without_secret(Webhook w) {
  w.secret.clear();
  return w;
}

Event saved_event(const Webhook& w, const Actor& actor, Timestamp at, std::string_view change) {
  // Never the secret, nor the URL (it may carry a token).
  return event_with(event_type::webhook_saved, at,
                    {{"webhook", w.id}, {"name", w.name}, {"active", w.active}, {"change", change}},
                    actor.user.id);
}

// Printable text of at most `max` bytes, cut at a character boundary.
std::string shown(std::string_view text, std::size_t max) {
  std::string out;
  for (char c : text) out += static_cast<unsigned char>(c) < ' ' ? ' ' : c;
  if (out.size() <= max) return out;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  out.resize(cut);
  return out + "…";
}

// The delivery log's text for an attempt: empty when delivered.
std::string describe(const PostOutcome& o) {
  if (!o.status) return shown(o.error.empty() ? "no answer" : o.error, kMaxErrorLength);
  if (*o.status >= 200 && *o.status < 300) return "";
  std::string text = "HTTP " + std::to_string(*o.status);
  if (!o.response.empty()) text += ": " + shown(o.response, kMaxResponseShown);
  return text;
}

std::int64_t unix_seconds(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

WebhookService::WebhookService(Store& store, const Clock& clock, WebhookSender& sender,
                               WebhookOptions options)
    : store_(store), clock_(clock), sender_(sender), options_(std::move(options)) {
  // The retry jitter and new secrets draw on libsodium's random source (idempotent).
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
  options_.max_in_flight = std::max(options_.max_in_flight, 1);
  options_.max_in_flight_per_webhook = std::max(options_.max_in_flight_per_webhook, 1);
}

// --- management ----------------------------------------------------------------------------

Result<std::vector<Webhook>> WebhookService::list(const Actor& actor) {
  if (!may_manage_webhooks(actor)) return admins_only();
  auto all = store_.webhooks();
  if (!all) return all;
  for (auto& w : *all) w.secret.clear();
  return all;
}

Result<Webhook> WebhookService::get(const Actor& actor, WebhookId id) {
  if (!may_manage_webhooks(actor)) return admins_only();
  auto w = store_.webhook(id);
  if (!w) return w;
  return without_secret(std::move(*w));
}

Result<Webhook> WebhookService::create(const Actor& actor, Webhook w) {
  if (!may_manage_webhooks(actor)) return admins_only();
  std::vector<FieldError> errors;
  if (auto ok = validate(w); !ok) errors = ok.error().fields;
  if (auto ok = check_url(w.url); !ok) errors.push_back(ok.error().fields.front());
  if (!w.secret.empty())
    if (auto ok = check_secret(w.secret); !ok) errors.push_back(ok.error().fields.front());
  if (!errors.empty()) return invalid_fields(std::move(errors));
  if (w.secret.empty()) w.secret = new_webhook_secret();
  w.id = 0;
  w.updated_at = clock_.now();
  return store_.save_webhook(w, saved_event(w, actor, w.updated_at, "created"));
}

Result<Webhook> WebhookService::update(const Actor& actor, Webhook w) {
  if (!may_manage_webhooks(actor)) return admins_only();
  auto current = store_.webhook(w.id);
  if (!current) return current;
  std::vector<FieldError> errors;
  if (auto ok = validate(w); !ok) errors = ok.error().fields;
  if (auto ok = check_url(w.url); !ok) errors.push_back(ok.error().fields.front());
  if (!errors.empty()) return invalid_fields(std::move(errors));
  w.secret = current->secret;
  w.updated_at = clock_.now();
  auto saved = store_.save_webhook(w, saved_event(w, actor, w.updated_at, "updated"));
  if (!saved) return saved;
  return without_secret(std::move(*saved));
}

Result<Webhook> WebhookService::rotate_secret(const Actor& actor, WebhookId id) {
  if (!may_manage_webhooks(actor)) return admins_only();
  auto w = store_.webhook(id);
  if (!w) return w;
  w->secret = new_webhook_secret();
  w->updated_at = clock_.now();
  return store_.save_webhook(*w, saved_event(*w, actor, w->updated_at, "secret_rotated"));
}

Result<PingResult> WebhookService::ping(const Actor& actor, WebhookId id) {
  if (!may_manage_webhooks(actor)) return admins_only();
  auto w = store_.webhook(id);
  if (!w) return std::unexpected(w.error());
  const Timestamp now = clock_.now();
  const std::string key = "ping-" + std::to_string(to_millis(now));
  auto answer = std::make_shared<std::promise<PostOutcome>>();
  auto outcome = answer->get_future();
  sender_.post(signed_post(*w, key, "webhook.ping", ping_body(*w, key, now), now),
               [answer](PostOutcome o) { answer->set_value(std::move(o)); });
  if (outcome.wait_for(options_.lease) != std::future_status::ready)
    return fail(ErrorCode::unavailable, "the test delivery got no answer in time");
  PostOutcome o;
  try {
    o = outcome.get();
  } catch (const std::future_error&) {  // the sender stopped before it answered
    return fail(ErrorCode::unavailable, "the test delivery was cut short: the server is stopping");
  }
  PingResult r;
  r.status = o.status;
  r.delivered = o.status && *o.status >= 200 && *o.status < 300;
  r.error = describe(o);
  r.duration = o.duration;
  return r;
}

Result<std::vector<WebhookDelivery>> WebhookService::deliveries(const Actor& actor, WebhookId id,
                                                                std::optional<DeliveryId> before,
                                                                int limit) {
  if (!may_manage_webhooks(actor)) return admins_only();
  if (auto w = store_.webhook(id); !w) return std::unexpected(w.error());
  return store_.deliveries(id, before, std::clamp(limit, 1, kMaxLogPage));
}

Result<WebhookDelivery> WebhookService::redeliver(const Actor& actor, DeliveryId id) {
  if (!may_manage_webhooks(actor)) return admins_only();
  return store_.redeliver(id, clock_.now());
}

// --- queueing ------------------------------------------------------------------------------

Result<int> WebhookService::follow(int max_events) {
  constexpr std::string_view kCursor = "webhooks";  // the store moves it with the queue
  auto cursor = store_.feed_cursor(kCursor);
  if (!cursor) return std::unexpected(cursor.error());
  auto events = events_to_follow(store_, *cursor, max_events, [&](EventId latest) {
    return store_.enqueue_deliveries({}, latest);
  });
  if (!events) return std::unexpected(events.error());
  if (events->empty()) return 0;
  auto hooks = store_.webhooks();
  if (!hooks) return std::unexpected(hooks.error());
  std::erase_if(*hooks, [](const Webhook& w) { return !w.active || w.events.empty(); });

  const Timestamp now = clock_.now();
  std::unordered_map<TicketId, std::optional<Ticket>> tickets;  // looked up once per batch
  std::vector<WebhookDelivery> queued;
  for (const Event& e : *events) {
    std::optional<Ticket> ticket;
    bool looked_up = false;
    for (const Webhook& w : *hooks) {
      if (!subscribes_to(w, e.type)) continue;
      if (!looked_up && e.ticket) {
        auto [it, fresh] = tickets.try_emplace(*e.ticket);
        if (fresh)
          if (auto t = store_.ticket(*e.ticket)) it->second = std::move(*t);
        ticket = it->second;
        looked_up = true;
      }
      WebhookDelivery d;
      d.webhook = w.id;
      d.event = e.id;
      d.event_type = e.type;
      d.body = delivery_body(w.id, e, ticket, std::nullopt, now);
      d.created_at = now;
      queued.push_back(std::move(d));
    }
  }
  if (auto ok = store_.enqueue_deliveries(queued, events->back().id); !ok)
    return std::unexpected(ok.error());
  return static_cast<int>(events->size());
}

Result<void> WebhookService::call_from_rule(const RuleWebhookCall& call) {
  auto w = store_.webhook(call.webhook);
  if (!w) return std::unexpected(w.error());
  if (!w->active) return {};
  const Timestamp now = clock_.now();
  WebhookDelivery d;
  d.webhook = w->id;
  d.event = call.source.id;
  d.rule = call.rule;
  d.event_type = call.source.type;
  d.body =
      delivery_body(w->id, call.source, call.ticket, RuleReference{call.rule, call.rule_name}, now);
  d.created_at = now;
  return store_.enqueue_deliveries({d}, std::nullopt);
}

// --- sending -------------------------------------------------------------------------------

Result<int> WebhookService::deliver_due(Timestamp now, int limit) {
  int free = 0;
  std::vector<WebhookId> busy;
  {
    std::lock_guard lock(mutex_);
    answers_since_claim_ = 0;
    free = std::min(limit, options_.max_in_flight - in_flight_total_);
    for (const auto& [id, sending] : in_flight_)
      if (sending >= options_.max_in_flight_per_webhook) busy.push_back(id);
  }
  if (free <= 0) return 0;
  auto claimed =
      store_.claim_deliveries(now, options_.lease, free, options_.max_in_flight_per_webhook, busy);
  if (!claimed) return std::unexpected(claimed.error());
  if (claimed->empty()) return 0;
  // URL, secret and whether active as they are now, not as when the delivery was queued.
  auto hooks = store_.webhooks();
  if (!hooks) return std::unexpected(hooks.error());  // the leases run out; sent later
  int started = 0;
  for (const WebhookDelivery& d : *claimed) {
    auto w = std::ranges::find(*hooks, d.webhook, &Webhook::id);
    if (w == hooks->end() || !w->active) {
      DeliveryAttempt off{
          .delivery = d.id, .at = now, .error = "not sent: the webhook is switched off"};
      if (auto r = store_.record_delivery_attempt(off); !r)
        warn("webhooks: delivery " + std::to_string(d.id) + ": " + r.error().message);
      ++tally_.failed;
      continue;
    }
    send(d, *w, now);
    ++started;
  }
  return started;
}

OutboundPost WebhookService::signed_post(const Webhook& w, std::string_view delivery_id,
                                         std::string_view event_type, std::string body,
                                         Timestamp now) const {
  const std::int64_t timestamp = unix_seconds(now);
  OutboundPost post;
  post.url = w.url;
  post.headers = {{"Content-Type", "application/json"},
                  {"User-Agent", options_.user_agent},
                  {"X-Firstline-Event", std::string(event_type)},
                  {"X-Firstline-Delivery", std::string(delivery_id)},
                  {"X-Firstline-Webhook", std::to_string(w.id)},
                  {"X-Firstline-Timestamp", std::to_string(timestamp)},
                  {"X-Firstline-Signature", webhook_signature(w.secret, timestamp, body)}};
  post.body = std::move(body);
  return post;
}

void WebhookService::send(const WebhookDelivery& d, const Webhook& w, Timestamp now) {
  {
    std::lock_guard lock(mutex_);
    ++in_flight_[w.id];
    ++in_flight_total_;
  }
  sender_.post(signed_post(w, std::to_string(d.id), d.event_type, d.body, now),
               [this, id = d.id, attempts = d.attempts, webhook = w.id, name = w.name](
                   PostOutcome outcome) { record(id, attempts, webhook, name, outcome); });
}

void WebhookService::record(DeliveryId id, int attempts_before, WebhookId webhook,
                            const std::string& name, const PostOutcome& outcome) {
  const DeliveryAttempt attempt = judge_attempt(id, attempts_before, clock_.now(), outcome.status,
                                                describe(outcome), options_.retry, retry_spread());
  tally_.count(attempt.delivered, attempt.retry_at.has_value());
  // Not recorded (the store is down): the lease runs out and the delivery goes again.
  if (auto r = store_.record_delivery_attempt(attempt); !r)
    warn("webhooks: delivery " + std::to_string(id) + " not recorded: " + r.error().message);
  if (!attempt.delivered)
    warn(failed_attempt_line("webhook " + std::to_string(webhook) + " '" + name + "': delivery " +
                                 std::to_string(id),
                             attempts_before + 1, attempt.error, attempt.retry_at));
  {
    std::lock_guard lock(mutex_);
    if (--in_flight_[webhook] <= 0) in_flight_.erase(webhook);
    --in_flight_total_;
    ++answers_since_claim_;
  }
  answered_.notify_all();
}

bool WebhookService::wait_for_answer(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  if (answers_since_claim_ == 0 && in_flight_total_ == 0) return false;  // nothing would answer
  return answered_.wait_until(lock, deadline, [&] { return answers_since_claim_ > 0; });
}

bool WebhookService::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return answered_.wait_for(lock, timeout, [&] { return in_flight_total_ == 0; });
}

Result<std::int64_t> WebhookService::prune_log(Timestamp before) {
  std::int64_t total = 0;
  for (;;) {
    auto pruned = store_.prune_deliveries(before, kPruneBatch);
    if (!pruned) return std::unexpected(pruned.error());
    total += *pruned;
    if (*pruned < kPruneBatch) return total;
  }
}

WebhookStats WebhookService::stats() const {
  WebhookStats s;
  s.delivered = tally_.done.load();
  s.retried = tally_.retried.load();
  s.failed = tally_.failed.load();
  std::lock_guard lock(mutex_);
  s.in_flight = in_flight_total_;
  return s;
}

void WebhookService::warn(const std::string& line) const {
  if (options_.warn) options_.warn(line);
}

}  // namespace fl
