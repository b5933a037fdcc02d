// The keyboard shortcuts, listed (opened with "?").
import { t, type Key } from "../i18n";
import { Dialog } from "./dialog";

export const SHORTCUTS: [string, Key][] = [
  ["g q", "keys.queue"],
  ["g c", "keys.call"],
  ["a", "keys.takeCall"],
  ["s", "keys.searchTickets"],
  ["j / k", "keys.move"],
  ["Enter", "keys.open"],
  ["/", "keys.search"],
  ["r", "keys.reply"],
  ["n", "keys.note"],
  ["e", "keys.escalate"],
  ["t", "keys.transfer"],
  ["b", "keys.return"],
  ["Ctrl+Enter", "keys.send"],
  ["?", "keys.help"],
  ["Esc", "keys.close"],
];

export function ShortcutHelp(props: { onClose: () => void }) {
  return (
    <Dialog title={t("keys.title")} onClose={props.onClose}>
      <table class="keys">
        <thead>
          <tr>
            <th scope="col">{t("keys.key")}</th>
            <th scope="col">{t("keys.action")}</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map(([keys, text]) => (
            <tr key={keys}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{t(text)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" class="secondary" onClick={props.onClose}>
        {t("common.close")}
      </button>
    </Dialog>
  );
}
