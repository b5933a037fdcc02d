// The REST API under /api/v1: registers its routes on a Router. Handlers parse, call one
// service, and map the result; access rules and SQL live elsewhere.
#pragma once

#include <string>

#include "app/attachments.hpp"
#include "app/auth_service.hpp"
#include "app/bot_service.hpp"
#include "app/deflection.hpp"
#include "app/directory_service.hpp"
#include "app/knowledge_base.hpp"
#include "app/bot_flows.hpp"
#include "app/macro_service.hpp"
#include "app/notification_service.hpp"
#include "app/report_service.hpp"
#include "app/rule_service.hpp"
#include "app/saved_views.hpp"
#include "app/search_service.hpp"
#include "app/sla_service.hpp"
#include "app/staffing_service.hpp"
#include "app/ticket_service.hpp"
#include "app/webhook_service.hpp"
#include "http/router.hpp"

namespace fl::http {

struct ApiServices {
  AuthService& auth;
  DirectoryService& directory;
  TicketService& tickets;
  KnowledgeBase& knowledge;
  SearchService& search;
  DeflectionService& deflection;
  SlaService& sla;
  NotificationService& notifications;
  MacroService& macros;
  RuleService& rules;
  WebhookService& webhooks;
  SavedViewService& views;
  AttachmentService& attachments;
  BotFlowCatalog& bot_flows;
  std::string openapi_yaml;  // served at /api/v1/openapi.yaml
  BotService* bot = nullptr;  // the chatbot; none: its routes are not served
  LiveChatService* live_chat = nullptr;  // live hand-over; none: its routes are not served
  StaffingService* staffing = nullptr;  // the staffing report, plan and what-if; none: not served
  ReportService* reports = nullptr;  // the service-desk reports; none: their routes are not served
};

// `services` must outlive the router.
void add_api_routes(Router& router, ApiServices& services);

}  // namespace fl::http
