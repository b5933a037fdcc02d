// The knowledge base's endpoints as the portal uses them (docs/knowledge-base.md). All of
// them work for guests too; the client sends the token when there is one.
import { get, path, post } from "../api/client";
import type {
  Article,
  ArticleKind,
  ArticleSearchResults,
  ArticleSuggestion,
  ArticleSummary,
  Category,
  Page,
} from "../api/types";

const KB = "/api/v1/kb";

export const kb = {
  categories: () => get<Page<Category>>(`${KB}/categories`).then((p) => p.items),

  // One page of published public articles (the API lists them by id; there is no order by
  // views or date, so popular and new are picked from this page).
  articles: () => get<Page<ArticleSummary>>(path(`${KB}/articles`, { limit: 200 })).then((p) => p.items),

  suggest: (q: string) =>
    get<{ items: ArticleSuggestion[] }>(path(`${KB}/suggest`, { q, limit: 8 })).then((p) => p.items),

  search: (q: string, filters: { category?: number; kind?: ArticleKind; limit?: number } = {}) =>
    get<ArticleSearchResults>(path(`${KB}/search`, { q, limit: 20, ...filters })),

  // Reading counts a view; with a deflection session it also records the open there.
  article: (id: number, deflectionSession?: string) =>
    get<Article>(path(`${KB}/articles/${id}`, { deflection_session: deflectionSession })),

  translations: (id: number) =>
    get<Page<ArticleSummary>>(`${KB}/articles/${id}/translations`).then((p) => p.items),

  // Signed-in users vote as themselves; a guest as this browser's voter id.
  vote: (id: number, helpful: boolean, signedIn: boolean) =>
    post<void>(`${KB}/articles/${id}/votes`, signedIn ? { helpful } : { helpful, voter: voterId() }),
};

const VOTER_KEY = "firstline.voter";

// A random id made once per browser, so that a guest's second vote moves the first.
function voterId(): string {
  let id = localStorage.getItem(VOTER_KEY);
  if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
    const bytes = crypto.getRandomValues(new Uint8Array(18));
    id = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
    localStorage.setItem(VOTER_KEY, id);
  }
  return id;
}
