// The ticket's SLA clocks as badges: time left (or over), amber once a clock has used the
// share of its first ladder step (75 % when the policy has none below the breach), red when
// breached. The ladder comes from the policy version the clocks run on; who may not read
// policies (vendor agents) gets the 75 % rule.
import { useEffect, useState } from "preact/hooks";
import { get } from "../api/client";
import type { SlaClock, SlaMetric, SlaPolicyLadder, TicketSla } from "../api/types";
import { t, type Key } from "../i18n";

const ladders = new Map<string, Promise<SlaPolicyLadder | null>>();

function ladder(policy: { id: number; version: number }): Promise<SlaPolicyLadder | null> {
  const key = `${policy.id}/${policy.version}`;
  if (!ladders.has(key))
    ladders.set(key, get<SlaPolicyLadder>(`/api/v1/sla/policies/${policy.id}?version=${policy.version}`).catch(() => null));
  return ladders.get(key)!;
}

export function amberShare(policy: SlaPolicyLadder | null, metric: SlaMetric): number {
  const steps = (policy?.ladder ?? []).filter((s) => s.metric === metric && s.percent < 100).map((s) => s.percent);
  return steps.length > 0 ? Math.min(...steps) : 75;
}

export type Urgency = "ok" | "amber" | "red";

export function clockUrgency(clock: SlaClock, amberAt: number): Urgency {
  if (clock.state === "breached" || clock.percent_used >= 100) return "red";
  if (clock.state === "met") return "ok";
  return clock.percent_used >= amberAt ? "amber" : "ok";
}

// "3 h 20 min", "2 d 4 h", "12 min".
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return t("sla.dh", { d, h });
  if (h > 0) return t("sla.hm", { h, m });
  return t("sla.m", { m });
}

function clockText(clock: SlaClock, now: number): string {
  if (clock.state === "paused") return t("sla.paused");
  if (clock.state === "met") return t("sla.met");
  if (clock.state === "breached" && clock.stopped_at) return t("sla.breachedStopped");
  if (!clock.due_at) return t(`sla.state.${clock.state}` as Key);
  const left = Date.parse(clock.due_at) - now;
  return left >= 0 ? t("sla.left", { time: duration(left) }) : t("sla.over", { time: duration(left) });
}

function clockName(clock: SlaClock): string {
  const name = t(`sla.metric.${clock.metric}` as Key);
  return clock.line ? `${name} (${t("queue.lineShort", { line: clock.line })})` : name;
}

export function SlaClocks(props: { sla: TicketSla | null }) {
  const { sla } = props;
  const [policy, setPolicy] = useState<SlaPolicyLadder | null>(null);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (sla?.policy) ladder(sla.policy).then(setPolicy);
  }, [sla?.policy?.id, sla?.policy?.version]);
  if (!sla) return null;
  if (!sla.policy || sla.clocks.length === 0) return <p class="muted">{t("sla.none")}</p>;
  // The clocks that still matter: running, paused, breached; met ones only while nothing else runs.
  const current = sla.clocks.filter((c) => c.state !== "met");
  const shown = current.length > 0 ? current : sla.clocks.slice(-1);
  return (
    <ul class="sla" aria-label={t("sla.title")}>
      {shown.map((c) => {
        const urgency = clockUrgency(c, amberShare(policy, c.metric));
        return (
          <li key={`${c.metric}-${c.cycle}-${c.line ?? 0}`} class={`clock ${urgency}`} data-urgency={urgency}>
            <span class="clock-name">{clockName(c)}</span>{" "}
            <span class="clock-time">{clockText(c, now)}</span>
            {urgency !== "ok" && <span class="visually-hidden"> ({t(`sla.urgency.${urgency}` as Key)})</span>}
          </li>
        );
      })}
    </ul>
  );
}
