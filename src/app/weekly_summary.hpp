// The weekly summary to supervisors (docs/reports.md), optional (reports.weekly_summary): on
// Monday from 06:00 UTC, last week's key figures beside the week before's, in each
// supervisor's language, to every active supervisor with an address. Sent at most once a week:
// the week is remembered (feed cursor "weekly_summary") once every mail went out; a mail that
// failed makes the whole week go again at the next tick, so a supervisor may get it twice but
// nobody misses it.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "app/clock.hpp"
#include "app/mail_templates.hpp"
#include "app/mail_transport.hpp"
#include "core/outbound_mail.hpp"
#include "store/store.hpp"

namespace fl {

struct WeeklySummaryOptions {
  std::string address;    // the desk's address (From)
  std::string from_name;  // the desk's name
  std::string base_url;   // where the reports link points; may be ""
};

class WeeklySummary {
 public:
  WeeklySummary(Store& store, const Clock& clock, MailTransport& transport,
                const MailTemplates& templates, WeeklySummaryOptions options)
      : store_(store),
        clock_(clock),
        transport_(transport),
        templates_(templates),
        options_(std::move(options)) {}

  // The reports of the week starting at `week` (a Monday, 00:00 UTC) and of the week before,
  // by report name (a report the store does not answer is left out). The same for every
  // supervisor: read once per summary.
  struct Weeks {
    Timestamp week{};
    std::map<std::string, std::pair<Report, Report>, std::less<>> reports;
  };
  Result<Weeks> weeks_of(Timestamp week);

  // Sends last week's summary when it is due and not sent yet; returns how many mails went.
  Result<int> send_due();
  // The summary for one supervisor.
  Result<MailMessage> compose(const User& supervisor, const Weeks& weeks);

  // The Monday 00:00 UTC that starts the week holding `t`.
  [[nodiscard]] static Timestamp week_of(Timestamp t);

 private:
  Store& store_;
  const Clock& clock_;
  MailTransport& transport_;
  const MailTemplates& templates_;
  WeeklySummaryOptions options_;
};

}  // namespace fl
