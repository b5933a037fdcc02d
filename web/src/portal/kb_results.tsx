// Search results (GET /kb/search): the best matches with their snippets, "did you mean",
// and the facets (categories, kinds) as filters. Without a query it lists a category.
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api/client";
import type { ArticleKind, ArticleSearchResults, Category } from "../api/types";
import { t, type Key } from "../i18n";
import { kb } from "./kb_api";
import { articleHref } from "./kb_lists";
import { ArticleSearchBox } from "./kb_search_box";
import { onPortalLink } from "./location";
import { PageHeading } from "./page_heading";

interface Filters {
  q: string;
  category?: number;
  kind?: ArticleKind;
}

function searchHref(f: Filters): string {
  const p = new URLSearchParams();
  if (f.q) p.set("q", f.q);
  if (f.category) p.set("category", String(f.category));
  if (f.kind) p.set("kind", f.kind);
  return `/portal/kb/search?${p}`;
}

function readFilters(query: URLSearchParams): Filters {
  const category = Number(query.get("category")) || undefined;
  const kind = query.get("kind");
  return {
    q: (query.get("q") ?? "").trim(),
    category,
    kind: kind === "faq" || kind === "howto" || kind === "troubleshooting" ? kind : undefined,
  };
}

export function SearchResultsPage(props: { query: URLSearchParams }) {
  const filters = readFilters(props.query);
  const [categories, setCategories] = useState<Category[]>([]);
  const [results, setResults] = useState<ArticleSearchResults | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => void kb.categories().then(setCategories, () => {}), []);

  useEffect(() => {
    let current = true;
    setError(null);
    kb.search(filters.q, { category: filters.category, kind: filters.kind }).then(
      (r) => {
        if (!current) return;
        setResults(r);
      },
      (e: ApiError) => current && setError(t("error.generic", { detail: e.message })),
    );
    return () => void (current = false);
  }, [filters.q, filters.category, filters.kind]);

  const categoryName = (id: number) => categories.find((c) => c.id === id)?.name ?? `#${id}`;
  const title = filters.q
    ? t("portal.kb.resultsFor", { q: filters.q })
    : filters.category
      ? categoryName(filters.category)
      : t("portal.kb.allArticles");

  return (
    <>
      <PageHeading>{title}</PageHeading>
      <ArticleSearchBox initial={filters.q} />
      {error && <p class="error" role="alert">{error}</p>}
      {/* Tells a screen reader what a search found while the focus stays in the box. */}
      <p class="visually-hidden" role="status">
        {results ? t("portal.kb.found", { n: results.estimated_total }) : ""}
      </p>
      {results && (
        <div class="kb-results">
          <section aria-labelledby="kb-hits-title" class="kb-hits">
            <h2 id="kb-hits-title">{t("portal.kb.found", { n: results.estimated_total })}</h2>
            {results.did_you_mean && (
              <p>
                {t("portal.kb.didYouMean")}{" "}
                <a href={searchHref({ ...filters, q: results.did_you_mean })} onClick={onPortalLink}>
                  {results.did_you_mean}
                </a>
              </p>
            )}
            <ol>
              {results.items.map((hit) => (
                <li key={hit.id}>
                  <h3>
                    <a href={articleHref(hit.id)} onClick={onPortalLink}>
                      {hit.title}
                    </a>
                  </h3>
                  {/* The snippet is the server's escaped text with <mark>s (openapi: Snippet). */}
                  <p class="snippet" dangerouslySetInnerHTML={{ __html: hit.snippet }} />
                </li>
              ))}
            </ol>
          </section>
          <Facets filters={filters} results={results} categoryName={categoryName} />
        </div>
      )}
    </>
  );
}

function Facets(props: { filters: Filters; results: ArticleSearchResults; categoryName: (id: number) => string }) {
  const { filters, results } = props;
  const { categories, kinds } = results.facets;
  if (categories.length === 0 && kinds.length === 0 && !filters.category && !filters.kind) return null;
  return (
    <section aria-labelledby="kb-facets-title" class="kb-facets">
      <h2 id="kb-facets-title">{t("portal.kb.refine")}</h2>
      {categories.length > 0 && (
        <>
          <h3 id="kb-facet-categories">{t("portal.kb.categories")}</h3>
          <ul aria-labelledby="kb-facet-categories">
            {categories.map((c) => (
              <li key={c.id}>
                <a
                  href={searchHref({ ...filters, category: c.id })}
                  onClick={onPortalLink}
                  aria-current={filters.category === c.id ? "true" : undefined}
                >
                  {props.categoryName(c.id)} ({c.count})
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      {kinds.length > 0 && (
        <>
          <h3 id="kb-facet-kinds">{t("portal.kb.kinds")}</h3>
          <ul aria-labelledby="kb-facet-kinds">
            {kinds.map((k) => (
              <li key={k.kind}>
                <a
                  href={searchHref({ ...filters, kind: k.kind })}
                  onClick={onPortalLink}
                  aria-current={filters.kind === k.kind ? "true" : undefined}
                >
                  {t(`portal.kind.${k.kind}` as Key)} ({k.count})
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      {(filters.category || filters.kind) && (
        <p>
          <a href={searchHref({ q: filters.q })} onClick={onPortalLink}>
            {t("portal.kb.clearFilters")}
          </a>
        </p>
      )}
    </section>
  );
}
