import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/** The snippet's script: one unhashed IIFE at dist/widget/loader.js (built after the app, into the same folder). */
export default defineConfig({
  logLevel: "warn",
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL("../dist/widget", import.meta.url)),
    emptyOutDir: false,
    target: "es2020",
    lib: {
      entry: fileURLToPath(new URL("./loader/loader.ts", import.meta.url)),
      formats: ["iife"],
      name: "ParleyLoader",
      fileName: () => "loader.js",
    },
  },
});
