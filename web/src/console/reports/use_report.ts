// A report fetched for the dashboard: the one shown stays, with the request it answers, while
// the next loads (so a caller can mark itself busy); a failure replaces it with a message.
import { useEffect, useState } from "preact/hooks";
import { ApiError, get } from "../../api/client";
import { rt, type Report } from "./kit";

export function useReport(key: string, url: string, reload: unknown = 0) {
  const [shown, setShown] = useState<{ key: string; report: Report } | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    let current = true;
    setError("");
    get<Report>(url).then(
      (report) => current && setShown({ key, report }),
      (err: unknown) => {
        if (!current) return;
        setShown(null);
        const detail = err instanceof Error ? err.message : String(err);
        setError(err instanceof ApiError && err.status === 403 ? rt("reports.forbidden") : rt("reports.failed", { detail }));
      },
    );
    return () => void (current = false);
  }, [key, url, reload]);
  return { shown, error };
}
