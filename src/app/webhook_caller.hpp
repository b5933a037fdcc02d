// The port a rule's "call a webhook" action goes through (app/webhook_service.hpp implements
// it): the rules engine knows nothing of HTTP, queues or signatures.
#pragma once

#include <string>

#include "core/error.hpp"
#include "core/event.hpp"
#include "core/ticket.hpp"
#include "core/webhook.hpp"

namespace fl {

struct RuleWebhookCall {
  WebhookId webhook = 0;
  std::int64_t rule = 0;  // a RuleId
  std::string rule_name;
  // What made the rule fire: the triggering event, or for a time-based rule the event its
  // wait counted from. With `rule` and `webhook` it keys the delivery: calling again for the
  // same three queues nothing new.
  Event source;
  Ticket ticket;  // as it stands after the rule's own changes
};

class WebhookCaller {
 public:
  virtual ~WebhookCaller() = default;
  // Queues the delivery (sent later by the delivery worker); not_found for an unknown
  // webhook; an inactive webhook queues nothing and is not an error.
  virtual Result<void> call_from_rule(const RuleWebhookCall& call) = 0;
};

}  // namespace fl
