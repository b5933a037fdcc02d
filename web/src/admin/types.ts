// The records the admin area reads and writes (docs/api/openapi.yaml is the reference). The
// shared ones (User, Team, Organization, Category, Status, Priority, Role) come from
// ../api/types; these add the fields only the admin screens use.
import type { Priority, Role, Status, Team, User } from "../api/types";

export type { Priority, Role, Status };

export const ROLES: Role[] = ["customer", "agent", "supervisor", "admin"];
export const STATUSES: Status[] = ["new", "open", "pending_customer", "pending_vendor", "resolved", "closed"];
export const PRIORITIES: Priority[] = ["P1", "P2", "P3", "P4"];
export const LINES = [1, 2, 3, 4] as const;
export const CHANNELS = ["phone", "email", "web", "chat", "bot", "api"] as const;

export interface AdminUser extends User {
  team_ids: number[];
  availability?: "available" | "away";
  skills?: string[];
  phone?: string;
  extension?: string;
  created_at?: string;
}

export type AssignmentMode = "manual" | "round_robin" | "least_open";
export const ASSIGNMENT_MODES: AssignmentMode[] = ["manual", "round_robin", "least_open"];
export type TeamKind = Team["kind"];
export const TEAM_KINDS: TeamKind[] = ["internal", "outsourced", "vendor"];

export interface AdminTeam extends Team {
  assignment?: AssignmentMode;
  skill_routing?: boolean;
}

export interface AdminOrganization {
  id: number;
  name: string;
  domain: string;
  customers_see_all_tickets: boolean;
}

// --- SLA
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type OpeningSpan = [string, string];

export interface Holiday {
  date: string; // MM-DD every year, YYYY-MM-DD once
  name: string;
}

export interface BusinessCalendar {
  id: number;
  version: number;
  name: string;
  time_zone: string;
  week: Record<Weekday, OpeningSpan[]>;
  holidays: Holiday[];
}

export const TARGET_METRICS = ["first_response", "next_response", "resolution"] as const;
export type TargetMetric = (typeof TARGET_METRICS)[number];
export type SlaMetric = TargetMetric | "line_response" | "line_resolution";
export const SLA_METRICS: SlaMetric[] = [...TARGET_METRICS, "line_response", "line_resolution"];

export interface SlaTargets {
  first_response_minutes: number | null;
  next_response_minutes: number | null;
  resolution_minutes: number | null;
  calendar_id: number | null;
}

export interface LineTarget {
  line: number;
  team_id: number | null;
  respond_minutes: number | null;
  resolve_minutes: number | null;
}

export interface LadderStep {
  metric: SlaMetric;
  percent: number;
  notify_assignee: boolean;
  notify_supervisor: boolean;
  raise_priority: boolean;
  escalate_to_team_id: number | null;
}

export interface SlaCondition {
  organizations: number[];
  priorities: Priority[];
  categories: string[];
  channels: string[];
}

export interface SlaPolicy {
  id: number;
  version: number;
  name: string;
  rank: number;
  active: boolean;
  calendar_id: number;
  applies_to: SlaCondition;
  targets: Record<Priority, SlaTargets>;
  line_targets: LineTarget[];
  pause_on: Status[];
  ladder: LadderStep[];
}

// --- rules
export const RULE_EVENTS = [
  "created", "updated", "status_changed", "entry_added", "escalated", "transferred", "returned", "sla_step", "sla_breached",
] as const;
export const CONDITION_FIELDS = [
  "status", "priority", "impact", "urgency", "line", "team", "category", "channel", "tag", "assignee", "organization",
  "requester", "subject", "by", "entry_kind",
] as const;
export const CONDITION_OPS = ["is", "is_not", "contains", "not_contains", "at_least", "at_most", "is_set", "not_set"] as const;
export const ACTION_TYPES = [
  "set_status", "set_priority", "set_category", "add_tag", "remove_tag", "assign", "notify", "reply", "note", "webhook",
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];
export const RECIPIENTS = ["assignee", "team", "supervisors"] as const;

export interface RuleCondition {
  field: string;
  op: string;
  values?: (string | number)[];
}

export type RuleText = string | { en?: string; de?: string };

export interface RuleAction {
  type: ActionType;
  status?: Status;
  impact?: number;
  urgency?: number;
  category?: string;
  tag?: string;
  to?: number | "auto" | "nobody";
  recipients?: string[];
  user_id?: number;
  text?: RuleText;
  webhook_id?: number;
}

export interface Rule {
  id: number;
  version: number;
  name: string;
  description?: string;
  active: boolean;
  on?: string[];
  wait?: { statuses: Status[]; after_minutes: number; calendar_id: number | null };
  conditions?: RuleCondition[];
  actions: RuleAction[];
  time_based: boolean;
  updated_at?: string;
}

// --- macros
export interface AdminMacro {
  id: number;
  version: number;
  name: string;
  team_id: number | null;
  entry_kind: "reply" | "note";
  text: string;
  status: Status | null;
  add_tags: string[];
  impact: number | null;
  urgency: number | null;
  assign_to_me: boolean;
  active: boolean;
}

export const MACRO_PLACEHOLDERS = [
  "{{ticket.number}}", "{{ticket.subject}}", "{{requester.name}}", "{{agent.name}}", "{{agent.email}}", "{{team.name}}",
];

export interface List<T> {
  items: T[];
}
