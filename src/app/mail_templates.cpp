#include "app/mail_templates.hpp"

#include <fstream>
#include <sstream>

namespace fl {

namespace {

struct Default {
  const char* id;
  const char* language;
  MailTemplate text;
};

// Kept short and plain: a desk rewrites them in its own voice from the data folder.
const Default kDefaults[] = {
    {"reply",
     "en",
     {"{{ticket.subject}}", "{{body}}\n\n-- \n{{desk.name}}\nYour ticket: {{ticket.link}}\n",
      "<div>{{body}}</div>\n<hr>\n<p>{{desk.name}}<br>\n<a href=\"{{ticket.link}}\">Your "
      "ticket</a></p>\n"}},
    {"reply",
     "de",
     {"{{ticket.subject}}", "{{body}}\n\n-- \n{{desk.name}}\nIhr Ticket: {{ticket.link}}\n",
      "<div>{{body}}</div>\n<hr>\n<p>{{desk.name}}<br>\n<a href=\"{{ticket.link}}\">Ihr "
      "Ticket</a></p>\n"}},
    // Added to a reply's body when its files are too big to mail (only the text is used).
    {"reply.files_in_portal",
     "en",
     {"",
      "The files of this reply are too large for e-mail ({{files}}). You can download them "
      "from your ticket in the portal: {{ticket.link}}",
      ""}},
    {"reply.files_in_portal",
     "de",
     {"",
      "Die Dateien zu dieser Antwort sind für eine E-Mail zu groß ({{files}}). Sie können "
      "sie in Ihrem Ticket im Portal herunterladen: {{ticket.link}}",
      ""}},
    {"received",
     "en",
     {"We have received your request: {{ticket.subject}}",
      "Hello {{recipient.name}},\n\nthank you for your message. We have opened ticket "
      "#{{ticket.number}} for it and will get back to you.\n\nYou can follow it here: "
      "{{ticket.link}}\n\nThese articles may already help:\n{{articles}}\n\nPlease keep "
      "[#{{ticket.number}}] in the subject when you reply.\n\n-- \n{{desk.name}}\n",
      "<p>Hello {{recipient.name}},</p>\n<p>thank you for your message. We have opened ticket "
      "#{{ticket.number}} for it and will get back to you.</p>\n<p><a "
      "href=\"{{ticket.link}}\">Follow your ticket</a></p>\n<p>These articles may already "
      "help:</p>\n{{articles_html}}\n<p>Please keep [#{{ticket.number}}] in the subject when you "
      "reply.</p>\n<p>{{desk.name}}</p>\n"}},
    {"received",
     "de",
     {"Ihre Anfrage ist eingegangen: {{ticket.subject}}",
      "Guten Tag {{recipient.name}},\n\nvielen Dank für Ihre Nachricht. Wir haben dazu das "
      "Ticket #{{ticket.number}} angelegt und melden uns bei Ihnen.\n\nHier können Sie es "
      "verfolgen: {{ticket.link}}\n\nDiese Artikel helfen vielleicht schon weiter:\n"
      "{{articles}}\n\nBitte lassen Sie [#{{ticket.number}}] im Betreff, wenn Sie "
      "antworten.\n\n-- \n{{desk.name}}\n",
      "<p>Guten Tag {{recipient.name}},</p>\n<p>vielen Dank für Ihre Nachricht. Wir haben dazu "
      "das Ticket #{{ticket.number}} angelegt und melden uns bei Ihnen.</p>\n<p><a "
      "href=\"{{ticket.link}}\">Ihr Ticket verfolgen</a></p>\n<p>Diese Artikel helfen "
      "vielleicht schon weiter:</p>\n{{articles_html}}\n<p>Bitte lassen Sie "
      "[#{{ticket.number}}] im Betreff, wenn Sie antworten.</p>\n<p>{{desk.name}}</p>\n"}},
    {"status.resolved",
     "en",
     {"Resolved: {{ticket.subject}}",
      "Hello {{recipient.name}},\n\nwe have marked ticket #{{ticket.number}} as resolved. If "
      "the problem is not solved, simply reply to this message and the ticket opens "
      "again.\n\n{{ticket.link}}\n\n-- \n{{desk.name}}\n",
      "<p>Hello {{recipient.name}},</p>\n<p>we have marked ticket #{{ticket.number}} as "
      "resolved. If the problem is not solved, simply reply to this message and the ticket "
      "opens again.</p>\n<p><a href=\"{{ticket.link}}\">Your ticket</a></p>\n"
      "<p>{{desk.name}}</p>\n"}},
    {"status.resolved",
     "de",
     {"Gelöst: {{ticket.subject}}",
      "Guten Tag {{recipient.name}},\n\nwir haben das Ticket #{{ticket.number}} als gelöst "
      "markiert. Falls das Problem weiter besteht, antworten Sie einfach auf diese Nachricht; "
      "dann wird das Ticket wieder geöffnet.\n\n{{ticket.link}}\n\n-- \n{{desk.name}}\n",
      "<p>Guten Tag {{recipient.name}},</p>\n<p>wir haben das Ticket #{{ticket.number}} als "
      "gelöst markiert. Falls das Problem weiter besteht, antworten Sie einfach auf diese "
      "Nachricht; dann wird das Ticket wieder geöffnet.</p>\n<p><a "
      "href=\"{{ticket.link}}\">Ihr Ticket</a></p>\n<p>{{desk.name}}</p>\n"}},
    {"status.pending_customer",
     "en",
     {"Waiting for you: {{ticket.subject}}",
      "Hello {{recipient.name}},\n\nwe need information from you to continue with ticket "
      "#{{ticket.number}}. Please reply to this message.\n\n{{ticket.link}}\n\n-- "
      "\n{{desk.name}}\n",
      "<p>Hello {{recipient.name}},</p>\n<p>we need information from you to continue with "
      "ticket #{{ticket.number}}. Please reply to this message.</p>\n<p><a "
      "href=\"{{ticket.link}}\">Your ticket</a></p>\n<p>{{desk.name}}</p>\n"}},
    {"status.pending_customer",
     "de",
     {"Wir warten auf Sie: {{ticket.subject}}",
      "Guten Tag {{recipient.name}},\n\num mit dem Ticket #{{ticket.number}} weiterzumachen, "
      "brauchen wir Angaben von Ihnen. Bitte antworten Sie auf diese Nachricht.\n\n"
      "{{ticket.link}}\n\n-- \n{{desk.name}}\n",
      "<p>Guten Tag {{recipient.name}},</p>\n<p>um mit dem Ticket #{{ticket.number}} "
      "weiterzumachen, brauchen wir Angaben von Ihnen. Bitte antworten Sie auf diese "
      "Nachricht.</p>\n<p><a href=\"{{ticket.link}}\">Ihr Ticket</a></p>\n"
      "<p>{{desk.name}}</p>\n"}},
    {"status.reopened",
     "en",
     {"Reopened: {{ticket.subject}}",
      "Hello {{recipient.name}},\n\nticket #{{ticket.number}} has been opened again; we are "
      "working on it.\n\n{{ticket.link}}\n\n-- \n{{desk.name}}\n",
      "<p>Hello {{recipient.name}},</p>\n<p>ticket #{{ticket.number}} has been opened again; "
      "we are working on it.</p>\n<p><a href=\"{{ticket.link}}\">Your ticket</a></p>\n"
      "<p>{{desk.name}}</p>\n"}},
    {"status.reopened",
     "de",
     {"Wieder geöffnet: {{ticket.subject}}",
      "Guten Tag {{recipient.name}},\n\ndas Ticket #{{ticket.number}} wurde wieder geöffnet; "
      "wir kümmern uns darum.\n\n{{ticket.link}}\n\n-- \n{{desk.name}}\n",
      "<p>Guten Tag {{recipient.name}},</p>\n<p>das Ticket #{{ticket.number}} wurde wieder "
      "geöffnet; wir kümmern uns darum.</p>\n<p><a href=\"{{ticket.link}}\">Ihr "
      "Ticket</a></p>\n<p>{{desk.name}}</p>\n"}},
    {"sla_warning",
     "en",
     {"SLA warning: {{ticket.subject}}", "{{sla.text}}\n\n{{ticket.link}}\n",
      "<p>{{sla.text}}</p>\n<p><a href=\"{{ticket.link}}\">Open the ticket</a></p>\n"}},
    {"sla_warning",
     "de",
     {"SLA-Warnung: {{ticket.subject}}", "{{sla.text}}\n\n{{ticket.link}}\n",
      "<p>{{sla.text}}</p>\n<p><a href=\"{{ticket.link}}\">Ticket öffnen</a></p>\n"}},
    {"sla_breach",
     "en",
     {"SLA breached: {{ticket.subject}}", "{{sla.text}}\n\n{{ticket.link}}\n",
      "<p>{{sla.text}}</p>\n<p><a href=\"{{ticket.link}}\">Open the ticket</a></p>\n"}},
    {"sla_breach",
     "de",
     {"SLA verletzt: {{ticket.subject}}", "{{sla.text}}\n\n{{ticket.link}}\n",
      "<p>{{sla.text}}</p>\n<p><a href=\"{{ticket.link}}\">Ticket öffnen</a></p>\n"}},
    // The weekly summary to supervisors (app/weekly_summary.hpp): {{week}}, {{figures}} (one
    // line each), {{reports.link}}.
    {"weekly_summary",
     "en",
     {"Service desk: the week of {{week}}",
      "Hello {{recipient.name}},\n\nthe desk's week of {{week}} (the week before in brackets):\n\n"
      "{{figures}}\n\nAll reports: {{reports.link}}\n\n-- \n{{desk.name}}\n",
      "<p>Hello {{recipient.name}},</p>\n<p>the desk's week of {{week}} (the week before in "
      "brackets):</p>\n<p>{{figures}}</p>\n<p><a href=\"{{reports.link}}\">All reports</a></p>\n"
      "<p>{{desk.name}}</p>\n"}},
    {"weekly_summary",
     "de",
     {"Service Desk: die Woche ab {{week}}",
      "Hallo {{recipient.name}},\n\ndie Woche ab {{week}} am Service Desk (in Klammern die Woche "
      "davor):\n\n{{figures}}\n\nAlle Berichte: {{reports.link}}\n\n-- \n{{desk.name}}\n",
      "<p>Hallo {{recipient.name}},</p>\n<p>die Woche ab {{week}} am Service Desk (in Klammern "
      "die Woche davor):</p>\n<p>{{figures}}</p>\n<p><a href=\"{{reports.link}}\">Alle "
      "Berichte</a></p>\n<p>{{desk.name}}</p>\n"}},
};

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

}  // namespace

MailTemplates::MailTemplates() {
  for (const auto& d : kDefaults) templates_[std::string(d.id) + "." + d.language] = d.text;
}

Result<MailTemplates> MailTemplates::load(const std::filesystem::path& folder) {
  MailTemplates out;
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) return out;
  for (auto& [key, t] : out.templates_) {
    for (auto [suffix, part] : {std::pair{".subject", &t.subject}, std::pair{".txt", &t.text},
                                std::pair{".html", &t.html}}) {
      const auto file = folder / (key + suffix);
      if (!std::filesystem::exists(file, ec)) continue;
      std::ifstream in(file, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      if (!in && !in.eof())
        return fail(ErrorCode::invalid_argument, "mail template " + file.string() + ": unreadable");
      std::string s = text.str();
      if (!valid_utf8(s))
        return fail(ErrorCode::invalid_argument, "mail template " + file.string() + ": not UTF-8");
      if (std::string_view(suffix) == ".subject")
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
      *part = std::move(s);
    }
  }
  return out;
}

const MailTemplate& MailTemplates::get(std::string_view id, std::string_view language) const {
  const std::string lang = language == "de" ? "de" : "en";
  if (auto it = templates_.find(std::string(id) + "." + lang); it != templates_.end())
    return it->second;
  return templates_.find("reply." + lang)->second;
}

}  // namespace fl
