// ESLint for the browser scripts: plain ES modules in static/js, no build step, run by `make lint`
// and `make test`. The recommended rules plus a few that catch real bugs; formatting is not its job.
// ESLint 9, not 10: 9 runs on Node.js 18, the nodejs of Debian 12 that `make node_modules`
// installs on a machine without Node.js (10 needs 20.19 or newer).
import js from "@eslint/js";
import globals from "globals";

// Browser globals that are easy to use by accident, meaning a local of the same name
// (`event` outside a handler, `name`, `status`, `length`, `top`, ...): each is a real window
// property, so a typo or a missing parameter still runs, with the wrong value.
const CONFUSING = [
  "blur", "close", "closed", "event", "external", "find", "focus", "frames", "history", "length",
  "name", "open", "opener", "origin", "parent", "print", "screen", "self", "status", "stop", "top",
];

export default [
  { ignores: [".venv/", "build/", "dist/", "test-results/"] },
  js.configs.recommended,
  {
    files: ["static/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: globals.browser,
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "array-callback-return": "error",
      "eqeqeq": ["error", "smart"],
      "no-implicit-coercion": ["error", { boolean: false }],
      "no-promise-executor-return": "error",
      "no-restricted-globals": ["error", ...CONFUSING],
      "no-self-compare": "error",
      "no-shadow": ["error", { builtinGlobals: false, hoist: "functions" }],
      "no-template-curly-in-string": "error",
      "no-throw-literal": "error",
      "no-unmodified-loop-condition": "error",
      "no-unreachable-loop": "error",
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "all" }],
      "no-use-before-define": ["error", { functions: false, classes: true, variables: true }],
      "prefer-promise-reject-errors": "error",
    },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
];
