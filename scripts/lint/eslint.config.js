// ESLint for the whole project (`npm run lint`): TypeScript rules with type information, import cycles, and no
// style rules (Prettier formats).
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import importX, { createNodeResolver } from "eslint-plugin-import-x";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "_site/**",
      ".preview/**",
      ".cache/**",
      "node_modules/**",
      "docs/**",
      "**/.*.staging/**",
      "**/.*.previous/**",
      "**/.*.reuse/**",
      "**/.*.trash/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "_includes/js/**/*.js"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: process.cwd() },
    },
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".js"] })],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/extensions": [".ts", ".js"],
    },
    rules: {
      // A cycle means two concerns that cannot be understood apart: the layout of src/ forbids them.
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-unresolved": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // Playwright's waitForFunction checks on animation frames unless told otherwise, which a loaded machine can starve
    // (POLL_ON_TIMER in scripts/bench/search-payload.ts says more): every call passes its polling.
    files: ["tests/**/*.ts", "scripts/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name='waitForFunction'][arguments.length<3]",
          message: "Pass POLL_ON_TIMER (scripts/bench/search-payload.ts) as waitForFunction's options.",
        },
      ],
    },
  },
  {
    files: ["_includes/js/**/*.js"],
    languageOptions: { globals: globals.browser },
  },
  {
    // Declarations of untyped modules name types of other modules inline; there is nothing to import them into.
    files: ["**/*.d.ts"],
    rules: { "@typescript-eslint/consistent-type-imports": "off" },
  },
  {
    files: ["scripts/**/*.js", "scripts/**/*.mjs"],
    languageOptions: { globals: globals.node },
  },
  prettier,
);
