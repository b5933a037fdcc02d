#include "server/demo.hpp"

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
  return std::move(*r);
}

}  // namespace

Result<void> create_demo_data(DirectoryService& dir, TicketService& tickets,
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

    auto user = [&](std::string login, std::string name, Role role,
                    std::optional<OrganizationId> org, std::vector<TeamId> teams,
                    std::string lang) {
      NewUser u{
          login, name,    login + "@" + (org == globex.id ? "globex.example" : "acme.example"),
          role,  org,     std::move(teams),
          lang,  password};
      return must(dir.create_user(nullptr, u), login);
    };
    auto admin = user("admin", "Ada Admin", Role::admin, std::nullopt, {}, "en");
    auto supervisor =
        user("supervisor", "Sven Supervisor", Role::supervisor, std::nullopt, {desk.id}, "de");
    auto l1 = user("l1.agent", "Lena Erstlinie", Role::agent, std::nullopt, {desk.id}, "de");
    auto pa = user("partner.agent", "Pat Partner", Role::agent, std::nullopt, {partner.id}, "en");
    auto l2 = user("l2.agent", "Dirk Desktop", Role::agent, std::nullopt, {desktop.id}, "de");
    auto l3 = user("l3.agent", "Nina Netz", Role::agent, std::nullopt, {network.id}, "de");
    auto va = user("vendor.agent", "Victor Vendor", Role::agent, std::nullopt, {vendor.id}, "en");
    auto c1 = user("customer1", "Clara Kundin", Role::customer, acme.id, {}, "de");
    auto c2 = user("customer2", "Carl Customer", Role::customer, globex.id, {}, "en");
    (void)admin;
    (void)supervisor;
    (void)l3;

    auto as = [&](const User& u) { return must(dir.actor_for(u), "actor"); };
    Actor lena = as(l1), pat = as(pa), dirk = as(l2), victor = as(va), clara = as(c1),
          carl = as(c2);

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
