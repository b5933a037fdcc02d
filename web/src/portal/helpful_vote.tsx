// "Was this article helpful?" - one vote per person and article (the server counts a second
// vote the other way as a move). The browser remembers the choice to show it pressed.
import { useState } from "preact/hooks";
import { ApiError } from "../api/client";
import type { Me } from "../api/types";
import { t } from "../i18n";
import { announce } from "./announce";
import { kb } from "./kb_api";

const VOTES_KEY = "firstline.votes";

function remembered(): Record<string, boolean> {
  try {
    return JSON.parse(localStorage.getItem(VOTES_KEY) ?? "{}");
  } catch {
    return {};
  }
}

export function HelpfulVote(props: { articleId: number; me: Me | null; headingLevel?: 2 | 4 }) {
  const Heading = props.headingLevel === 4 ? "h4" : "h2";
  const [vote, setVote] = useState<boolean | undefined>(remembered()[props.articleId]);
  const [busy, setBusy] = useState(false);

  async function cast(helpful: boolean) {
    setBusy(true);
    try {
      await kb.vote(props.articleId, helpful, props.me !== null);
      setVote(helpful);
      localStorage.setItem(VOTES_KEY, JSON.stringify({ ...remembered(), [props.articleId]: helpful }));
      announce(t("portal.vote.thanks"));
    } catch (e) {
      announce(t("error.generic", { detail: (e as ApiError).message }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="helpful-vote" aria-labelledby={`vote-${props.articleId}`}>
      <Heading id={`vote-${props.articleId}`}>{t("portal.vote.question")}</Heading>
      <div class="buttons">
        <button type="button" aria-pressed={vote === true} disabled={busy} onClick={() => cast(true)}>
          {t("portal.vote.yes")}
        </button>
        <button type="button" aria-pressed={vote === false} disabled={busy} onClick={() => cast(false)}>
          {t("portal.vote.no")}
        </button>
      </div>
    </section>
  );
}
