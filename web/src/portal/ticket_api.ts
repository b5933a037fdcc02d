// The customer's side of tickets: filing one (with the deflection offer first), reading the
// public timeline and replying.
import { get, path, post } from "../api/client";
import type { DeflectionOffer, Entry, Page, Ticket, TicketSummary } from "../api/types";

export interface NewRequest {
  subject: string;
  description: string;
  category: string;
  impact: number;
  urgency: number;
  deflection_session?: string;
  attachment_ids?: number[];
}

export const tickets = {
  mine: (requester: number) =>
    get<Page<TicketSummary>>(path("/api/v1/tickets", { requester, limit: 100 })).then((p) => p.items),

  one: (id: number) => get<Ticket>(`/api/v1/tickets/${id}`),

  // For a customer the API gives replies and public events only.
  entries: (id: number) => get<Page<Entry>>(`/api/v1/tickets/${id}/entries`).then((p) => p.items),

  // A reply by the requester to a resolved ticket reopens it (the API's rule).
  reply: (id: number, body: string, attachment_ids: number[] = []) =>
    post<Entry>(`/api/v1/tickets/${id}/entries`, { kind: "reply", body, attachment_ids }),

  // Starts a deflection session: the articles shown are recorded against it; no ticket yet.
  offerArticles: (subject: string, description: string) =>
    post<DeflectionOffer>("/api/v1/tickets", { subject, description, suggest: true }),

  file: (request: NewRequest) => post<Ticket>("/api/v1/tickets", request),
};
