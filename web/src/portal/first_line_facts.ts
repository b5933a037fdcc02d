// The facts the service desk asks first (category, affected device, since when, how many
// people, can they work), how they set the ticket's impact and urgency, and the readable
// block that carries them into the description for the agent.
//
// Impact is how far the problem reaches:
//   just me → 3 (low), my team → 2 (medium), many people → 1 (high), everyone → 1 (high).
// Urgency is how much it stops work now:
//   I cannot work → 1 (high), I can work with difficulty → 2 (medium), it can wait → 3 (low);
//   but when many people are affected urgency is at least 2, and when everyone is, 1: an outage
//   for the whole organisation cannot wait, even if the person reporting it can.
// The server turns impact × urgency into the priority (docs/api/openapi.yaml, Priority):
// e.g. just me + cannot work = P3, my team + with difficulty = P3, everyone = P1.
import type { Key } from "../i18n";

export const CATEGORIES = ["account", "email", "printer", "hardware", "software", "network", "vpn", "other"] as const;
export const SINCE = ["just_now", "today", "days", "week"] as const;
export const PEOPLE = ["me", "team", "many", "everyone"] as const;
export const WORK = ["blocked", "impaired", "can_wait"] as const;

export type TicketCategory = (typeof CATEGORIES)[number];
export type Since = (typeof SINCE)[number];
export type PeopleAffected = (typeof PEOPLE)[number];
export type AbilityToWork = (typeof WORK)[number];

export interface FirstLineFacts {
  category: TicketCategory | "";
  device: string;
  since: Since | "";
  people: PeopleAffected | "";
  work: AbilityToWork | "";
}

export const noFacts: FirstLineFacts = { category: "", device: "", since: "", people: "", work: "" };

const IMPACT: Record<PeopleAffected, number> = { me: 3, team: 2, many: 1, everyone: 1 };
const URGENCY: Record<AbilityToWork, number> = { blocked: 1, impaired: 2, can_wait: 3 };
const URGENCY_AT_LEAST: Record<PeopleAffected, number> = { me: 3, team: 3, many: 2, everyone: 1 };

export function impactOf(people: PeopleAffected): number {
  return IMPACT[people];
}

export function urgencyOf(people: PeopleAffected, work: AbilityToWork): number {
  return Math.min(URGENCY[work], URGENCY_AT_LEAST[people]);
}

// The facts as lines of "label: answer" under the user's own description, in the language
// the user wrote in (`say` is the i18n t()).
export function describeWithFacts(
  description: string,
  facts: FirstLineFacts,
  say: (key: Key) => string,
): string {
  const lines = [
    `${say("portal.facts.category")}: ${say(`portal.category.${facts.category || "other"}` as Key)}`,
  ];
  if (facts.device.trim()) lines.push(`${say("portal.facts.device")}: ${facts.device.trim()}`);
  if (facts.since) lines.push(`${say("portal.facts.since")}: ${say(`portal.since.${facts.since}` as Key)}`);
  if (facts.people) lines.push(`${say("portal.facts.people")}: ${say(`portal.people.${facts.people}` as Key)}`);
  if (facts.work) lines.push(`${say("portal.facts.work")}: ${say(`portal.work.${facts.work}` as Key)}`);
  const block = `— ${say("portal.facts.heading")} —\n${lines.join("\n")}`;
  return description.trim() ? `${description.trim()}\n\n${block}` : block;
}
