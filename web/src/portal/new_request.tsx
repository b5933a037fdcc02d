// Filing a request (line 0 → line 1). While the user writes the subject and description the
// matching articles appear (deflection, docs/knowledge-base.md): the first pause with a subject
// starts ONE deflection session (POST /tickets with "suggest": true), which records the
// articles shown; later changes of the text refresh the list through the same search
// (GET /kb/search) so that one request being written stays one session - a new session per
// key press would count every pause as a separate attempt and skew the deflection rate.
// Articles opened here are recorded in the session, and the ticket names it when filed. Then
// the facts the service desk would ask first (first_line_facts.ts) set impact and urgency and
// go into the description as a readable block.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api/client";
import type { Article, ArticleHit, Me } from "../api/types";
import { AttachmentPicker, uploadAll } from "../attachments";
import { t, type Key } from "../i18n";
import { announce } from "./announce";
import { pickerTexts } from "./attachment_texts";
import {
  CATEGORIES,
  PEOPLE,
  SINCE,
  WORK,
  describeWithFacts,
  impactOf,
  noFacts,
  urgencyOf,
  type FirstLineFacts,
} from "./first_line_facts";
import { kb } from "./kb_api";
import { goTo } from "./location";
import { MatchingArticles } from "./matching_articles";
import { PageHeading } from "./page_heading";
import { tickets } from "./ticket_api";

const PAUSE_MS = 500;
const MIN_SUBJECT = 3;

// The matching articles and the deflection session they belong to.
function useMatchingArticles(subject: string, description: string) {
  const [session, setSession] = useState<string | undefined>(undefined);
  const [hits, setHits] = useState<ArticleHit[]>([]);
  const sessionRef = useRef<Promise<string> | null>(null);
  const asked = useRef(0);

  useEffect(() => {
    const s = subject.trim();
    const n = ++asked.current;
    if (s.length < MIN_SUBJECT) return;
    const timer = setTimeout(async () => {
      try {
        if (!sessionRef.current) {
          const offer = tickets.offerArticles(s, description);
          sessionRef.current = offer.then((o) => o.deflection_session);
          const o = await offer;
          setSession(o.deflection_session);
          if (n === asked.current) setHits(o.suggestions);
          return;
        }
        // The same text the server searches for an offer: the subject, then the start of the
        // description.
        const r = await kb.search(`${s} ${description.slice(0, 300)}`, { limit: 5 });
        if (n === asked.current) setHits(r.items);
      } catch {
        sessionRef.current = null;  // try again at the next pause
      }
    }, PAUSE_MS);
    return () => clearTimeout(timer);
  }, [subject, description]);

  return { session, hits };
}

type Errors = Partial<Record<"subject" | "description" | "category" | "people" | "work" | "form", string>>;

export function NewRequestPage(props: { me: Me }) {
  const [subject, setSubject] = useState("");
  const [description, setDescription] = useState("");
  const [facts, setFacts] = useState<FirstLineFacts>(noFacts);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const { session, hits } = useMatchingArticles(subject, description);
  const set = (change: Partial<FirstLineFacts>) => setFacts((f) => ({ ...f, ...change }));

  function check(): Errors {
    const found: Errors = {};
    if (!subject.trim()) found.subject = t("portal.new.required");
    if (!facts.category) found.category = t("portal.new.required");
    if (!facts.people) found.people = t("portal.new.required");
    if (!facts.work) found.work = t("portal.new.required");
    return found;
  }

  async function submit(e: Event) {
    e.preventDefault();
    const found = check();
    setErrors(found);
    if (Object.keys(found).length > 0 || !facts.people || !facts.work || !facts.category) {
      // The first field in error takes the focus; its message is tied to it.
      const first = (["subject", "category", "people", "work"] as const).find((k) => found[k]);
      document.getElementById(`request-${first}`)?.focus();
      return;
    }
    if (busy) return;
    setBusy(true);
    try {
      // Uploaded when filed: an upload nobody uses is deleted by the server after a day.
      const attachment_ids = await uploadAll(files);
      const ticket = await tickets.file({
        subject: subject.trim(),
        description: describeWithFacts(description, facts, t),
        category: facts.category,
        impact: impactOf(facts.people),
        urgency: urgencyOf(facts.people, facts.work),
        deflection_session: session,
        attachment_ids,
      });
      goTo(`/portal/tickets/${ticket.id}`);
      announce(t("portal.new.filed", { number: ticket.number }));
    } catch (err) {
      const api = err as ApiError;
      setErrors({
        subject: api.field?.("subject"),
        description: api.field?.("description"),
        category: api.field?.("category"),
        form: api.field?.("attachment_ids") ?? t("error.generic", { detail: api.message }),
      });
    } finally {
      setBusy(false);
    }
  }

  function solved(article: Article) {
    goTo("/portal/kb");
    announce(t("portal.new.solvedThanks", { title: article.title }));
  }

  return (
    <>
      <PageHeading>{t("portal.new.title")}</PageHeading>
      <p>{t("portal.new.intro")}</p>
      <form class="new-request" onSubmit={submit} noValidate>
        {errors.form && (
          <p class="error" role="alert">
            {errors.form}
          </p>
        )}
        <Field id="request-subject" label={t("portal.new.subject")} error={errors.subject}>
          {(describedBy) => (
            <input
              id="request-subject"
              maxLength={500}
              required
              aria-required="true"
              aria-invalid={errors.subject ? true : undefined}
              aria-describedby={describedBy}
              value={subject}
              onInput={(e) => setSubject(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="request-description" label={t("portal.new.description")} hint={t("portal.new.descriptionHint")} error={errors.description}>
          {(describedBy) => (
            <textarea
              id="request-description"
              rows={6}
              aria-invalid={errors.description ? true : undefined}
              aria-describedby={describedBy}
              value={description}
              onInput={(e) => setDescription(e.currentTarget.value)}
            />
          )}
        </Field>

        <AttachmentPicker id="request-files" files={files} onChange={setFiles} texts={pickerTexts()} disabled={busy} />

        {subject.trim().length >= MIN_SUBJECT && (
          <MatchingArticles hits={hits} session={session} me={props.me} onSolved={solved} />
        )}

        <fieldset class="facts">
          <legend>{t("portal.new.factsTitle")}</legend>
          <Field id="request-category" label={t("portal.facts.category")} error={errors.category}>
            {(describedBy) => (
              <select
                id="request-category"
                required
                aria-required="true"
                aria-invalid={errors.category ? true : undefined}
                aria-describedby={describedBy}
                value={facts.category}
                onChange={(e) => set({ category: e.currentTarget.value as FirstLineFacts["category"] })}
              >
                <option value="">{t("portal.new.choose")}</option>
                {CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {t(`portal.category.${c}` as Key)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="request-device" label={t("portal.facts.device")} hint={t("portal.new.deviceHint")}>
            {(describedBy) => (
              <input
                id="request-device"
                aria-describedby={describedBy}
                value={facts.device}
                onInput={(e) => set({ device: e.currentTarget.value })}
              />
            )}
          </Field>
          <Field id="request-since" label={t("portal.facts.since")}>
            {(describedBy) => (
              <select
                id="request-since"
                aria-describedby={describedBy}
                value={facts.since}
                onChange={(e) => set({ since: e.currentTarget.value as FirstLineFacts["since"] })}
              >
                <option value="">{t("portal.new.notSure")}</option>
                {SINCE.map((s) => (
                  <option key={s} value={s}>
                    {t(`portal.since.${s}` as Key)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Choice
            id="request-people"
            legend={t("portal.facts.people")}
            options={PEOPLE}
            prefix="portal.people."
            value={facts.people}
            error={errors.people}
            onChange={(people) => set({ people })}
          />
          <Choice
            id="request-work"
            legend={t("portal.facts.work")}
            options={WORK}
            prefix="portal.work."
            value={facts.work}
            error={errors.work}
            onChange={(work) => set({ work })}
          />
        </fieldset>
        <button type="submit" disabled={busy}>
          {t("portal.new.submit")}
        </button>
      </form>
    </>
  );
}

// A labelled field with an optional hint and error, both tied to it by aria-describedby.
function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: (describedBy: string | undefined) => ComponentChildren;
}) {
  const ids = [props.hint && `${props.id}-hint`, props.error && `${props.id}-error`].filter(Boolean);
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p id={`${props.id}-hint`} class="hint">
          {props.hint}
        </p>
      )}
      {props.children(ids.length ? ids.join(" ") : undefined)}
      {props.error && (
        <p id={`${props.id}-error`} class="error">
          {props.error}
        </p>
      )}
    </div>
  );
}

// A required choice of one as radio buttons; the group's first button carries the group's id
// so that a failed check can move the focus there.
function Choice<T extends string>(props: {
  id: string;
  legend: string;
  options: readonly T[];
  prefix: string;
  value: T | "";
  error?: string;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset
      class="choice"
      role="radiogroup"
      aria-labelledby={`${props.id}-legend`}
      aria-required="true"
      aria-invalid={props.error ? true : undefined}
      aria-describedby={props.error ? `${props.id}-error` : undefined}
    >
      <legend id={`${props.id}-legend`}>{props.legend}</legend>
      {props.options.map((o, i) => (
        <label key={o}>
          <input
            type="radio"
            name={props.id}
            id={i === 0 ? props.id : `${props.id}-${o}`}
            value={o}
            checked={props.value === o}
            onChange={() => props.onChange(o)}
          />
          {t(`${props.prefix}${o}` as Key)}
        </label>
      ))}
      {props.error && (
        <p id={`${props.id}-error`} class="error">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}
