// Ticket search in the console (GET /api/v1/tickets/search): the box in the console's navigation
// ("s" focuses it) and the results page /console/search?q=. A ticket number (100042, #100042)
// that matches opens the ticket at once; otherwise the best matches with the server's snippets.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, get, path } from "../api/client";
import { t } from "../i18n";
import { navigate, onLink } from "../router";
import { useShortcuts } from "./shortcuts";

interface TicketHit {
  id: number;
  number: number;
  subject: string;
  score: number;
  snippet: string;
}

interface TicketSearchResults {
  items: TicketHit[];
  estimated_total: number;
}

export function searchUrl(q: string): string {
  return `/console/search?q=${encodeURIComponent(q.trim())}`;
}

export function TicketSearchBox(props: { onSearch: (q: string) => void }) {
  const [q, setQ] = useState(() => new URLSearchParams(location.search).get("q") ?? "");
  const input = useRef<HTMLInputElement>(null);
  useShortcuts({ s: () => input.current?.focus() });
  return (
    <form
      role="search"
      class="ticket-search"
      onSubmit={(e) => {
        e.preventDefault();
        if (!q.trim()) return;
        navigate(searchUrl(q));
        props.onSearch(q.trim());
      }}
    >
      <label for="ticket-search" class="visually-hidden">
        {t("search.label")}
      </label>
      <input id="ticket-search" ref={input} type="search" value={q} placeholder={t("search.placeholder")}
        aria-keyshortcuts="s" onInput={(e) => setQ(e.currentTarget.value)} />
      <button type="submit" class="secondary">{t("search.go")}</button>
    </form>
  );
}

function ticketNumber(q: string): number | null {
  const m = q.trim().match(/^#?(\d{6,})$/);
  return m ? Number(m[1]) : null;
}

export function SearchPage(props: { q: string }) {
  const { q } = props;
  const [results, setResults] = useState<TicketSearchResults | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    let stale = false;
    setResults(null);
    setError("");
    get<TicketSearchResults>(path("/api/v1/tickets/search", { q, limit: 50 })).then(
      (r) => {
        if (stale) return;
        const number = ticketNumber(q);
        const exact = number !== null ? r.items.find((x) => x.number === number) : undefined;
        if (exact) return navigate(`/console/tickets/${exact.id}`, true);
        setResults(r);
      },
      (e: ApiError) => !stale && setError(t("error.generic", { detail: e.message })),
    );
    return () => void (stale = true);
  }, [q]);

  return (
    <section aria-labelledby="search-title" class="search-page">
      <h1 id="search-title">{t("search.title", { q })}</h1>
      {error && <p class="error" role="alert">{error}</p>}
      {!results && !error && <p class="muted">{t("search.loading")}</p>}
      {results && (
        <>
          <p role="status">{t("search.count", { count: results.estimated_total })}</p>
          <ol class="search-hits">
            {results.items.map((hit) => (
              <li key={hit.id}>
                <a href={`/console/tickets/${hit.id}`} onClick={onLink}>
                  #{hit.number} {hit.subject}
                </a>
                {/* The snippet is the server's escaped text with <mark>s (openapi: Snippet). */}
                <p class="snippet" dangerouslySetInnerHTML={{ __html: hit.snippet }} />
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
