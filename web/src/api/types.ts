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
