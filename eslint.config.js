// typescript-eslint with type information: the rules that need types catch what tsc lets
// through (a promise nobody awaits, an `any` leaking into typed code, a template with an object).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules/', 'build/', '.data/', '.tap/', 'coverage/', 'static/', 'db/migrations/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Fastify plugins, routes and hooks are async functions by contract (a hook that is not
      // async is handed a `done` callback), whether or not their body awaits anything.
      '@typescript-eslint/require-await': 'off',
      // `const { a: _a, ...rest } = x` drops a field on purpose.
      // Prettier owns the layout and breaks a long chain before `[`, which this rule misreads.
      'no-unexpected-multiline': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, varsIgnorePattern: '^_', argsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // tap tracks its subtests itself: `t.test(...)` at the top of a file is not awaited.
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
)
