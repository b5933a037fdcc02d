// chat.html: the chat panel alone, filling its frame, for /embed.js to show on another site.
// The page's ?lang= (de, en) sets the language when given.
import { render } from "preact";
import { setLanguage } from "../i18n";
import { ChatWidget } from "./chat_widget";
import "../styles.css";

const lang = new URLSearchParams(location.search).get("lang");
if (lang === "de" || lang === "en") setLanguage(lang);
render(<ChatWidget embedded />, document.getElementById("chat")!);
