import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The agent dashboard (dashboard/ → dist/dashboard/index.html + hashed files in assets/), served by the
 * server at / with client-side routes. React's JSX through Vite's own Oxc transform, without a plugin.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  // Always the production JSX runtime: a build run under NODE_ENV=test (the e2e tests) must not emit jsxDEV calls.
  oxc: { jsx: { runtime: "automatic", importSource: "react", development: false } },
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  logLevel: "warn",
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL("../dist/dashboard", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    assetsDir: "assets",
    modulePreload: { polyfill: false },
  },
});
