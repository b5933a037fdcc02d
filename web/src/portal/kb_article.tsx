// One article as a reader sees it: the server's sanitised HTML, its other languages, and the
// helpful vote. When the reader switches the UI language and the article has a translation in
// it, the page follows to that translation.
import { Fragment } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api/client";
import type { Article, ArticleSummary, Category, Me } from "../api/types";
import { formatTime, t, useLanguage, type Key } from "../i18n";
import { HelpfulVote } from "./helpful_vote";
import { kb } from "./kb_api";
import { articleHref, categoryHref } from "./kb_lists";
import { goTo, onPortalLink } from "./location";
import { PageHeading } from "./page_heading";
import { StillNeedHelp } from "./still_need_help";

const LANGUAGE_NAMES = { de: "Deutsch", en: "English" } as const;

export function ArticlePage(props: { id: number; me: Me | null }) {
  const language = useLanguage();
  const [article, setArticle] = useState<Article | null>(null);
  const [translations, setTranslations] = useState<ArticleSummary[]>([]);
  const [categories, setCategories] = useState<Category[]>([]);
  const [error, setError] = useState<string | null>(null);
  const shownLanguage = useRef(language);

  useEffect(() => {
    kb.article(props.id).then(setArticle, (e: ApiError) =>
      setError(e.status === 404 ? t("portal.kb.notFound") : t("error.generic", { detail: e.message })),
    );
    kb.translations(props.id).then(setTranslations, () => {});
    kb.categories().then(setCategories, () => {});
  }, [props.id]);

  // Follow a change of the UI language to the translation in it, if there is one.
  useEffect(() => {
    if (language === shownLanguage.current) return;
    shownLanguage.current = language;
    const there = translations.find((a) => a.language === language);
    if (article && article.language !== language && there) goTo(articleHref(there.id), true);
  }, [language]);

  if (error) return <p class="error" role="alert">{error}</p>;
  if (!article) return null;
  const category = categories.find((c) => c.id === article.category_id);

  return (
    <>
      <article class="kb-article" lang={article.language} aria-labelledby="article-title">
        <PageHeading id="article-title">{article.title}</PageHeading>
        <p class="meta" lang={language}>
          {t(`portal.kind.${article.kind}` as Key)}
          {category && (
            <>
              {" · "}
              <a href={categoryHref(category.id)} onClick={onPortalLink}>
                {category.name}
              </a>
            </>
          )}
          {" · "}
          {t("portal.kb.updated", { at: formatTime(article.updated_at) })}
        </p>
        {translations.length > 0 && (
          <p class="translations" lang={language}>
            {t("portal.kb.alsoIn")}{" "}
            {translations.map((tr, i) => (
              <Fragment key={tr.id}>
                {i > 0 && ", "}
                <a href={articleHref(tr.id)} onClick={onPortalLink} lang={tr.language} hreflang={tr.language}>
                  {LANGUAGE_NAMES[tr.language]}: {tr.title}
                </a>
              </Fragment>
            ))}
          </p>
        )}
        {/* body_html is rendered and sanitised by the server (docs/knowledge-base.md). */}
        <div class="article-body" dangerouslySetInnerHTML={{ __html: article.body_html }} />
      </article>
      <HelpfulVote articleId={article.id} me={props.me} />
      <StillNeedHelp me={props.me} />
    </>
  );
}
