// Firstline's help assistant on any page:
//   <script src="https://desk.example/embed.js" data-lang="de" async></script>
// Adds a launcher button that opens the assistant (the desk's /chat.html) in a frame. The frame
// keeps the conversation on the desk's own origin: the host page sees none of it. The desk
// must list the host page's origin in server.embed_origins (frame-ancestors).
(function () {
  var script = document.currentScript;
  if (!script) return;
  var base = new URL(script.src).origin;
  var lang = script.getAttribute("data-lang") || (navigator.language || "en").slice(0, 2);
  var label = lang === "de" ? "Hilfe-Assistenten fragen" : "Ask the help assistant";
  var closeLabel = lang === "de" ? "Assistenten schließen" : "Close the assistant";

  var button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.setAttribute("aria-expanded", "false");
  button.style.cssText =
    "position:fixed;right:20px;bottom:20px;z-index:2147483000;padding:12px 18px;border:none;" +
    "border-radius:24px;background:#0b5cad;color:#fff;font:16px system-ui,sans-serif;" +
    "box-shadow:0 2px 8px rgba(0,0,0,.25);cursor:pointer";

  var box = document.createElement("div");
  box.style.cssText =
    "position:fixed;right:20px;bottom:76px;z-index:2147483000;width:min(384px,calc(100vw - 40px));" +
    "height:min(544px,calc(100vh - 100px));display:none;border:1px solid #d0d7de;" +
    "border-radius:8px;box-shadow:0 4px 16px rgba(0,0,0,.25);background:#fff;overflow:hidden";
  var frame = null;

  function toggle() {
    var opening = box.style.display === "none";
    if (opening && !frame) {
      frame = document.createElement("iframe");
      frame.src = base + "/chat.html?lang=" + encodeURIComponent(lang);
      frame.title = label;
      frame.style.cssText = "width:100%;height:100%;border:0";
      box.appendChild(frame);
    }
    box.style.display = opening ? "block" : "none";
    button.textContent = opening ? closeLabel : label;
    button.setAttribute("aria-expanded", opening ? "true" : "false");
  }
  button.addEventListener("click", toggle);
  function mount() {
    document.body.appendChild(box);
    document.body.appendChild(button);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
