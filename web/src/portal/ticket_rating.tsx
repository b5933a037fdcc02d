// The customer's satisfaction rating (CSAT) of a resolved or closed request: 1-5 as a native
// radio group (arrow keys move the choice) with a text label per score, an optional comment.
// Once given, the rating is shown with "Change" while the server still takes a change: the
// ticket is resolved or closed and the first rating is less than 7 days old. A 409 (not
// resolved, or the week is over) shows the server's own message.
import { useState } from "preact/hooks";
import { ApiError, put } from "../api/client";
import type { Ticket } from "../api/types";
import { formatTime, t, type Key } from "../i18n";
import { announce } from "./announce";

export interface Rating {
  score: number;
  comment: string;
  rated_at: string;
}
export type RatedTicket = Ticket & { rating?: Rating | null };

const SCORES = [1, 2, 3, 4, 5] as const;
const CHANGE_DAYS = 7;
const COMMENT_MAX_BYTES = 2000;

export const rate = (id: number, score: number, comment: string) =>
  put<RatedTicket>(`/api/v1/tickets/${id}/rating`, comment ? { score, comment } : { score });

const scoreLabel = (score: number) => t(`portal.rating.score${score}` as Key);

// The server counts the week from the first rating; the ticket JSON carries the latest
// rated_at, so this is the UI's best guess - the server's 409 has the last word.
function changeable(ticket: RatedTicket): boolean {
  if (ticket.status !== "resolved" && ticket.status !== "closed") return false;
  if (!ticket.rating) return true;
  return Date.now() < Date.parse(ticket.rating.rated_at) + CHANGE_DAYS * 24 * 3600 * 1000;
}

export function TicketRating(props: { ticket: RatedTicket; onRated: () => void }) {
  const { ticket } = props;
  const rating = ticket.rating ?? null;
  const [editing, setEditing] = useState(false);
  const [score, setScore] = useState<number | null>(rating?.score ?? null);
  const [comment, setComment] = useState(rating?.comment ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canChange = changeable(ticket);

  function startChange() {
    setScore(rating?.score ?? null);
    setComment(rating?.comment ?? "");
    setError(null);
    setEditing(true);
    setTimeout(() => document.querySelector<HTMLInputElement>("#ticket-rating input[type=radio]:checked")?.focus());
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (score === null) {
      setError(t("portal.rating.chooseScore"));
      document.querySelector<HTMLInputElement>("#ticket-rating input[type=radio]")?.focus();
      return;
    }
    if (new TextEncoder().encode(comment.trim()).length > COMMENT_MAX_BYTES) {
      setError(t("portal.rating.tooLong"));
      document.getElementById("rating-comment")?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await rate(ticket.id, score, comment.trim());
      setEditing(false);
      announce(t("portal.rating.thanks"));
      props.onRated();
    } catch (err) {
      const api = err as ApiError;
      setError(api.field?.("comment") ?? api.field?.("score") ?? (api.status === 409 ? api.message : t("error.generic", { detail: api.message })));
    } finally {
      setBusy(false);
    }
  }

  const showForm = canChange && (rating === null || editing);

  return (
    <section id="ticket-rating" class="ticket-rating" aria-labelledby="rating-title">
      <h2 id="rating-title">{t("portal.rating.title")}</h2>
      {rating && !editing && (
        <div class="rating-given">
          <p>
            {t("portal.rating.given", { score: rating.score, label: scoreLabel(rating.score) })}{" "}
            <span class="stars" aria-hidden="true">
              {"★".repeat(rating.score) + "☆".repeat(5 - rating.score)}
            </span>
          </p>
          {rating.comment && <blockquote class="rating-comment">{rating.comment}</blockquote>}
          <p class="hint">{t("portal.rating.ratedAt", { at: formatTime(rating.rated_at) })}</p>
          {canChange && (
            <button type="button" onClick={startChange} aria-describedby="rating-title">
              {t("portal.rating.change")}
            </button>
          )}
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
      {showForm && (
        <form class="rating-form" onSubmit={submit} noValidate>
          <fieldset class="rating-scores" aria-invalid={error && score === null ? true : undefined}>
            <legend>{t("portal.rating.question")}</legend>
            {SCORES.map((s) => (
              <label key={s}>
                <input
                  type="radio"
                  name="rating-score"
                  value={s}
                  checked={score === s}
                  onChange={() => setScore(s)}
                />
                <span class="score-number">{s}</span> – {scoreLabel(s)}
              </label>
            ))}
          </fieldset>
          <label for="rating-comment">{t("portal.rating.comment")}</label>
          <textarea
            id="rating-comment"
            rows={3}
            aria-describedby="rating-comment-hint"
            value={comment}
            onInput={(e) => setComment(e.currentTarget.value)}
          />
          <p id="rating-comment-hint" class="hint">
            {t("portal.rating.commentHint")}
          </p>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <div class="buttons">
            <button type="submit" disabled={busy}>
              {rating ? t("portal.rating.save") : t("portal.rating.submit")}
            </button>
            {editing && (
              <button type="button" onClick={() => { setEditing(false); setError(null); }}>
                {t("portal.rating.cancel")}
              </button>
            )}
          </div>
        </form>
      )}
    </section>
  );
}
