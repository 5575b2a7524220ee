/** Values that break naive shell interpolation: quotes, separators, substitutions, newlines, non-ASCII. */
export const HOSTILE = [
  "it's",
  'say "hi"',
  'a; touch /tmp/lifeboat-pwned',
  '$(touch /tmp/lifeboat-pwned)',
  '`touch /tmp/lifeboat-pwned`',
  'line one\nline two',
  'naïve café 日本語 🚀',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} that a shell must not expand
  '$HOME ${PATH} \\ \\\\ \\n',
  "'; rm -rf / #",
  '   leading and trailing   ',
  '',
  '*',
  '-n',
];
