import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The iframe app (widget/app → dist/widget/frame.html + hashed assets). Preact's JSX through Vite's own
 * transform (Oxc in Vite 8; the former `esbuild: { jsx: "automatic", jsxImportSource: "preact" }`, which
 * Vite 8 marks deprecated and converts to exactly this) — no React or Preact preset plugin.
 * The loader is a separate build: vite.loader.config.ts.
 */
export default defineConfig({
  root: fileURLToPath(new URL("./app", import.meta.url)),
  // Relative asset URLs: the frame works wherever the server mounts /widget/, behind a path prefix too.
  base: "./",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  logLevel: "warn",
  build: {
    outDir: fileURLToPath(new URL("../dist/widget", import.meta.url)),
    emptyOutDir: true,
    target: "es2020",
    modulePreload: { polyfill: false },
    rolldownOptions: { input: fileURLToPath(new URL("./app/frame.html", import.meta.url)) },
  },
});
