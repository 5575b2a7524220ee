import fc from 'fast-check';

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

/**
 * Text a shell or a hook must receive exactly as it is: any bytes, any graphemes, and joins of the
 * fragments that break naive quoting. No NUL (argv and environment cannot hold one), valid UTF-8.
 */
export const hostileShellValue = fc
  .oneof(
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme' }),
    fc
      .array(
        fc.constantFrom(
          "'",
          '"',
          '\\',
          '$',
          '`',
          '$(touch PWNED)',
          '`touch PWNED`',
          "'; touch PWNED; '",
          '\n',
          '\t',
          ' ',
          '*',
          '?',
          '[a]',
          '~',
          '!',
          '#',
          '&',
          '|',
          ';',
          '<',
          '>',
          '{{',
          '}}',
          '\u2019',
          '-n',
          '-e',
          '%s',
          '"; touch PWNED; "',
          '\nEOF\ntouch PWNED\n',
          '\r\n',
          '%',
          'naïve 日本語 🚀',
        ),
      )
      .map((parts) => parts.join('')),
  )
  .filter((value) => !value.includes('\0') && Buffer.from(value, 'utf8').toString('utf8') === value);
