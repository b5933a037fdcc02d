// A CSV download of a report or one of its tables: fetched with the session's credentials
// (downloadFrom), and a failed download said next to the link.
import { useState } from "preact/hooks";
import { ApiError, downloadFrom } from "../../api/client";
import { rt } from "./kit";

export function CsvDownload(props: { url: string; filename: string; label: string; block?: boolean }) {
  const [failed, setFailed] = useState("");
  const Wrapper = props.block ? "p" : "span";
  return (
    <Wrapper class="csv">
      <a
        href={props.url}
        download={props.filename}
        onClick={(e) => {
          e.preventDefault();
          setFailed("");
          downloadFrom(props.url, props.filename).catch((err: unknown) =>
            setFailed(err instanceof ApiError ? err.message : String(err)),
          );
        }}
      >
        {props.label}
      </a>
      {failed && (
        <span class="error" role="alert">
          {" "}
          {rt("reports.csvFailed", { detail: failed })}
        </span>
      )}
    </Wrapper>
  );
}
