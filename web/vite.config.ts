// Vite builds the UI into dist/, which `firstline serve` serves (server.static_dir). Preact's
// JSX through esbuild's automatic runtime: no framework plugin needed. `npm run dev` proxies
// the API and the live feed to a server on :8080. Text files get a gzip sibling (.gz, level 9)
// that the server sends to clients accepting gzip: no compression work per request.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { constants, gzipSync } from "node:zlib";
import { defineConfig, type Plugin } from "vite";

function precompress(dir: string): Plugin {
  const compressible = /\.(js|css|html|svg|json|txt)$/;
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  return {
    name: "firstline-precompress",
    apply: "build",
    closeBundle() {
      for (const file of walk(dir)) {
        if (!compressible.test(file)) continue;
        const raw = readFileSync(file);
        const gz = gzipSync(raw, { level: constants.Z_BEST_COMPRESSION });
        if (gz.length < raw.length) writeFileSync(file + ".gz", gz);
      }
    },
  };
}

export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  // Two pages: the app, and chat.html (the chat widget alone, for /embed.js to frame).
  build: {
    outDir: "dist",
    sourcemap: true,
    target: "es2022",
    rollupOptions: { input: { main: "index.html", chat: "chat.html" } },
  },
  plugins: [precompress("dist")],
  server: {
    proxy: {
      "/api": { target: "http://127.0.0.1:8080", ws: true },
    },
  },
});
