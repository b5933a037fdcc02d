// Small building blocks of the knowledge-base pages: the category tree, a list of article
// links, and picking one article per translation group in the reader's language.
import type { ArticleSummary, Category } from "../api/types";
import type { Language } from "../i18n";
import { onPortalLink } from "./location";

export function categoryHref(id: number): string {
  return `/portal/kb/search?category=${id}`;
}

export function articleHref(id: number): string {
  return `/portal/kb/articles/${id}`;
}

export function CategoryTree(props: { categories: Category[]; parent?: number | null }) {
  const parent = props.parent ?? null;
  const here = props.categories.filter((c) => c.parent_id === parent);
  if (here.length === 0) return null;
  return (
    <ul class="kb-categories">
      {here.map((c) => (
        <li key={c.id}>
          <a href={categoryHref(c.id)} onClick={onPortalLink}>
            {c.name}
          </a>
          <CategoryTree categories={props.categories} parent={c.id} />
        </li>
      ))}
    </ul>
  );
}

export function ArticleLinks(props: { articles: ArticleSummary[] }) {
  return (
    <ul class="kb-links">
      {props.articles.map((a) => (
        <li key={a.id} lang={a.language}>
          <a href={articleHref(a.id)} onClick={onPortalLink}>
            {a.title}
          </a>
        </li>
      ))}
    </ul>
  );
}

// One article per translation group (an original and its translations): the one in the
// reader's language if there is one, else the original.
export function inReadersLanguage(articles: ArticleSummary[], language: Language): ArticleSummary[] {
  const groups = new Map<number, ArticleSummary>();
  for (const a of articles) {
    const group = a.translation_of ?? a.id;
    const chosen = groups.get(group);
    if (!chosen || (a.language === language && chosen.language !== language)) groups.set(group, a);
  }
  return articles.filter((a) => groups.get(a.translation_of ?? a.id) === a);
}
