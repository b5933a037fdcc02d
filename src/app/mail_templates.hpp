// The texts of outbound mail: one template per purpose and language ("de", "en"), compiled
// in, each part overridable by a file in a folder (docs/mail.md: Outbound). Placeholders are
// {{name}}; what each template is given is listed there.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/outbound_mail.hpp"

namespace fl {

class MailTemplates {
 public:
  // The compiled-in defaults.
  MailTemplates();
  // The defaults, with each file `{id}.{language}.subject|txt|html` of `folder` replacing its
  // part (a missing folder is no error; a file that cannot be read or is not UTF-8 is).
  [[nodiscard]] static Result<MailTemplates> load(const std::filesystem::path& folder);

  // Template ids: reply, reply.files_in_portal (only its text: added to a reply's body when
  // its files are too big to mail), received, status.resolved, status.pending_customer,
  // status.reopened, sla_warning, sla_breach, weekly_summary. Unknown languages fall back to
  // English; unknown ids to "reply".
  [[nodiscard]] const MailTemplate& get(std::string_view id, std::string_view language) const;

 private:
  std::map<std::string, MailTemplate, std::less<>> templates_;  // "received.de"
};

}  // namespace fl
