import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "data/", "coverage/", "web/dist/", "widget/dist/", "e2e/artifacts/", ".scratch/", "bench/data/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: { allowDefaultProject: ["*.js", "bin/*.js"] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
      curly: ["error", "all"],
      // Fastify plugins and handlers are async by contract even when they do not await.
      "@typescript-eslint/require-await": "off",
    },
  },
  { files: ["**/*.js", "**/*.mjs"], ...tseslint.configs.disableTypeChecked },
  // The widget runs in browsers (widget/tsconfig.json gives it the DOM types); its Vite configs run in Node.
  { files: ["widget/**/*.{ts,tsx}"], ignores: ["widget/vite*.config.ts"], languageOptions: { globals: { ...globals.browser } } },
  // The dashboard too (dashboard/tsconfig.json); its Vite config runs in Node.
  { files: ["dashboard/**/*.{ts,tsx}"], ignores: ["dashboard/vite.config.ts"], languageOptions: { globals: { ...globals.browser } } },
  {
    files: ["**/*.test.ts", "server/test/**/*.ts", "bench/**/*.ts", "e2e/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
);
