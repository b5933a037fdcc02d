// The way from line 0 to line 1: file a request, or sign in first.
import type { Me } from "../api/types";
import { t } from "../i18n";
import { onLink } from "../router";
import { onPortalLink } from "./location";

export function StillNeedHelp(props: { me: Me | null }) {
  return (
    <p class="still-need-help">
      {t("portal.kb.stillNeedHelp")}{" "}
      {props.me ? (
        <a href="/portal/new" onClick={onPortalLink}>
          {t("portal.kb.fileRequest")}
        </a>
      ) : (
        <a href="/login" onClick={onLink}>
          {t("portal.kb.signInToFile")}
        </a>
      )}
    </p>
  );
}
