// Demo data for a first look: teams at every line (with an outsourced first-line desk and a
// vendor), organisations with customers, tickets in each line, and a small knowledge base in
// German and English (categories, FAQ, how-to and troubleshooting articles, a synonym group,
// an article linked to the ticket it solved), and SLAs: office hours in Berlin with holidays,
// a 24/7 calendar, a standard policy with line targets, a vendor contract and an escalation
// ladder, and a major-incident policy for P1; and a few macros.
#pragma once

#include <string>
#include <vector>

#include "app/directory_service.hpp"
#include "app/knowledge_base.hpp"
#include "app/macro_service.hpp"
#include "app/rule_service.hpp"
#include "app/sla_service.hpp"
#include "app/ticket_service.hpp"

namespace fl {

// The demo logins, in the order they are created.
[[nodiscard]] const std::vector<std::string>& demo_logins();

// Precondition: an empty directory. All demo users get `password`.
Result<void> create_demo_data(DirectoryService& directory, TicketService& tickets,
                              KnowledgeBase& knowledge, SlaService& sla, MacroService& macros,
                              RuleService& rules, const std::string& password);

}  // namespace fl
