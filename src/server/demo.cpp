#include "server/demo.hpp"

#include <type_traits>

namespace fl {

const std::vector<std::string>& demo_logins() {
  static const std::vector<std::string> logins = {"admin",         "supervisor", "l1.agent",
                                                  "partner.agent", "l2.agent",   "l3.agent",
                                                  "vendor.agent",  "customer1",  "customer2"};
  return logins;
}

namespace {

template <class T>
T must(Result<T> r, std::string_view what) {
  if (!r) throw std::runtime_error("demo data: " + std::string(what) + ": " + r.error().message);
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

// Line 0: what the desk answers most, in both languages. Returns the Outlook article, which
// solved one of the demo tickets.
ArticleId create_demo_articles(KnowledgeBase& kb, const Actor& supervisor, const Actor& agent) {
  auto category = [&](std::string name, std::optional<CategoryId> parent = std::nullopt) {
    return must(kb.create_category(supervisor, {0, std::move(name), parent}), "category").id;
  };
  CategoryId accounts = category("Konten und Passwörter");
  CategoryId printing = category("Drucken");
  CategoryId network = category("Netzwerk und Fernzugriff");
  CategoryId mail = category("E-Mail und Kalender");
  CategoryId vpn = category("VPN", network);

  auto article = [&](NewArticle a) { return must(kb.create(supervisor, a), "article").id; };
  using enum ArticleKind;
  ArticleId pw_de = article(
      {.title = "Passwort zurücksetzen",
       .body = "Sie haben Ihr Passwort vergessen oder Ihr Konto ist gesperrt?\n\n"
               "1. Öffnen Sie das **Self-Service-Portal** und wählen Sie *Passwort vergessen*.\n"
               "2. Bestätigen Sie den Code, den Sie per SMS erhalten.\n"
               "3. Wählen Sie ein neues Passwort (mindestens 12 Zeichen).\n\n"
               "Nach fünf Fehlversuchen ist das Konto 30 Minuten gesperrt.",
       .language = "de",
       .category = accounts,
       .kind = howto,
       .status = ArticleStatus::published,
       .keywords = {"Kennwort", "Konto gesperrt", "Login"}});
  article({.title = "Reset your password",
           .body = "Forgot your password or locked out?\n\n"
                   "1. Open the **self-service portal** and choose *Forgot password*.\n"
                   "2. Confirm the code you receive by text message.\n"
                   "3. Choose a new password (at least 12 characters).\n\n"
                   "After five failed attempts the account is locked for 30 minutes.",
           .language = "en",
           .translation_of = pw_de,
           .category = accounts,
           .kind = howto,
           .status = ArticleStatus::published,
           .keywords = {"account locked", "login"}});
  article({.title = "Drucker druckt leere Seiten",
           .body = "| Prüfen | Wie |\n|---|---|\n| Toner | Anzeige am Gerät |\n"
                   "| Papierfach | richtig eingelegt? |\n| Druckauftrag | erneut senden |\n\n"
                   "Hilft das nicht, melden Sie die **Inventarnummer** des Druckers.",
           .language = "de",
           .category = printing,
           .kind = troubleshooting,
           .status = ArticleStatus::published,
           .keywords = {"Drucker", "leere Seiten", "Toner"}});
  ArticleId vpn_de =
      article({.title = "VPN einrichten",
               .body = "Installieren Sie den VPN-Client aus dem Softwarecenter und melden Sie "
                       "sich mit Ihrem Firmenkonto an. Der Fernzugriff verlangt die "
                       "Bestätigung in der Authenticator-App.",
               .language = "de",
               .category = vpn,
               .kind = howto,
               .status = ArticleStatus::published,
               .keywords = {"VPN", "Fernzugriff", "Homeoffice"}});
  article({.title = "Set up the VPN",
           .body = "Install the VPN client from the software centre and sign in with your "
                   "company account. Remote access asks for a confirmation in the "
                   "authenticator app.",
           .language = "en",
           .translation_of = vpn_de,
           .category = vpn,
           .kind = howto,
           .status = ArticleStatus::published,
           .keywords = {"VPN", "remote access", "home office"}});
  article({.title = "VPN trennt die Verbindung regelmäßig",
           .body = "Bricht das VPN alle paar Minuten ab, prüfen Sie zuerst ein anderes Netz "
                   "(z. B. Hotspot). Tritt es überall auf, eskaliert der Service Desk an "
                   "Netzwerk und Infrastruktur.",
           .language = "de",
           .category = vpn,
           .kind = troubleshooting,
           .status = ArticleStatus::published,
           .keywords = {"VPN", "Verbindungsabbruch"}});
  ArticleId outlook =
      article({.title = "Outlook asks for the password again and again",
               .body = "After a password change Outlook keeps the old one. Remove the saved "
                       "credentials (Credential Manager, *Windows credentials*, entries "
                       "starting with `MicrosoftOffice`) and restart Outlook.",
               .language = "en",
               .category = mail,
               .kind = troubleshooting,
               .status = ArticleStatus::published,
               .keywords = {"Outlook", "password prompt"}});
  article({.title = "Gateway-Neustart bei VPN-Störungen",
           .body = "Nur für das Netzwerkteam: Reihenfolge und Wartungsfenster für den Neustart "
                   "der VPN-Gateways.",
           .language = "de",
           .category = vpn,
           .kind = howto,
           .audience = Audience::internal,
           .status = ArticleStatus::published,
           .keywords = {"Gateway"}});
  // An agent's draft, and a revision of a published article, waiting for a supervisor.
  must(kb.create(agent, {.title = "WLAN im Besprechungsraum",
                         .body = "Gäste verbinden sich mit *Gast-WLAN*; das Passwort steht am "
                                 "Empfang.",
                         .language = "de",
                         .kind = faq}),
       "draft");
  must(kb.propose_revision(
           agent, pw_de,
           {.version = 1,
            .keywords = std::vector<std::string>{"Kennwort", "Konto gesperrt", "Login", "MFA"}}),
       "revision");
  must(kb.set_synonyms(supervisor, {{"VPN", "Fernzugriff", "remote access"},
                                    {"Passwort", "Kennwort", "password"}}),
       "synonyms");
  return outlook;
}

}  // namespace

// Office hours in Berlin with the German national holidays, a 24/7 calendar for major
// incidents, and the two policies (see docs/sla.md).
void create_demo_sla(SlaService& sla, const Actor& admin, const Team& desktop, const Team& network,
                     const Team& vendor) {
  using std::chrono::hours;
  using std::chrono::minutes;
  BusinessCalendar office = office_hours("Europe/Berlin", hours{8}, hours{17});
  office.name = "Bürozeiten Berlin";
  office.holidays = {{1, 1, std::nullopt, "Neujahr"},
                     {5, 1, std::nullopt, "Tag der Arbeit"},
                     {10, 3, std::nullopt, "Tag der Deutschen Einheit"},
                     {12, 25, std::nullopt, "1. Weihnachtstag"},
                     {12, 26, std::nullopt, "2. Weihnachtstag"},
                     {3, 26, 2027, "Karfreitag"},
                     {3, 29, 2027, "Ostermontag"},
                     {5, 6, 2027, "Christi Himmelfahrt"},
                     {5, 17, 2027, "Pfingstmontag"}};
  office = must(sla.save_calendar(admin, office), "calendar");
  BusinessCalendar always = around_the_clock("Europe/Berlin");
  always.name = "24/7";
  always = must(sla.save_calendar(admin, always), "calendar");

  SlaPolicy standard;
  standard.name = "Standard";
  standard.calendar = office.id;
  standard.targets[0] = {minutes{15}, minutes{30}, hours{4}, always.id};
  standard.targets[1] = {hours{1}, hours{2}, hours{8}, std::nullopt};
  standard.targets[2] = {hours{4}, hours{8}, hours{27}, std::nullopt};  // three business days
  standard.targets[3] = {hours{8}, std::nullopt, hours{45}, std::nullopt};
  standard.line_targets = {{2, std::nullopt, hours{4}, std::nullopt},
                           {3, std::nullopt, hours{8}, std::nullopt},
                           {4, vendor.id, hours{4}, hours{18}}};
  standard.ladder = {
      {.metric = SlaMetric::resolution, .percent = 75, .notify_assignee = true},
      {.metric = SlaMetric::resolution, .percent = 90, .notify_supervisor = true},
      {.metric = SlaMetric::resolution, .percent = 100, .notify_supervisor = true,
       .raise_priority = true, .escalate_to = desktop.id},
      {.metric = SlaMetric::first_response, .percent = 100, .notify_supervisor = true},
  };
  must(sla.save_policy(admin, standard), "policy");

  SlaPolicy major;
  major.name = "Major incident";
  major.rank = 10;
  major.applies_to.priorities = {Priority::p1};
  major.calendar = always.id;
  major.targets[0] = {minutes{15}, minutes{30}, hours{4}, std::nullopt};
  major.line_targets = {{3, std::nullopt, minutes{30}, std::nullopt}};
  major.ladder = {
      {.metric = SlaMetric::resolution, .percent = 50, .notify_supervisor = true},
      {.metric = SlaMetric::resolution, .percent = 75, .escalate_to = network.id},
  };
  must(sla.save_policy(admin, major), "policy");
}

// Macros for the frequent first-line cases, in German and English.
void create_demo_macros(MacroService& macros, const Actor& supervisor, const Team& desk) {
  must(macros.save(supervisor,
                   {.name = "Passwort zurückgesetzt",
                    .team = desk.id,
                    .text = "Hallo {{requester.name}},\n\nIhr Passwort wurde zurückgesetzt. Bitte "
                            "melden Sie sich mit dem Einmalkennwort an und vergeben Sie ein neues.\n\n"
                            "Viele Grüße\n{{agent.name}}, {{team.name}}",
                    .status = TicketStatus::pending_customer,
                    .add_tags = {"password"}}),
       "macro");
  must(macros.save(supervisor,
                   {.name = "Password reset",
                    .text = "Hello {{requester.name}},\n\nyour password has been reset. Please log "
                            "in with the one-time password and choose a new one.\n\nKind regards\n"
                            "{{agent.name}}, {{team.name}}",
                    .status = TicketStatus::pending_customer,
                    .add_tags = {"password"}}),
       "macro");
  must(macros.save(supervisor,
                   {.name = "Beim Hersteller angefragt",
                    .entry_kind = EntryKind::note,
                    .text = "Fall beim Hersteller eröffnet; dessen Fallnummer steht im Feld "
                            "Herstellerreferenz.",
                    .status = TicketStatus::pending_vendor,
                    .add_tags = {"vendor"}}),
       "macro");
}

// Rules every desk starts with: tidy up resolved tickets, remind customers who owe an
// answer, and tell the supervisors of a major incident at once.
void create_demo_rules(RuleService& rules, const Actor& admin) {
  Rule close;
  close.name = "Close resolved tickets after 7 days";
  close.description = "A resolved ticket nobody replied to for a week is closed.";
  close.wait = RuleWait{{TicketStatus::resolved}, std::chrono::days(7), std::nullopt};
  close.actions = {{.kind = RuleActionKind::set_status, .status = TicketStatus::closed}};
  must(rules.save(admin, close), "rule");

  Rule remind;
  remind.name = "Remind the customer after 3 days";
  remind.description = "Waiting for the customer for three days: ask again, once.";
  remind.wait = RuleWait{{TicketStatus::pending_customer}, std::chrono::days(3), std::nullopt};
  remind.actions = {
      {.kind = RuleActionKind::reply,
       .text = {.en = "Hello {{requester.name}},\n\nwe are still waiting for your answer on "
                      "ticket #{{ticket.number}} ({{ticket.subject}}). Please reply so that we "
                      "can go on.\n\n{{team.name}}",
                .de = "Hallo {{requester.name}},\n\nwir warten noch auf Ihre Antwort zu Ticket "
                      "#{{ticket.number}} ({{ticket.subject}}). Bitte antworten Sie, damit wir "
                      "weitermachen können.\n\n{{team.name}}"}},
      {.kind = RuleActionKind::add_tag, .value = "reminded"}};
  must(rules.save(admin, remind), "rule");

  Rule major;
  major.name = "Major incident: tell the supervisors";
  major.on = {RuleTrigger::created, RuleTrigger::updated};
  major.conditions = {{RuleField::priority, RuleOperator::is, {"P1"}},
                      {RuleField::tag, RuleOperator::is_not, {"major-incident"}}};
  major.actions = {
      {.kind = RuleActionKind::add_tag, .value = "major-incident"},
      {.kind = RuleActionKind::notify,
       .recipients = {Recipient::supervisors},
       .text = {.en = "Major incident (P1) reported", .de = "Major Incident (P1) gemeldet"}}};
  must(rules.save(admin, major), "rule");
}

Result<void> create_demo_data(DirectoryService& dir, TicketService& tickets, KnowledgeBase& kb,
                              SlaService& sla, MacroService& macros, RuleService& rules,
                              const std::string& password) {
  try {
    auto acme =
        must(dir.create_organization(nullptr, {"Acme GmbH", "acme.example", false}), "Acme");
    auto globex =
        must(dir.create_organization(nullptr, {"Globex AG", "globex.example", false}), "Globex");
    auto desk = must(dir.create_team(nullptr, {"Service Desk", 1, TeamKind::internal, {}}), "team");
    auto partner = must(
        dir.create_team(nullptr, {"Partner Desk", 1, TeamKind::outsourced, {globex.id}}), "team");
    auto desktop =
        must(dir.create_team(nullptr, {"Desktop Support", 2, TeamKind::internal, {}}), "team");
    auto network = must(
        dir.create_team(nullptr, {"Network & Infrastructure", 3, TeamKind::internal, {}}), "team");
    auto vendor = must(
        dir.create_team(nullptr, {"Vendor Support", 4, TeamKind::vendor, {acme.id, globex.id}}),
        "team");

    // Phone numbers in international form, so they read the same whatever
    // phone.default_country_code is; the desk's agents have extensions for the CTI webhook.
    auto user = [&](std::string login, std::string name, Role role,
                    std::optional<OrganizationId> org, std::vector<TeamId> teams, std::string lang,
                    std::string phone = "", std::string extension = "") {
      NewUser u{login,
                name,
                login + "@" + (org == globex.id ? "globex.example" : "acme.example"),
                role,
                org,
                std::move(teams),
                lang,
                password,
                std::move(phone),
                std::move(extension)};
      return must(dir.create_user(nullptr, u), login);
    };
    auto admin = user("admin", "Ada Admin", Role::admin, std::nullopt, {}, "en");
    auto supervisor = user("supervisor", "Sven Supervisor", Role::supervisor, std::nullopt,
                           {desk.id}, "de", "", "200");
    auto l1 =
        user("l1.agent", "Lena Erstlinie", Role::agent, std::nullopt, {desk.id}, "de", "", "201");
    auto pa = user("partner.agent", "Pat Partner", Role::agent, std::nullopt, {partner.id}, "en",
                   "", "202");
    auto l2 =
        user("l2.agent", "Dirk Desktop", Role::agent, std::nullopt, {desktop.id}, "de", "", "210");
    auto l3 =
        user("l3.agent", "Nina Netz", Role::agent, std::nullopt, {network.id}, "de", "", "220");
    auto va = user("vendor.agent", "Victor Vendor", Role::agent, std::nullopt, {vendor.id}, "en");
    auto c1 =
        user("customer1", "Clara Kundin", Role::customer, acme.id, {}, "de", "+49 30 1234567");
    auto c2 =
        user("customer2", "Carl Customer", Role::customer, globex.id, {}, "en", "+44 20 7946 0958");
    (void)l3;

    auto as = [&](const User& u) { return must(dir.actor_for(u), "actor"); };
    create_demo_sla(sla, as(admin), desktop, network, vendor);
    // Teams keep manual assignment (agents take tickets from the queue); Lena's skills are
    // there for a team switched to skill routing.
    must(dir.set_skills(as(admin), l1.id, {"lang:de", "email", "printer"}), "skills");
    Actor lena = as(l1), pat = as(pa), dirk = as(l2), victor = as(va), clara = as(c1),
          carl = as(c2), sven = as(supervisor);
    ArticleId outlook_article = create_demo_articles(kb, sven, lena);
    create_demo_macros(macros, sven, desk);
    create_demo_rules(rules, as(admin));

    // Line 1: new from the portal; one solved on the phone at first contact.
    must(tickets.create(
             clara, {.subject = "Drucker im 2. OG druckt nur leere Seiten",
                     .description = "Seit heute Morgen kommen nur leere Blätter aus dem Drucker.",
                     .category = "printer",
                     .impact = 3,
                     .urgency = 2}),
         "ticket");
    auto outlook = must(
        tickets.create(
            lena, {.subject = "Outlook fragt ständig nach dem Passwort",
                   .description = "Anruferin kann seit dem Passwortwechsel keine Mails abrufen.",
                   .requester = c1.id,
                   .channel = Channel::phone,
                   .category = "email",
                   .impact = 3,
                   .urgency = 2,
                   .call = CallDetails{CallDirection::inbound, 240, "+49 30 1234567"}}),
        "ticket");
    must(tickets.add_entry(
             lena, outlook.id,
             {EntryKind::reply,
              "Gespeicherte Anmeldedaten gelöscht, Outlook neu gestartet: funktioniert wieder.",
              std::nullopt}),
         "entry");
    must(tickets.update(lena, outlook.id, {.status = TicketStatus::resolved}), "resolve");
    must(kb.link_to_ticket(lena, outlook.id, outlook_article), "solved with");

    // Line 1 at the outsourced desk, escalated to line 3 (network).
    auto vpn =
        must(tickets.create(carl,
                            {.subject = "VPN disconnects every 10 minutes",
                             .description = "Since Monday the VPN drops every ten minutes at home.",
                             .category = "vpn",
                             .impact = 2,
                             .urgency = 2}),
             "ticket");
    must(tickets.escalate(pat, vpn.id,
                          {.to_line = 3,
                           .to_team = network.id,
                           .reason = EscalationReason::infrastructure,
                           .handoff_note = "Client reinstalled, other networks tested: drops on "
                                           "every network. Gateway logs needed."}),
         "escalate");

    // Line 2: docking station.
    auto dock = must(tickets.create(lena, {.subject = "Dockingstation wird nicht erkannt",
                                           .requester = c1.id,
                                           .channel = Channel::phone,
                                           .category = "hardware",
                                           .impact = 3,
                                           .urgency = 3}),
                     "ticket");
    must(tickets.escalate(
             lena, dock.id,
             {.to_line = 2,
              .to_team = desktop.id,
              .reason = EscalationReason::needs_expertise,
              .handoff_note =
                  "Kabel und anderer USB-C-Port getestet, Treiber aktuell. Vor Ort prüfen."}),
         "escalate");

    // Line 4: a plotter that needs the vendor.
    auto plotter = must(tickets.create(lena, {.subject = "Plotter firmware crashes on large jobs",
                                              .requester = c1.id,
                                              .channel = Channel::email,
                                              .category = "printer",
                                              .impact = 2,
                                              .urgency = 3}),
                        "ticket");
    must(tickets.escalate(
             lena, plotter.id,
             {.to_line = 2,
              .to_team = desktop.id,
              .reason = EscalationReason::needs_expertise,
              .handoff_note = "Restarted, smaller jobs print. Crash log attached in the note."}),
         "escalate");
    must(tickets.escalate(
             dirk, plotter.id,
             {.to_line = 4,
              .to_team = vendor.id,
              .reason = EscalationReason::vendor_required,
              .handoff_note =
                  "Firmware 2.1 and 2.3 tested; reproducible with a 2 GB PDF. Vendor fix needed."}),
         "escalate");
    must(tickets.update(victor, plotter.id,
                        {.status = TicketStatus::pending_vendor, .vendor_reference = "CASE-4711"}),
         "pending");

    // Line 1, open: a software request from the partner desk's customer.
    auto visio = must(
        tickets.create(
            carl,
            {.subject = "Please install Visio", .category = "software", .impact = 3, .urgency = 3}),
        "ticket");
    must(tickets.add_entry(
             pat, visio.id,
             {EntryKind::reply, "Approved by your manager? Then we schedule it for tomorrow.",
              std::nullopt}),
         "entry");
  } catch (const std::runtime_error& e) {
    return fail(ErrorCode::internal, e.what());
  }
  return {};
}

}  // namespace fl
