// The API's records as the UI reads them (docs/api/openapi.yaml is the reference).
export type Role = "customer" | "agent" | "supervisor" | "admin";
export type Status = "new" | "open" | "pending_customer" | "pending_vendor" | "resolved" | "closed";
export type Priority = "P1" | "P2" | "P3" | "P4";

export interface Team {
  id: number;
  name: string;
  line: number;
  kind: "internal" | "outsourced" | "vendor";
  organization_ids: number[];
}

export interface User {
  id: number;
  login: string;
  name: string;
  email: string;
  role: Role;
  language: "de" | "en";
  organization_id: number | null;
  team_ids?: number[];
  active: boolean;
}

export interface Me extends User {
  teams: Team[];
}

export interface TeamRef {
  id: number;
  name: string;
}

// What the live feed says of a ticket: enough to place and show it in a list.
export interface TicketSummary {
  id: number;
  number: number;
  subject: string;
  status: Status;
  priority: Priority;
  line: number;
  team: TeamRef;
  assignee_id: number | null;
  requester_id: number;
  updated_at: string;
  version: number;
  sla_state?: "none" | "running" | "at_risk" | "paused" | "breached";
  sla_due_at?: string | null;
  sla_warn_at?: string | null;
}

export interface Ticket extends TicketSummary {
  impact: number;
  urgency: number;
  origin_team: TeamRef;
  organization_id: number | null;
  channel: string;
  category: string;
  tags: string[];
  vendor_reference: string;
  created_at: string;
}

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

export interface FieldError {
  field: string;
  message: string;
}

// application/problem+json (RFC 9457).
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
}

// --- portal
// The knowledge base and the customer's side of a ticket, as the self-service portal reads them.
export type ArticleLanguage = "de" | "en";
export type ArticleKind = "faq" | "howto" | "troubleshooting";

export interface Category {
  id: number;
  name: string;
  parent_id: number | null;
}

export interface ArticleSummary {
  id: number;
  title: string;
  language: ArticleLanguage;
  translation_of: number | null;
  category_id: number | null;
  kind: ArticleKind;
  views: number;
  helpful: number;
  not_helpful: number;
  created_at: string;
  updated_at: string;
}

// body_html is rendered and sanitised by the server (docs/knowledge-base.md, "Rendering").
export interface Article extends ArticleSummary {
  body_html: string;
}

// title is plain text; snippet is the server's escaped HTML with <mark> around matches.
export interface ArticleHit {
  id: number;
  title: string;
  score: number;
  snippet: string;
}

export interface ArticleSearchResults {
  items: ArticleHit[];
  estimated_total: number;
  did_you_mean: string | null;
  facets: {
    categories: { id: number; count: number }[];
    kinds: { kind: ArticleKind; count: number }[];
  };
}

export interface ArticleSuggestion {
  id: number;
  title: string;
}

export interface DeflectionOffer {
  deflection_session: string;
  suggestions: ArticleHit[];
}

// --- console
// The records the agent console reads beyond the shared ones (docs/api/openapi.yaml).
export type Channel = "phone" | "email" | "web" | "chat" | "bot" | "api";
export type EscalationReason =
  | "needs_expertise"
  | "needs_access"
  | "infrastructure"
  | "vendor_required"
  | "sla_risk"
  | "customer_request";

export interface CallDetails {
  direction: "inbound" | "outbound";
  duration_seconds?: number;
  caller?: string;
}

// A file on an entry; its bytes come from GET /api/v1/attachments/{id} (client.ts download).
export interface Attachment {
  id: number;
  filename: string;
  size: number;
  content_type: string;
}

// POST /api/v1/uploads: the file, not yet on an entry; name its id in attachment_ids.
export interface Upload extends Attachment {
  sha256: string;
}

export interface Entry {
  id: number;
  ticket_id?: number;
  kind: "reply" | "note" | "call" | "event";
  author_id: number | null;
  body: string;
  call: CallDetails | null;
  time_spent_minutes?: number; // time accounting; 0: none recorded
  created_at: string;
  attachments?: Attachment[]; // absent for events
  event?: { type: string; payload: Record<string, unknown> };
  mail?: EntryMail; // staff only: a reply mailed to the requester
}

export interface EntryMail {
  id: number; // for POST /tickets/{id}/mail/{mail_id}/resend
  status: "queued" | "retrying" | "sent" | "failed";
  attempts: number;
  last_error: string | null;
  sent_at: string | null;
  next_attempt_at?: string | null;
}

export interface MoveResult {
  ticket: Ticket;
  move: { kind: "escalation" | "transfer" | "return"; to_line: number; to_team: number; note: string };
}

export type ClockState = "running" | "paused" | "met" | "breached";
export type SlaMetric = "first_response" | "next_response" | "resolution" | "line_response" | "line_resolution";

export interface SlaClock {
  metric: SlaMetric;
  cycle: number;
  state: ClockState;
  target_minutes: number;
  due_at: string | null;
  percent_used: number;
  stopped_at: string | null;
  breached_at: string | null;
  upcoming_steps: { percent: number; due_at: string | null }[];
  line?: number;
  team_id?: number;
}

export interface TicketSla {
  policy: { id: number; version: number; name: string } | null;
  clocks: SlaClock[];
  next_check_at: string | null;
}

export interface SlaPolicyLadder {
  id: number;
  version: number;
  ladder: { metric: SlaMetric; percent: number }[];
}

export interface Macro {
  id: number;
  name: string;
  team_id: number | null;
  entry_kind: "reply" | "note";
  text?: string;
  status?: Status | null;
  active: boolean;
}

export interface Organization {
  id: number;
  name: string;
}

export interface Notification {
  id: number;
  ticket_id: number;
  kind: "assigned" | "team_received" | "customer_replied" | "sla_warning" | "sla_breach" | "rule";
  event_id: number;
  text: string;
  created_at: string;
  read_at: string | null;
}

export interface NotificationPage {
  items: Notification[];
  unread: number;
  next_before?: number;
}
