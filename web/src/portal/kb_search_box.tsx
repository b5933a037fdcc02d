// The knowledge base's search box: titles are suggested as the user types (GET /kb/suggest,
// debounced) in a listbox that follows the WAI-ARIA combobox pattern (list autocomplete,
// aria-activedescendant): Down/Up move through the titles, Enter opens the chosen article or,
// with none chosen, searches; Escape closes the list, a second Escape clears the box.
import { useEffect, useRef, useState } from "preact/hooks";
import type { ArticleSuggestion } from "../api/types";
import { t } from "../i18n";
import { kb } from "./kb_api";
import { goTo } from "./location";

const DEBOUNCE_MS = 150;

export function ArticleSearchBox(props: { initial?: string }) {
  const [text, setText] = useState(props.initial ?? "");
  const [suggestions, setSuggestions] = useState<ArticleSuggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const asked = useRef(0);

  useEffect(() => setText(props.initial ?? ""), [props.initial]);

  useEffect(() => {
    const q = text.trim();
    const n = ++asked.current;
    if (q.length < 2) {
      setSuggestions([]);
      return;
    }
    const timer = setTimeout(() => {
      kb.suggest(q).then(
        (items) => {
          if (n !== asked.current) return;  // an answer to an older text
          setSuggestions(items);
          setActive(-1);
        },
        () => setSuggestions([]),  // suggestions are a help, not a must: the search still works
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const expanded = open && suggestions.length > 0;

  function openArticle(s: ArticleSuggestion) {
    setOpen(false);
    goTo(`/portal/kb/articles/${s.id}`);
  }

  function onKeyDown(e: KeyboardEvent) {
    const n = suggestions.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (n === 0) return;
      e.preventDefault();
      if (!expanded) {
        setOpen(true);
        setActive(e.key === "ArrowDown" ? 0 : n - 1);
      } else if (!e.altKey) {
        setActive((a) => (e.key === "ArrowDown" ? (a + 1) % n : a <= 0 ? n - 1 : a - 1));
      }
    } else if (e.key === "Enter" && expanded && active >= 0) {
      e.preventDefault();
      openArticle(suggestions[active]);
    } else if (e.key === "Escape") {
      if (expanded) setOpen(false);
      else setText("");
      setActive(-1);
    }
  }

  function submit(e: Event) {
    e.preventDefault();
    setOpen(false);
    goTo(`/portal/kb/search?q=${encodeURIComponent(text.trim())}`);
  }

  return (
    <form role="search" class="kb-search" onSubmit={submit}>
      <label for="kb-search-input">{t("portal.kb.searchLabel")}</label>
      <div class="kb-search-row">
        <div class="combobox">
          <input
            id="kb-search-input"
            type="text"
            role="combobox"
            autocomplete="off"
            aria-autocomplete="list"
            aria-expanded={expanded}
            aria-controls="kb-suggestions"
            aria-activedescendant={expanded && active >= 0 ? `kb-suggestion-${suggestions[active].id}` : undefined}
            aria-describedby="kb-search-hint"
            value={text}
            onInput={(e) => {
              setText(e.currentTarget.value);
              setOpen(true);
            }}
            onKeyDown={onKeyDown}
            onBlur={() => setOpen(false)}
          />
          <ul id="kb-suggestions" role="listbox" aria-label={t("portal.kb.suggestions")} hidden={!expanded}>
            {suggestions.map((s, i) => (
              <li
                key={s.id}
                id={`kb-suggestion-${s.id}`}
                role="option"
                aria-selected={i === active}
                class={i === active ? "active" : undefined}
                // mousedown would move the focus out of the box and close the list first
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => openArticle(s)}
              >
                {s.title}
              </li>
            ))}
          </ul>
        </div>
        <button type="submit">{t("portal.kb.search")}</button>
      </div>
      <p id="kb-search-hint" class="hint">
        {t("portal.kb.searchHint")}
      </p>
      <p class="visually-hidden" aria-live="polite">
        {expanded ? t("portal.kb.suggestionCount", { n: suggestions.length }) : ""}
      </p>
    </form>
  );
}
