// The queue view: one team's, one line's or the agent's own tickets, filtered by status,
// assignee and tag, newest change first, kept current by the live feed. j/k move through the
// rows, Enter opens one, / jumps to the tag filter.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { ApiError, get, path } from "../api/client";
import { live, type LiveMessage, type Queue } from "../api/live";
import type { Me, Page, Priority, Status, Team, Ticket, TicketSummary } from "../api/types";
import { formatTime, t, type Key } from "../i18n";
import { navigate, onLink } from "../router";
import { highestLine, seesEverything, useDirectory, userName, type Directory } from "./directory";
import {
  ALL_STATUSES,
  compare,
  defaultSort,
  fromUrl,
  PRIORITIES,
  SLA_STATES,
  slaStateNow,
  SORTS,
  type SlaState,
  type Sort,
  matches,
  needsReload,
  parseTags,
  toApi,
  toUrl,
  type QueueQuery,
  type Scope,
} from "./queue_query";
import { useShortcuts } from "./shortcuts";
import { SavedViews } from "./views";

function scopeName(scope: Scope, dir: Directory | null, me: Me): string {
  if (scope === "mine") return t("queue.mine");
  if ("line" in scope) return t("queue.line", { line: scope.line });
  return (dir?.teams ?? me.teams).find((x) => x.id === scope.team)?.name ?? `#${scope.team}`;
}

function liveQueue(scope: Scope): Queue {
  return scope === "mine" ? "mine" : scope;
}

// The queues to choose from: the user's own teams first, then lines and the other teams
// they may see (supervisors and admins: all).
interface Counts {
  line: number;
  open: number;
  unassigned: number;
  at_risk: number;
  breached: number;
}
export interface QueueCountsAnswer {
  teams: (Counts & { team: { id: number } })[];
  lines: Counts[];
}

function countText(c: Counts | undefined): string {
  if (!c) return "";
  return " — " + t("queue.counts", { open: c.open, at_risk: c.at_risk, breached: c.breached });
}

function QueuePicker(props: { me: Me; dir: Directory | null; value: Scope; onChange: (s: Scope) => void; counts: QueueCountsAnswer | null }) {
  const { me, dir, counts } = props;
  const team = (id: number) => countText(counts?.teams.find((c) => c.team.id === id) ?? (counts ? { line: 0, open: 0, unassigned: 0, at_risk: 0, breached: 0 } : undefined));
  const line = (l: number) => countText(counts?.lines.find((c) => c.line === l) ?? (counts ? { line: l, open: 0, unassigned: 0, at_risk: 0, breached: 0 } : undefined));
  const top = highestLine(me);
  const mine = new Set(me.teams.map((x) => x.id));
  const others = (dir?.teams ?? []).filter(
    (x: Team) => !mine.has(x.id) && (seesEverything(me) || (x.line <= top && x.kind !== "vendor")),
  );
  const lines = [1, 2, 3, 4].filter((l) => l <= top);
  const value = JSON.stringify(props.value);
  return (
    <div class="field">
      <label for="queue-scope">{t("queue.choose")}</label>
      <select id="queue-scope" value={value} onChange={(e) => props.onChange(JSON.parse(e.currentTarget.value) as Scope)}>
        <option value={JSON.stringify("mine")}>{t("queue.mine")}</option>
        {me.teams.length > 0 && (
          <optgroup label={t("queue.myTeams")}>
            {me.teams.map((x) => (
              <option key={x.id} value={JSON.stringify({ team: x.id })}>
                {x.name} ({t("queue.lineShort", { line: x.line })}){team(x.id)}
              </option>
            ))}
          </optgroup>
        )}
        <optgroup label={t("queue.lines")}>
          {lines.map((l) => (
            <option key={l} value={JSON.stringify({ line: l })}>
              {t("queue.line", { line: l })}{line(l)}
            </option>
          ))}
        </optgroup>
        {others.length > 0 && (
          <optgroup label={t("queue.otherTeams")}>
            {others.map((x) => (
              <option key={x.id} value={JSON.stringify({ team: x.id })}>
                {x.name} ({t("queue.lineShort", { line: x.line })}){team(x.id)}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </div>
  );
}

function QueueFilters(props: { query: QueueQuery; onChange: (q: QueueQuery) => void; tagInput: { current: HTMLInputElement | null } }) {
  const { query, onChange } = props;
  const [tag, setTag] = useState(query.tags.join(" "));
  useEffect(() => setTag(query.tags.join(" ")), [query.tags.join(" ")]);
  const toggle = (s: Status, on: boolean) =>
    onChange({ ...query, statuses: ALL_STATUSES.filter((x) => (x === s ? on : query.statuses.includes(x))) });
  return (
    <div class="filters">
      <fieldset class="statuses">
        <legend>{t("ticket.status")}</legend>
        {ALL_STATUSES.map((s) => (
          <label key={s} class="check">
            <input type="checkbox" checked={query.statuses.includes(s)} onChange={(e) => toggle(s, e.currentTarget.checked)} />
            {t(`cstatus.${s}` as Key)}
          </label>
        ))}
      </fieldset>
      <fieldset class="priorities">
        <legend>{t("ticket.priority")}</legend>
        {PRIORITIES.map((p) => (
          <label key={p} class="check">
            <input
              type="checkbox"
              checked={query.priorities.includes(p)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                onChange({ ...query, priorities: PRIORITIES.filter((x: Priority) => (x === p ? on : query.priorities.includes(x))) });
              }}
            />
            {p}
          </label>
        ))}
      </fieldset>
      <fieldset class="sla-states">
        <legend>{t("queue.sla")}</legend>
        {SLA_STATES.map((st) => (
          <label key={st} class="check">
            <input
              type="checkbox"
              checked={query.sla.includes(st)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                onChange({ ...query, sla: SLA_STATES.filter((x: SlaState) => (x === st ? on : query.sla.includes(x))) });
              }}
            />
            {t(`queue.sla.${st}` as Key)}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for="queue-sort">{t("queue.sort")}</label>
        <select id="queue-sort" value={query.sort} onChange={(e) => onChange({ ...query, sort: e.currentTarget.value as Sort })}>
          {SORTS.map((x) => (
            <option key={x} value={x}>
              {t(`queue.sort.${x}` as Key)}
            </option>
          ))}
        </select>
      </div>
      {query.scope !== "mine" && (
        <div class="field">
          <label for="queue-assignee">{t("queue.assignee")}</label>
          <select id="queue-assignee"
            value={query.assignee}
            onChange={(e) => onChange({ ...query, assignee: e.currentTarget.value as QueueQuery["assignee"] })}
          >
            <option value="any">{t("queue.assignee.any")}</option>
            <option value="me">{t("queue.assignee.me")}</option>
            <option value="none">{t("queue.assignee.none")}</option>
          </select>
        </div>
      )}
      <form
        class="field"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          onChange({ ...query, tags: parseTags(tag) });
        }}
      >
        <label for="queue-tag">{t("queue.tag")}</label>
        <span class="row">
          <input id="queue-tag" ref={props.tagInput} value={tag} aria-describedby="queue-tag-hint"
            onInput={(e) => setTag(e.currentTarget.value)} />
          <button type="submit" class="secondary">{t("queue.filter")}</button>
        </span>
        <span id="queue-tag-hint" class="hint">{t("queue.tagHint")}</span>
      </form>
    </div>
  );
}

// Counts of what is loaded, by status; "+" when more pages exist.
function QueueCounts(props: { tickets: TicketSummary[]; more: boolean }) {
  const by = new Map<Status, number>();
  for (const x of props.tickets) by.set(x.status, (by.get(x.status) ?? 0) + 1);
  const plus = props.more ? "+" : "";
  return (
    <p class="counts" aria-live="polite">
      <strong>{t("queue.count", { count: `${props.tickets.length}${plus}` })}</strong>
      {[...by.entries()].map(([s, n]) => (
        <span key={s} class={`chip status-${s}`}>
          {t(`cstatus.${s}` as Key)}: {n}
        </span>
      ))}
    </p>
  );
}

// The row's SLA badge: amber at risk, red breached, moving on with the clock (now).
function SlaBadge(props: { ticket: TicketSummary; now: number }) {
  const state = slaStateNow(props.ticket, props.now);
  if (state === "none") return <span class="muted">—</span>;
  const cls = state === "breached" ? "red" : state === "at_risk" ? "amber" : "ok";
  const due = props.ticket.sla_due_at;
  return (
    <span class={`sla-badge ${cls}`} data-sla={state} title={due ? formatTime(due) : undefined}>
      {t(`queue.sla.${state}` as Key)}
    </span>
  );
}

function QueueTable(props: { tickets: TicketSummary[]; dir: Directory | null; selected: number; onSelect: (i: number) => void }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    // Moves badges to at risk or breached as the warning and due times pass.
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  if (props.tickets.length === 0) return <p class="empty">{t("console.empty")}</p>;
  return (
    <table class="tickets queue">
      <thead>
        <tr>
          <th scope="col">{t("ticket.number")}</th>
          <th scope="col">{t("ticket.subject")}</th>
          <th scope="col">{t("ticket.status")}</th>
          <th scope="col">{t("ticket.priority")}</th>
          <th scope="col">{t("queue.sla")}</th>
          <th scope="col">{t("ticket.team")}</th>
          <th scope="col">{t("ticket.assignee")}</th>
          <th scope="col">{t("ticket.updated")}</th>
        </tr>
      </thead>
      <tbody>
        {props.tickets.map((x, i) => (
          <tr key={x.id} data-ticket={x.number} class={i === props.selected ? "selected" : undefined}>
            <td>#{x.number}</td>
            <td>
              <a href={`/console/tickets/${x.id}`} onClick={onLink} onFocus={() => props.onSelect(i)}>
                {x.subject}
              </a>
            </td>
            <td>{t(`cstatus.${x.status}` as Key)}</td>
            <td>
              <span class={`prio ${x.priority}`}>{x.priority}</span>
            </td>
            <td>
              <SlaBadge ticket={x} now={now} />
            </td>
            <td>
              {x.team.name} ({t("queue.lineShort", { line: x.line })})
            </td>
            <td>{userName(props.dir, x.assignee_id) || "—"}</td>
            <td>{formatTime(x.updated_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function QueuePage(props: { me: Me }) {
  const { me } = props;
  const dir = useDirectory();
  const [query, setQuery] = useState<QueueQuery>(() => fromUrl(location.search, me));
  const [tickets, setTickets] = useState<TicketSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState(-1);
  const [counts, setCounts] = useState<QueueCountsAnswer | null>(null);
  const countsTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const countsAt = useRef(0);

  // Counts per queue (GET /queues): on open, then at most every 5 s while live events come.
  function refreshCounts() {
    if (countsTimer.current) return;
    const wait = Math.max(0, countsAt.current + 5000 - Date.now());
    countsTimer.current = setTimeout(() => {
      countsTimer.current = undefined;
      countsAt.current = Date.now();
      get<QueueCountsAnswer>("/api/v1/queues").then(setCounts, () => {});
    }, wait);
  }
  useEffect(() => {
    refreshCounts();
    return () => clearTimeout(countsTimer.current);
  }, []);
  const tagInput = useRef<HTMLInputElement>(null);
  const table = useRef<HTMLDivElement>(null);

  function change(q: QueueQuery) {
    navigate(toUrl(q), true);
    setQuery(q);
  }

  useEffect(() => {
    let stale = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      get<Page<TicketSummary>>(path("/api/v1/tickets", toApi(query))).then(
        (page) => {
          if (stale) return;
          performance.mark("queue:data");
          setTickets(page.items);
          setCursor(page.next_cursor ?? null);
          setError(null);
        },
        (e: ApiError) => !stale && setError(t("error.generic", { detail: e.message })),
      );
    const reloadSoon = () => {
      clearTimeout(timer);
      timer = setTimeout(load, 300);
    };
    // A ticket left some followed queue: look again whether it still belongs here.
    const recheck = (id: number) =>
      get<Ticket>(`/api/v1/tickets/${id}`).then(
        (x) => place(x),
        () => setTickets((list) => list && list.filter((y) => y.id !== id)),
      );
    const place = (x: TicketSummary) =>
      setTickets((list) => {
        const rest = (list ?? []).filter((y) => y.id !== x.id);
        return matches(query, x, me) ? [x, ...rest].sort(compare(query.sort)) : rest;
      });
    setTickets(null);
    load();
    const stop = live.follow({ queues: [liveQueue(query.scope)] }, (m: LiveMessage) => {
      refreshCounts();
      if (m.type === "resync" || (m.type !== "ticket_left" && needsReload(query))) return reloadSoon();
      if (m.type === "ticket_left") return void recheck(m.ticket_id);
      place(m.ticket);
    });
    return () => {
      stale = true;
      clearTimeout(timer);
      stop();
    };
  }, [JSON.stringify(query)]);

  // The speed figure the browser tests print: data arrived -> rows in the DOM and painted.
  useLayoutEffect(() => {
    if (!tickets || performance.getEntriesByName("queue:data", "mark").length === 0) return;
    requestAnimationFrame(() => {
      performance.measure("queue:render", "queue:data");
      performance.clearMarks("queue:data");
    });
  }, [tickets]);

  function focusRow(i: number) {
    const links = table.current?.querySelectorAll<HTMLAnchorElement>("tbody a");
    if (!links || links.length === 0) return;
    const at = Math.max(0, Math.min(links.length - 1, i));
    setSelected(at);
    links[at].focus();
  }

  useShortcuts({
    j: () => focusRow(selected + 1),
    k: () => focusRow(selected - 1),
    Enter: () => tickets && tickets[selected] && navigate(`/console/tickets/${tickets[selected].id}`),
    "/": () => tagInput.current?.focus(),
  });

  async function loadMore() {
    if (!cursor) return;
    try {
      const page = await get<Page<TicketSummary>>(path("/api/v1/tickets", { ...toApi(query), cursor }));
      setTickets((list) => [...(list ?? []), ...page.items.filter((x) => !list?.some((y) => y.id === x.id))]);
      setCursor(page.next_cursor ?? null);
    } catch (e) {
      setError(t("error.generic", { detail: (e as Error).message }));
    }
  }

  return (
    <section aria-labelledby="queue-title" class="queue-page">
      <h1 id="queue-title">
        {t("console.title")}: {scopeName(query.scope, dir, me)}
      </h1>
      <div class="toolbar">
        <QueuePicker me={me} dir={dir} value={query.scope} counts={counts}
          onChange={(scope) => change({ ...query, scope, sort: defaultSort(scope) })} />
        <QueueFilters query={query} onChange={change} tagInput={tagInput} />
      </div>
      <SavedViews me={me} query={query} onApply={change} />
      {error && <p class="error" role="alert">{error}</p>}
      {tickets && <QueueCounts tickets={tickets} more={cursor !== null} />}
      <div ref={table}>
        {tickets && <QueueTable tickets={tickets} dir={dir} selected={selected} onSelect={setSelected} />}
      </div>
      {cursor && (
        <button type="button" class="secondary" onClick={loadMore}>
          {t("queue.more")}
        </button>
      )}
    </section>
  );
}
