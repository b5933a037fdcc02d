// Sign in; then on to the console (staff) or the portal (customers).
import { useState } from "preact/hooks";
import { ApiError } from "../api/client";
import { t } from "../i18n";
import { navigate } from "../router";
import { isStaff, signIn } from "../session";

export function LoginPage() {
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await signIn(login.trim(), password);
      navigate(isStaff(me) ? "/console" : "/portal", true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) setError(t("login.throttled"));
      else if (err instanceof ApiError && err.status === 0) setError(t("error.offline"));
      else setError(t("login.failed"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="login" aria-labelledby="login-title">
      <h1 id="login-title">{t("login.title")}</h1>
      <form onSubmit={submit}>
        <label>
          {t("login.login")}
          <input
            name="login"
            autocomplete="username"
            required
            value={login}
            onInput={(e) => setLogin(e.currentTarget.value)}
          />
        </label>
        <label>
          {t("login.password")}
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t("login.submit")}
        </button>
      </form>
    </section>
  );
}
