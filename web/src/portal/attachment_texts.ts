// The portal's texts for the shared file picker and file list (../attachments.tsx).
import type { ListTexts, PickerTexts } from "../attachments";
import { t } from "../i18n";

export function pickerTexts(): PickerTexts {
  return {
    attach: t("portal.attach.files"),
    chosen: t("portal.attach.chosen"),
    remove: (name) => t("portal.attach.remove", { name }),
    tooMany: t("portal.attach.tooMany"),
  };
}

export function listTexts(): ListTexts {
  return {
    files: t("portal.attach.list"),
    download: (name) => t("portal.attach.download", { name }),
    failed: (detail) => t("portal.attach.failed", { detail }),
  };
}
