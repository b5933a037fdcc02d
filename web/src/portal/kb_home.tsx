// The knowledge base's front page (line 0): search with suggestions, the categories, and the
// most read and newest articles, one per translation in the reader's language.
import { useEffect, useState } from "preact/hooks";
import type { ArticleSummary, Category, Me } from "../api/types";
import { t, useLanguage } from "../i18n";
import { announce } from "./announce";
import { kb } from "./kb_api";
import { ArticleLinks, CategoryTree, inReadersLanguage } from "./kb_lists";
import { ArticleSearchBox } from "./kb_search_box";
import { StillNeedHelp } from "./still_need_help";
import { PageHeading } from "./page_heading";

const SHOWN = 5;

export function KnowledgeBaseHome(props: { me: Me | null }) {
  const language = useLanguage();
  const [categories, setCategories] = useState<Category[] | null>(null);
  const [articles, setArticles] = useState<ArticleSummary[] | null>(null);

  useEffect(() => {
    const failed = () => announce(t("portal.error.load"));
    kb.categories().then(setCategories, failed);
    kb.articles().then(setArticles, failed);
  }, []);

  const readable = articles ? inReadersLanguage(articles, language) : [];
  const popular = [...readable].sort((a, b) => b.views - a.views || b.helpful - a.helpful).slice(0, SHOWN);
  const newest = [...readable].sort((a, b) => b.created_at.localeCompare(a.created_at)).slice(0, SHOWN);

  return (
    <>
      <PageHeading>{t("portal.kb.title")}</PageHeading>
      <p>{t("portal.kb.intro")}</p>
      <ArticleSearchBox />
      <div class="kb-overview">
        <section aria-labelledby="kb-categories-title">
          <h2 id="kb-categories-title">{t("portal.kb.categories")}</h2>
          {categories && <CategoryTree categories={categories} />}
        </section>
        <section aria-labelledby="kb-popular-title">
          <h2 id="kb-popular-title">{t("portal.kb.popular")}</h2>
          {articles && <ArticleLinks articles={popular} />}
        </section>
        <section aria-labelledby="kb-new-title">
          <h2 id="kb-new-title">{t("portal.kb.newest")}</h2>
          {articles && <ArticleLinks articles={newest} />}
        </section>
      </div>
      <StillNeedHelp me={props.me} />
    </>
  );
}
