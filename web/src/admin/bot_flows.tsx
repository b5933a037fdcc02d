// The chatbot's guided troubleshooting flows (GET /bot/flows, GET/PUT /bot/flows/{id} with the
// version read, POST /bot/flows, POST /bot/flows/{id}/reset; the format is docs/bot.md). The
// editor works on the parsed document: titles, hand-off facts and examples as fields, the nodes
// as a list (type, texts in both languages, targets chosen among the flow's nodes, choices and
// branch cases), or the JSON itself. The server checks the flow; its problems come back by path
// ("nodes.power.unsolved") and are shown at the node and in the summary, the edits kept.
// Admins change flows; supervisors read them.
import { useEffect, useState } from "preact/hooks";
import { get, post, put } from "../api/client";
import type { Me } from "../api/types";
import { language } from "../i18n";
import {
  ActiveBadge,
  AdminTable,
  at,
  Checkbox,
  EditorSection,
  errorAt,
  type Failure,
  FailureSummary,
  NO_FAILURE,
  failureOf,
  Loading,
  NewButton,
  type Option,
  type Rights,
  ScreenHeading,
  SelectField,
  splitList,
  TextArea,
  TextField,
  useEditor,
  useId,
  useList,
  useSaving,
} from "./kit";

// --- the API's shapes
interface BotFlowSummary {
  id: string;
  title: { de: string; en: string };
  active: boolean;
  version: number;
  node_count: number;
  edited: boolean;
  shipped: boolean;
  problem: string;
  updated_at: string;
}

interface BotFlowRecord {
  id: string;
  document: string;
  version: number;
  active: boolean;
  edited: boolean;
  shipped: boolean;
}

// --- the document's shapes (docs/bot.md); the editor keeps unknown parts as they are
type Text = { de: string; en: string };
const NODE_TYPES = ["message", "choice", "slot", "step", "branch", "end"] as const;
type NodeType = (typeof NODE_TYPES)[number];
const SLOT_KINDS = ["text", "number", "yes_no", "os", "device", "error_message", "since", "affected"] as const;
const PRIORITIES = ["low", "normal", "high", "critical"] as const;

interface Choice {
  id: string;
  label: Text;
  next: string;
}
interface BranchCase {
  is?: string[] | string;
  contains?: string[] | string;
  next: string;
}
interface FlowNode {
  type: NodeType;
  say?: Text;
  next?: string;
  slot?: string;
  validate?: { kind: string; min?: number; max?: number };
  optional?: boolean;
  choices?: Choice[];
  solved?: string;
  unsolved?: string;
  on?: string;
  cases?: BranchCase[];
  else?: string;
  outcome?: "solved" | "handoff";
}
interface FlowDoc {
  id: string;
  title: Text;
  examples: { de: string[]; en: string[] };
  handoff: { category: string; priority?: string; line?: number; team?: string };
  start: string;
  nodes: Record<string, FlowNode>;
}

const EMPTY_TEXT: Text = { de: "", en: "" };

function newFlow(): FlowDoc {
  return {
    id: "",
    title: { de: "", en: "" },
    examples: { de: [], en: [] },
    handoff: { category: "", priority: "normal", line: 1, team: "" },
    start: "start",
    nodes: {
      start: { type: "step", say: { de: "", en: "" }, unsolved: "human" },
      human: { type: "end", outcome: "handoff", say: { de: "", en: "" } },
    },
  };
}

// A node of `type` with the fields that type needs, keeping what `from` already had.
function retyped(from: FlowNode, type: NodeType, firstId: string): FlowNode {
  const say = from.say ?? EMPTY_TEXT;
  switch (type) {
    case "message":
      return { type, say, next: from.next ?? firstId };
    case "choice":
      return { type, say, choices: from.choices ?? [{ id: "yes", label: { de: "", en: "" }, next: firstId }] };
    case "slot":
      return { type, say, slot: from.slot ?? "text", validate: from.validate ?? { kind: "text" }, next: from.next ?? firstId };
    case "step":
      return { type, say, unsolved: from.unsolved ?? firstId };
    case "branch":
      return { type, on: from.on ?? "", cases: from.cases ?? [{ is: [""], next: firstId }], else: from.else ?? firstId };
    case "end":
      return { type, say, outcome: from.outcome ?? "handoff" };
  }
}

const asList = (v: string[] | string | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

// A title in the UI's language (the other one, or the id, when it is empty).
const titleIn = (title: Text | undefined, id: string) =>
  (language() === "de" ? title?.de || title?.en : title?.en || title?.de) || id;

export function BotFlowsScreen(props: { me: Me; rights: Rights }) {
  const flows = useList<BotFlowSummary>("/api/v1/bot/flows");
  const editor = useEditor(flows);
  const canEdit = props.rights.botFlows;
  return (
    <section class="admin-screen">
      <ScreenHeading>{at("flows.title")}</ScreenHeading>
      {!canEdit && <p class="hint">{at("flows.adminsOnly")}</p>}
      {canEdit && <NewButton onClick={() => editor.open("new")}>{at("flows.new")}</NewButton>}
      {editor.isOpen && <FlowLoader key={editor.key} id={editor.item?.id ?? null} readOnly={!canEdit} onDone={editor.done} />}
      <AdminTable
        items={flows.items}
        failed={flows.failed}
        caption={(count) => at("flows.count", { count })}
        columns={[at("flows.name"), at("flows.id"), at("flows.nodes"), at("flows.origin"), at("common.state")]}
        cells={(f) => (
          <>
            <td>
              {titleIn(f.title, f.id)}
              {f.problem && (
                <>
                  <br />
                  <span class="error">{f.problem}</span>
                </>
              )}
            </td>
            <td>
              <code>{f.id}</code>
            </td>
            <td>{f.node_count}</td>
            <td>{f.shipped ? (f.edited ? at("flows.shippedEdited") : at("flows.shipped")) : at("flows.own")}</td>
            <td>
              <ActiveBadge active={f.active} />
            </td>
          </>
        )}
        onEdit={editor.open}
        editLabel={(f) => at(canEdit ? "flows.editNamed" : "common.viewNamed", { name: titleIn(f.title, f.id) })}
        readOnly={!canEdit}
      />
    </section>
  );
}

// Reads the flow's document (the list has only its summary), then shows the editor.
function FlowLoader(props: { id: string | null; readOnly: boolean; onDone: () => Promise<void> }) {
  const [record, setRecord] = useState<BotFlowRecord | null>(null);
  const [failed, setFailed] = useState("");
  useEffect(() => {
    if (props.id === null) return;
    get<BotFlowRecord>(`/api/v1/bot/flows/${encodeURIComponent(props.id)}`).then(setRecord, (e) => setFailed(failureOf(e).message));
  }, [props.id]);
  if (props.id !== null && !record) return <Loading failed={failed} />;
  return <FlowEditor record={record} readOnly={props.readOnly} onDone={props.onDone} />;
}

function FlowEditor(props: { record: BotFlowRecord | null; readOnly: boolean; onDone: () => Promise<void> }) {
  const { record } = props;
  const initial = (): FlowDoc => {
    if (!record) return newFlow();
    try {
      return JSON.parse(record.document) as FlowDoc;
    } catch {
      return newFlow();
    }
  };
  const [doc, setDoc] = useState<FlowDoc>(initial);
  const [mode, setMode] = useState<"form" | "json">(record && !isForm(record.document) ? "json" : "form");
  const [jsonText, setJsonText] = useState(record?.document ?? JSON.stringify(newFlow(), null, 2));
  const [jsonProblem, setJsonProblem] = useState("");
  const [active, setActive] = useState(record?.active ?? true);
  const saving = useSaving();
  const f = (path: string) => errorAt(saving.failure, path);
  const nodeIds = Object.keys(doc.nodes ?? {});
  const targets: Option[] = nodeIds.map((n) => ({ value: n, label: n }));

  function toJson() {
    setJsonText(JSON.stringify(doc, null, 2));
    setJsonProblem("");
    setMode("json");
  }
  function toForm() {
    try {
      setDoc(JSON.parse(jsonText) as FlowDoc);
      setJsonProblem("");
      setMode("form");
    } catch (e) {
      setJsonProblem(at("json.invalid", { detail: (e as Error).message }));
    }
  }

  async function save() {
    const document = mode === "json" ? jsonText : JSON.stringify(doc, null, 2);
    const done = await saving.run(
      () =>
        record
          ? put<BotFlowRecord>(`/api/v1/bot/flows/${encodeURIComponent(record.id)}`, { version: record.version, document, active })
          : post<BotFlowRecord>("/api/v1/bot/flows", { document, active }),
      (r) => at(record ? "flows.saved" : "flows.created", { name: r.id }),
    );
    if (done) await props.onDone();
  }

  async function reset() {
    if (!record) return;
    const done = await saving.run(
      () => post<BotFlowRecord>(`/api/v1/bot/flows/${encodeURIComponent(record.id)}/reset`, { version: record.version }),
      (r) => at("flows.resetDone", { name: r.id }),
    );
    if (done) await props.onDone();
  }

  const set = (change: Partial<FlowDoc>) => setDoc({ ...doc, ...change });
  const setNode = (id: string, node: FlowNode) => set({ nodes: { ...doc.nodes, [id]: node } });
  // A new id for a node, and every target that named it follows (the order of nodes is kept).
  function renameNode(from: string, to: string) {
    const moved = (t: string | undefined) => (t === from ? to : t);
    const nodes: Record<string, FlowNode> = {};
    for (const [k, n] of Object.entries(doc.nodes)) {
      const r: FlowNode = { ...n };
      for (const field of ["next", "solved", "unsolved", "else"] as const) if (r[field] !== undefined) r[field] = moved(r[field]);
      if (r.choices) r.choices = r.choices.map((c) => ({ ...c, next: moved(c.next) ?? c.next }));
      if (r.cases) r.cases = r.cases.map((c) => ({ ...c, next: moved(c.next) ?? c.next }));
      nodes[k === from ? to : k] = r;
    }
    set({ nodes, start: moved(doc.start) ?? doc.start });
  }
  function removeNode(id: string) {
    const nodes = { ...doc.nodes };
    delete nodes[id];
    set({ nodes });
  }
  function addNode() {
    let n = nodeIds.length + 1;
    while (`node_${n}` in doc.nodes) n++;
    set({ nodes: { ...doc.nodes, [`node_${n}`]: { type: "message", say: { de: "", en: "" }, next: nodeIds[0] ?? "" } } });
  }

  const title = record ? at(props.readOnly ? "flows.viewTitle" : "flows.editTitle", { name: titleIn(doc.title, record.id) }) : at("flows.newTitle");
  return (
    <EditorSection
      title={title}
      onSubmit={save}
      onCancel={() => void props.onDone()}
      failure={saving.failure}
      busy={saving.busy}
      readOnly={props.readOnly}
      after={
        <>
          {record?.shipped && !props.readOnly && (
            <p>
              <button type="button" class="secondary" disabled={saving.busy || !record.edited} onClick={() => void reset()}>
                {at("flows.reset")}
              </button>{" "}
              <span class="muted">{record.edited ? at("flows.resetHint") : at("flows.notEdited")}</span>
            </p>
          )}
          <FlowPreview documentOf={() => (mode === "json" ? jsonText : JSON.stringify(doc, null, 2))} />
        </>
      }
    >
      <div class="row" role="group" aria-label={at("flows.view")}>
        <button type="button" class={mode === "form" ? "primary small" : "secondary small"} aria-pressed={mode === "form"} onClick={toForm}>
          {at("flows.formView")}
        </button>
        <button type="button" class={mode === "json" ? "primary small" : "secondary small"} aria-pressed={mode === "json"} onClick={toJson}>
          {at("flows.jsonView")}
        </button>
      </div>
      <Checkbox label={at("flows.activeLabel")} checked={active} onChange={setActive} />
      {mode === "json" ? (
        <>
          <TextArea
            label={at("flows.json")}
            value={jsonText}
            onInput={setJsonText}
            rows={24}
            mono
            hint={at("flows.jsonHint")}
            error={[jsonProblem, ...Object.entries(saving.failure.fields).map(([p, m]) => `${p}: ${m}`)].filter(Boolean).join("; ") || undefined}
          />
        </>
      ) : (
        <>
          <div class="grid2">
            <TextField
              label={at("flows.id")}
              value={doc.id ?? ""}
              onInput={(v) => set({ id: v })}
              error={f("id")}
              hint={record ? at("flows.idFixed") : at("flows.idHint")}
              required
            />
            <SelectField label={at("flows.start")} value={doc.start ?? ""} options={targets} onChange={(v) => set({ start: v })} error={f("start")} />
            <TextField label={at("flows.titleDe")} value={doc.title?.de ?? ""} onInput={(v) => set({ title: { ...doc.title, de: v } })} error={f("title.de")} />
            <TextField label={at("flows.titleEn")} value={doc.title?.en ?? ""} onInput={(v) => set({ title: { ...doc.title, en: v } })} error={f("title.en")} />
          </div>
          <fieldset>
            <legend>{at("flows.handoff")}</legend>
            <div class="grid2">
              <TextField
                label={at("flows.category")}
                value={doc.handoff?.category ?? ""}
                onInput={(v) => set({ handoff: { ...doc.handoff, category: v } })}
                error={f("handoff.category")}
              />
              <SelectField
                label={at("flows.priority")}
                value={doc.handoff?.priority ?? "normal"}
                options={PRIORITIES.map((p) => ({ value: p, label: at(`flows.priority.${p}`) }))}
                onChange={(v) => set({ handoff: { ...doc.handoff, priority: v } })}
                error={f("handoff.priority")}
              />
              <SelectField
                label={at("flows.line")}
                value={String(doc.handoff?.line ?? 1)}
                options={["1", "2", "3", "4"].map((l) => ({ value: l, label: l }))}
                onChange={(v) => set({ handoff: { ...doc.handoff, line: Number(v) } })}
                error={f("handoff.line")}
              />
              <TextField
                label={at("flows.team")}
                value={doc.handoff?.team ?? ""}
                onInput={(v) => set({ handoff: { ...doc.handoff, team: v } })}
                hint={at("flows.teamHint")}
                error={f("handoff.team")}
              />
            </div>
          </fieldset>
          <div class="grid2">
            <TextArea
              label={at("flows.examplesDe")}
              value={(doc.examples?.de ?? []).join("\n")}
              onInput={(v) => set({ examples: { ...doc.examples, de: lines(v) } })}
              rows={5}
              hint={at("flows.examplesHint")}
              error={f("examples.de")}
            />
            <TextArea
              label={at("flows.examplesEn")}
              value={(doc.examples?.en ?? []).join("\n")}
              onInput={(v) => set({ examples: { ...doc.examples, en: lines(v) } })}
              rows={5}
              hint={at("flows.examplesHint")}
              error={f("examples.en")}
            />
          </div>
          <h3>{at("flows.nodesHeading")}</h3>
          <ol class="flow-nodes">
            {nodeIds.map((id) => (
              <li key={id}>
                <NodeEditor
                  id={id}
                  node={doc.nodes[id]}
                  targets={targets}
                  failure={saving.failure}
                  onChange={(n) => setNode(id, n)}
                  onRename={(to) => renameNode(id, to)}
                  taken={(to) => to in doc.nodes}
                  onRemove={() => removeNode(id)}
                  firstId={nodeIds[0] ?? ""}
                />
              </li>
            ))}
          </ol>
          <p>
            <button type="button" class="secondary" onClick={addNode}>
              {at("flows.addNode")}
            </button>
          </p>
        </>
      )}
    </EditorSection>
  );
}

// One turn of POST /bot/flows/preview.
interface PreviewTurn {
  messages: string[];
  buttons: { id: string; label: string }[];
  expecting: "nothing" | "choice" | "slot" | "yes_no";
  outcome: "running" | "solved" | "handoff";
  reason: string;
  state: string;
}

// Walks the document as it is in the editor (saved or not) the way a user would meet it, in
// the UI's language: the bot's messages, the buttons to press or an answer to type.
function FlowPreview(props: { documentOf: () => string }) {
  const [log, setLog] = useState<{ bot: boolean; text: string }[]>([]);
  const [turn, setTurn] = useState<PreviewTurn | null>(null);
  const [typed, setTyped] = useState("");
  const [failure, setFailure] = useState<Failure>(NO_FAILURE);
  const headingId = useId("preview");
  const inputId = useId("preview-answer");
  async function step(answer?: { button?: string; text?: string; shown: string }) {
    try {
      const body: Record<string, unknown> = { document: props.documentOf(), lang: language() };
      if (answer && turn) Object.assign(body, { state: turn.state, button: answer.button, text: answer.text });
      const next = await post<PreviewTurn>("/api/v1/bot/flows/preview", body);
      setFailure(NO_FAILURE);
      setLog([...(answer ? [...log, { bot: false, text: answer.shown }] : []), ...next.messages.map((text) => ({ bot: true, text }))]);
      setTurn(next);
      setTyped("");
    } catch (err) {
      setFailure(failureOf(err));
    }
  }
  return (
    <section class="flow-preview" aria-labelledby={headingId}>
      <h3 id={headingId}>{at("flows.preview")}</h3>
      <p class="hint">{at("flows.previewHint")}</p>
      <p>
        <button type="button" class="secondary" onClick={() => void step()}>
          {turn ? at("flows.previewRestart") : at("flows.previewStart")}
        </button>
      </p>
      <FailureSummary failure={failure} />
      {log.length > 0 && (
        <ol class="flow-preview-log" aria-live="polite">
          {log.map((line, i) => (
            <li key={i} class={line.bot ? "bot" : "user"}>
              <span class="visually-hidden">{line.bot ? at("flows.previewBot") : at("flows.previewYou")}: </span>
              {line.text}
            </li>
          ))}
        </ol>
      )}
      {turn && turn.outcome !== "running" && (
        <p class="flow-preview-end">{at(turn.outcome === "solved" ? "flows.previewSolved" : "flows.previewHandoff", { reason: turn.reason })}</p>
      )}
      {turn && turn.outcome === "running" && (
        <>
          {turn.buttons.length > 0 && (
            <div class="row" role="group" aria-label={at("flows.previewButtons")}>
              {turn.buttons.map((b) => (
                <button key={b.id} type="button" class="secondary small" onClick={() => void step({ button: b.id, shown: b.label })}>
                  {b.label}
                </button>
              ))}
            </div>
          )}
          <form
            class="row"
            onSubmit={(e) => {
              e.preventDefault();
              if (typed.trim()) void step({ text: typed, shown: typed });
            }}
          >
            <label for={inputId}>{at("flows.previewAnswer")}</label>
            <input id={inputId} value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
            <button type="submit" class="secondary small">
              {at("flows.previewSend")}
            </button>
          </form>
        </>
      )}
    </section>
  );
}

// A node's id, renamed when the field is left (each keystroke would move the node's editor).
function NodeIdField(props: { id: string; taken: (id: string) => boolean; onRename: (to: string) => void }) {
  const [value, setValue] = useState(props.id);
  const [problem, setProblem] = useState("");
  const fid = useId("node-id");
  function commit(raw: string) {
    const to = raw.trim();
    if (to === props.id) return setProblem("");
    if (!to || props.taken(to)) return setProblem(at(to ? "flows.nodeIdTaken" : "flows.nodeIdEmpty"));
    setProblem("");
    props.onRename(to);
  }
  return (
    <div class="field">
      <label for={fid}>{at("flows.nodeId")}</label>
      <input
        id={fid}
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${fid}-hint${problem ? ` ${fid}-err` : ""}`}
        onInput={(e) => setValue(e.currentTarget.value)}
        onChange={(e) => commit(e.currentTarget.value)}
      />
      <p id={`${fid}-hint`} class="hint">
        {at("flows.nodeIdHint")}
      </p>
      {problem && (
        <p id={`${fid}-err`} class="error field-error">
          {problem}
        </p>
      )}
    </div>
  );
}

// True when the document is an object the form can show (else the JSON view opens).
function isForm(text: string): boolean {
  try {
    const d = JSON.parse(text) as unknown;
    return typeof d === "object" && d !== null && typeof (d as FlowDoc).nodes === "object";
  } catch {
    return false;
  }
}

const lines = (v: string) => v.split("\n").filter((l) => l.trim() !== "");

function NodeEditor(props: {
  id: string;
  node: FlowNode;
  targets: Option[];
  failure: Failure;
  firstId: string;
  onChange: (n: FlowNode) => void;
  onRename: (to: string) => void;
  taken: (id: string) => boolean;
  onRemove: () => void;
}) {
  const { id, node } = props;
  const path = `nodes.${id}`;
  const f = (field: string) => errorAt(props.failure, `${path}.${field}`);
  const own = props.failure.fields[path];
  const set = (change: Partial<FlowNode>) => props.onChange({ ...node, ...change });
  const target = (label: string, value: string | undefined, field: keyof FlowNode, extra: Option[] = []) => (
    <SelectField
      label={label}
      value={value ?? ""}
      options={[...extra, ...(value && !props.targets.some((t) => t.value === value) ? [{ value, label: value }] : []), ...props.targets]}
      onChange={(v) => set({ [field]: v } as Partial<FlowNode>)}
      error={f(field)}
    />
  );
  const say = node.say ?? EMPTY_TEXT;
  return (
    <fieldset class="flow-node">
      <legend>{at("flows.nodeNamed", { id })}</legend>
      {own && (
        <p class="error field-error" role="alert">
          {own}
        </p>
      )}
      <div class="grid2">
        <NodeIdField id={id} taken={props.taken} onRename={props.onRename} />
        <SelectField
          label={at("flows.nodeType")}
          value={node.type}
          options={NODE_TYPES.map((t) => ({ value: t, label: at(`flows.type.${t}`) }))}
          onChange={(v) => props.onChange(retyped(node, v as NodeType, props.firstId))}
          error={f("type")}
        />
      </div>
      {node.type !== "branch" && (
        <div class="grid2">
          <TextArea label={at("flows.sayDe")} value={say.de} onInput={(v) => set({ say: { ...say, de: v } })} rows={3} error={f("say.de") ?? f("say")} />
          <TextArea label={at("flows.sayEn")} value={say.en} onInput={(v) => set({ say: { ...say, en: v } })} rows={3} error={f("say.en")} />
        </div>
      )}
      {(node.type === "message" || node.type === "slot") && target(at("flows.next"), node.next, "next")}
      {node.type === "slot" && (
        <div class="grid2">
          <TextField label={at("flows.slot")} value={node.slot ?? ""} onInput={(v) => set({ slot: v })} error={f("slot")} />
          <SelectField
            label={at("flows.kind")}
            value={node.validate?.kind ?? "text"}
            options={SLOT_KINDS.map((k) => ({ value: k, label: k }))}
            onChange={(v) => set({ validate: { ...node.validate, kind: v } })}
            error={f("validate")}
          />
          <Checkbox label={at("flows.optional")} checked={node.optional ?? false} onChange={(v) => set({ optional: v })} />
        </div>
      )}
      {node.type === "step" && (
        <div class="grid2">
          {target(at("flows.solved"), node.solved, "solved", [{ value: "", label: at("flows.endsSolved") }])}
          {target(at("flows.unsolved"), node.unsolved, "unsolved")}
        </div>
      )}
      {node.type === "end" && (
        <SelectField
          label={at("flows.outcome")}
          value={node.outcome ?? "handoff"}
          options={[
            { value: "solved", label: at("flows.outcome.solved") },
            { value: "handoff", label: at("flows.outcome.handoff") },
          ]}
          onChange={(v) => set({ outcome: v as "solved" | "handoff" })}
          error={f("outcome")}
        />
      )}
      {node.type === "choice" && (
        <>
          <TextField label={at("flows.choiceSlot")} value={node.slot ?? ""} onInput={(v) => set({ slot: v || undefined })} error={f("slot")} />
          {(node.choices ?? []).map((c, i) => {
            const setChoice = (change: Partial<Choice>) =>
              set({ choices: (node.choices ?? []).map((x, j) => (j === i ? { ...x, ...change } : x)) });
            const cf = (field: string) => errorAt(props.failure, `${path}.choices[${i}].${field}`);
            return (
              <fieldset key={i} class="flow-sub">
                <legend>{at("flows.choiceNamed", { n: i + 1 })}</legend>
                <div class="grid2">
                  <TextField label={at("flows.choiceId")} value={c.id} onInput={(v) => setChoice({ id: v })} error={cf("id")} />
                  <SelectField
                    label={at("flows.next")}
                    value={c.next}
                    options={[...(props.targets.some((t) => t.value === c.next) ? [] : [{ value: c.next, label: c.next }]), ...props.targets]}
                    onChange={(v) => setChoice({ next: v })}
                    error={cf("next")}
                  />
                  <TextField label={at("flows.labelDe")} value={c.label?.de ?? ""} onInput={(v) => setChoice({ label: { ...c.label, de: v } })} error={cf("label.de")} />
                  <TextField label={at("flows.labelEn")} value={c.label?.en ?? ""} onInput={(v) => setChoice({ label: { ...c.label, en: v } })} error={cf("label.en")} />
                </div>
                <button type="button" class="secondary small" onClick={() => set({ choices: (node.choices ?? []).filter((_, j) => j !== i) })}>
                  {at("flows.removeChoice", { n: i + 1 })}
                </button>
              </fieldset>
            );
          })}
          <button
            type="button"
            class="secondary small"
            onClick={() => set({ choices: [...(node.choices ?? []), { id: `choice_${(node.choices ?? []).length + 1}`, label: { de: "", en: "" }, next: props.firstId }] })}
          >
            {at("flows.addChoice")}
          </button>
        </>
      )}
      {node.type === "branch" && (
        <>
          <TextField label={at("flows.on")} value={node.on ?? ""} onInput={(v) => set({ on: v })} error={f("on")} />
          {(node.cases ?? []).map((c, i) => {
            const how = c.contains !== undefined ? "contains" : "is";
            const setCase = (next: BranchCase) => set({ cases: (node.cases ?? []).map((x, j) => (j === i ? next : x)) });
            const cf = (field: string) => errorAt(props.failure, `${path}.cases[${i}].${field}`) ?? undefined;
            return (
              <fieldset key={i} class="flow-sub">
                <legend>{at("flows.caseNamed", { n: i + 1 })}</legend>
                <div class="grid2">
                  <SelectField
                    label={at("flows.caseHow")}
                    value={how}
                    options={[
                      { value: "is", label: at("flows.caseIs") },
                      { value: "contains", label: at("flows.caseContains") },
                    ]}
                    onChange={(v) => setCase({ [v]: asList(c[how]), next: c.next } as BranchCase)}
                  />
                  <TextField
                    label={at("flows.caseValues")}
                    value={asList(c[how]).join(", ")}
                    onInput={(v) => setCase({ [how]: splitList(v), next: c.next } as BranchCase)}
                    hint={at("common.commaHint")}
                    error={cf(how)}
                  />
                  <SelectField
                    label={at("flows.next")}
                    value={c.next}
                    options={[...(props.targets.some((t) => t.value === c.next) ? [] : [{ value: c.next, label: c.next }]), ...props.targets]}
                    onChange={(v) => setCase({ ...c, next: v })}
                    error={cf("next")}
                  />
                </div>
                <button type="button" class="secondary small" onClick={() => set({ cases: (node.cases ?? []).filter((_, j) => j !== i) })}>
                  {at("flows.removeCase", { n: i + 1 })}
                </button>
              </fieldset>
            );
          })}
          <button type="button" class="secondary small" onClick={() => set({ cases: [...(node.cases ?? []), { is: [], next: props.firstId }] })}>
            {at("flows.addCase")}
          </button>
          {target(at("flows.else"), node.else, "else")}
        </>
      )}
      <p>
        <button type="button" class="secondary small" onClick={props.onRemove}>
          {at("flows.removeNode", { id })}
        </button>
      </p>
    </fieldset>
  );
}
