// "These articles may help": the articles matching the request being written. Each can be
// read right here, without leaving the form (the draft stays); reading one records the open
// in the deflection session, and "This solved my problem" ends the request without a ticket.
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api/client";
import type { Article, ArticleHit, Me } from "../api/types";
import { t } from "../i18n";
import { HelpfulVote } from "./helpful_vote";
import { kb } from "./kb_api";

export function MatchingArticles(props: {
  hits: ArticleHit[];
  session: string | undefined;
  me: Me;
  onSolved: (article: Article) => void;
}) {
  const [reading, setReading] = useState<number | null>(null);
  return (
    <section class="matching-articles" aria-labelledby="matching-title">
      <h2 id="matching-title">{t("portal.new.matching")}</h2>
      <p role="status" class="hint">
        {props.hits.length > 0
          ? t("portal.new.matchingCount", { n: props.hits.length })
          : t("portal.new.matchingNone")}
      </p>
      {props.hits.length > 0 && (
        <ul>
          {props.hits.map((hit) => (
            <li key={hit.id}>
              <h3 id={`match-${hit.id}`}>{hit.title}</h3>
              {/* The snippet is the server's escaped text with <mark>s (openapi: Snippet). */}
              <p class="snippet" dangerouslySetInnerHTML={{ __html: hit.snippet }} />
              <button
                type="button"
                class="secondary"
                aria-expanded={reading === hit.id}
                aria-controls={`match-body-${hit.id}`}
                aria-describedby={`match-${hit.id}`}
                onClick={() => setReading(reading === hit.id ? null : hit.id)}
              >
                {reading === hit.id ? t("portal.new.closeArticle") : t("portal.new.readArticle")}
              </button>
              <div id={`match-body-${hit.id}`}>
                {reading === hit.id && (
                  <ArticleInline id={hit.id} session={props.session} me={props.me} onSolved={props.onSolved} />
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ArticleInline(props: { id: number; session: string | undefined; me: Me; onSolved: (a: Article) => void }) {
  const [article, setArticle] = useState<Article | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    kb.article(props.id, props.session).then(setArticle, (e: ApiError) =>
      setError(t("error.generic", { detail: e.message })),
    );
  }, [props.id]);

  if (error) return <p class="error">{error}</p>;
  if (!article) return <p class="hint">{t("portal.loading")}</p>;
  return (
    <div class="article-inline">
      {/* body_html is rendered and sanitised by the server (docs/knowledge-base.md). */}
      <div class="article-body" lang={article.language} dangerouslySetInnerHTML={{ __html: article.body_html }} />
      <HelpfulVote articleId={article.id} me={props.me} headingLevel={4} />
      <button type="button" onClick={() => props.onSolved(article)}>
        {t("portal.new.solved")}
      </button>
    </div>
  );
}
