// Vite builds the UI into dist/, which `firstline serve` serves (server.static_dir). Preact's
// JSX through esbuild's automatic runtime: no framework plugin needed. `npm run dev` proxies
// the API and the live feed to a server on :8080.
import { defineConfig } from "vite";

export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: { outDir: "dist", sourcemap: true, target: "es2022" },
  server: {
    proxy: {
      "/api": { target: "http://127.0.0.1:8080", ws: true },
    },
  },
});
