// Short confirmations and errors after an action, read out by screen readers: a polite live
// region for confirmations, an assertive one for errors. Each goes away after a few seconds.
import { useEffect, useState } from "preact/hooks";

interface Toast {
  id: number;
  text: string;
  bad: boolean;
}

let next = 1;
const listeners = new Set<(t: Toast) => void>();

export function toast(text: string, bad = false): void {
  const item = { id: next++, text, bad };
  for (const l of listeners) l(item);
}

export function Toasts() {
  const [items, setItems] = useState<Toast[]>([]);
  useEffect(() => {
    const add = (item: Toast) => {
      setItems((list) => [...list, item]);
      setTimeout(() => setItems((list) => list.filter((x) => x.id !== item.id)), 6000);
    };
    listeners.add(add);
    return () => void listeners.delete(add);
  }, []);
  return (
    <div class="toasts">
      <div role="status" aria-live="polite">
        {items.filter((i) => !i.bad).map((i) => <p key={i.id} class="toast">{i.text}</p>)}
      </div>
      <div role="alert" aria-live="assertive">
        {items.filter((i) => i.bad).map((i) => <p key={i.id} class="toast bad">{i.text}</p>)}
      </div>
    </div>
  );
}
