// Knowledge-base categories (GET/POST /kb/categories, PUT /kb/categories/{id}): the tree, a new
// category under a parent (or at the top), and rename or move one. PUT answers the category
// as it is now; a server without it answers 404 or 405, shown as the form's message.
// Supervisors and admins.
import { useMemo, useState } from "preact/hooks";
import { post, put } from "../api/client";
import type { Category, Me } from "../api/types";
import {
  at,
  EditorSection,
  errorAt,
  Loading,
  NewButton,
  type Rights,
  ScreenHeading,
  SelectField,
  TextField,
  useEditor,
  useList,
  useSaving,
} from "./kit";

interface Node {
  category: Category;
  children: Node[];
}

function tree(items: Category[]): Node[] {
  const byParent = new Map<number | null, Category[]>();
  for (const c of items) byParent.set(c.parent_id, [...(byParent.get(c.parent_id) ?? []), c]);
  const build = (parent: number | null, seen: Set<number>): Node[] =>
    (byParent.get(parent) ?? [])
      .filter((c) => !seen.has(c.id))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((c) => ({ category: c, children: build(c.id, new Set([...seen, c.id])) }));
  return build(null, new Set());
}

// Every category with its path ("Network › VPN"), depth first, for the parent choices.
function flatten(nodes: Node[], prefix = ""): { id: number; label: string }[] {
  return nodes.flatMap((n) => {
    const label = prefix ? `${prefix} › ${n.category.name}` : n.category.name;
    return [{ id: n.category.id, label }, ...flatten(n.children, label)];
  });
}

// The ids under `id` (itself included): a category cannot move below itself.
function subtree(nodes: Node[], id: number): Set<number> {
  const out = new Set<number>();
  const walk = (ns: Node[], inside: boolean) => {
    for (const n of ns) {
      const here = inside || n.category.id === id;
      if (here) out.add(n.category.id);
      walk(n.children, here);
    }
  };
  walk(nodes, false);
  return out;
}

export function CategoriesScreen(_props: { me: Me; rights: Rights }) {
  const categories = useList<Category>("/api/v1/kb/categories");
  const nodes = useMemo(() => tree(categories.items ?? []), [categories.items]);
  const editor = useEditor(categories);

  const renderNodes = (ns: Node[]) => (
    <ul>
      {ns.map((n) => (
        <li key={n.category.id}>
          <span class="cat-name">{n.category.name}</span>{" "}
          <button
            type="button"
            class="link"
            aria-label={at("categories.editNamed", { name: n.category.name })}
            onClick={() => editor.open(n.category)}
          >
            {at("categories.renameMove")}
          </button>
          {n.children.length > 0 && renderNodes(n.children)}
        </li>
      ))}
    </ul>
  );

  return (
    <section class="admin-screen">
      <ScreenHeading>{at("categories.title")}</ScreenHeading>
      <NewButton onClick={() => editor.open("new")}>{at("categories.new")}</NewButton>
      {editor.isOpen && <CategoryEditor key={editor.key} category={editor.item} nodes={nodes} onDone={editor.done} />}
      {categories.items === null ? (
        <Loading failed={categories.failed} />
      ) : (
        <section aria-labelledby="cat-tree-title" class="cat-tree">
          <h2 id="cat-tree-title">{at("categories.tree", { count: categories.items.length })}</h2>
          {nodes.length ? renderNodes(nodes) : <p class="muted">{at("categories.none")}</p>}
        </section>
      )}
    </section>
  );
}

function CategoryEditor(props: { category: Category | null; nodes: Node[]; onDone: () => Promise<void> }) {
  const { category } = props;
  const [name, setName] = useState(category?.name ?? "");
  const [parent, setParent] = useState(category?.parent_id ? String(category.parent_id) : "");
  const saving = useSaving();
  const excluded = category ? subtree(props.nodes, category.id) : new Set<number>();
  const parents = flatten(props.nodes).filter((c) => !excluded.has(c.id));

  async function save() {
    const body = { name: name.trim(), parent_id: parent ? Number(parent) : null };
    const done = await saving.run(
      () => (category ? put<Category>(`/api/v1/kb/categories/${category.id}`, body) : post<Category>("/api/v1/kb/categories", body)),
      (c) => at(category ? "categories.saved" : "categories.created", { name: c.name }),
    );
    if (done) await props.onDone();
  }

  return (
    <EditorSection
      title={category ? at("categories.editTitle", { name: category.name }) : at("categories.newTitle")}
      onSubmit={save}
      onCancel={() => void props.onDone()}
      failure={saving.failure}
      busy={saving.busy}
    >
      <div class="grid2">
        <TextField label={at("categories.name")} value={name} onInput={setName} error={errorAt(saving.failure, "name")} required />
        <SelectField
          label={at("categories.parent")}
          value={parent}
          onChange={setParent}
          options={[{ value: "", label: at("categories.topLevel") }, ...parents.map((p) => ({ value: String(p.id), label: p.label }))]}
          error={errorAt(saving.failure, "parent_id")}
        />
      </div>
    </EditorSection>
  );
}
