// The self-service portal (line 0 and customers): the knowledge base for everyone, guests
// included (/portal/kb...), and for signed-in users a new request (/portal/new) and their
// tickets (/portal, /portal/tickets, /portal/tickets/{id}). One frame: the portal's own
// navigation, a live region for status messages, the page, and the chatbot widget.
import type { Me } from "../api/types";
import { ChatWidget } from "../chat/chat_widget";
import { t, useLanguage } from "../i18n";
import { onLink } from "../router";
import { useAnnouncement } from "./announce";
import { ArticlePage } from "./kb_article";
import { KnowledgeBaseHome } from "./kb_home";
import { SearchResultsPage } from "./kb_results";
import { onPortalLink, usePortalLocation } from "./location";
import { MyTicketsPage } from "./my_tickets";
import { NewRequestPage } from "./new_request";
import { TicketPage } from "./ticket_page";
import "./portal.css";

export function PortalPage(props: { me: Me | null }) {
  useLanguage();
  const { path, query } = usePortalLocation();
  const status = useAnnouncement();
  return (
    <div class="portal">
      <PortalNav me={props.me} path={path} />
      <p role="status" class={status ? "portal-status" : "portal-status empty-status"}>
        {status}
      </p>
      <div key={path}>
        <PortalView me={props.me} path={path} query={query} />
      </div>
      <ChatWidget />
    </div>
  );
}

function PortalView(props: { me: Me | null; path: string; query: URLSearchParams }) {
  const { me, path, query } = props;
  const article = path.match(/^\/portal\/kb\/articles\/(\d+)$/);
  if (article) return <ArticlePage id={Number(article[1])} me={me} />;
  if (path === "/portal/kb/search") return <SearchResultsPage query={query} />;
  if (path.startsWith("/portal/kb") || !me) return <KnowledgeBaseHome me={me} />;
  if (path === "/portal/new") return <NewRequestPage me={me} />;
  const ticket = path.match(/^\/portal\/tickets\/(\d+)$/);
  if (ticket) return <TicketPage id={Number(ticket[1])} me={me} />;
  return <MyTicketsPage me={me} />;
}

function PortalNav(props: { me: Me | null; path: string }) {
  const { me, path } = props;
  const here = (prefix: string, exact = false) =>
    (exact ? path === prefix : path.startsWith(prefix)) ? ("page" as const) : undefined;
  const inTickets = path === "/portal" || path.startsWith("/portal/tickets");
  return (
    <nav class="portal-nav" aria-label={t("portal.nav.label")}>
      <ul>
        <li>
          <a href="/portal/kb" onClick={onPortalLink} aria-current={here("/portal/kb")}>
            {t("portal.nav.kb")}
          </a>
        </li>
        {me ? (
          <>
            <li>
              <a href="/portal/new" onClick={onPortalLink} aria-current={here("/portal/new", true)}>
                {t("portal.nav.new")}
              </a>
            </li>
            <li>
              <a href="/portal/tickets" onClick={onPortalLink} aria-current={inTickets ? "page" : undefined}>
                {t("portal.title")}
              </a>
            </li>
          </>
        ) : (
          <li>
            <a href="/login" onClick={onLink}>
              {t("portal.nav.signIn")}
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}
