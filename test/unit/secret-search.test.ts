import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Redactor } from '../../main/core/util/redactor.ts';
import { LOOKOUT_FROM, SecretSearch } from '../../main/core/util/secret-search.ts';

const letter = fc.constantFrom('x', 'y', 'z', '0', '1', 'é', '🛟');
const secretArb = fc.string({ unit: letter, minLength: 4, maxLength: 7 });

/**
 * A long text of output: a short stretch of a few of the letters over and over (so some letters
 * are common in it and others absent, as in real output), with a few pieces of other text set in.
 */
const longTextArb = fc
  .record({
    stretch: fc.string({ unit: letter, minLength: 1, maxLength: 12 }),
    length: fc.integer({ min: LOOKOUT_FROM, max: 4 * LOOKOUT_FROM }),
    pieces: fc.array(fc.tuple(fc.nat(), fc.string({ unit: letter, maxLength: 9 })), { maxLength: 4 }),
  })
  .map(({ stretch, length, pieces }) => {
    let text = stretch.repeat(Math.ceil(length / stretch.length)).slice(0, length);
    for (const [at, piece] of pieces) {
      const place = at % text.length;
      text = text.slice(0, place) + piece + text.slice(place);
    }
    return text;
  });

test('whether a secret occurs in each of a run of long texts, or in their bytes, is told right, whatever is common in them and wherever it lies', () => {
  fc.assert(
    fc.property(fc.array(secretArb, { minLength: 1, maxLength: 4 }), fc.array(longTextArb, { minLength: 1, maxLength: 24 }), (secrets, texts) => {
      const search = new SecretSearch(secrets);
      for (const [index, text] of texts.entries()) {
        const expected = secrets.some((secret) => text.includes(secret));
        assert.equal(search.anyIn(text), expected, `text ${index}`);
        assert.equal(search.anyInBytes(Buffer.from(text)), expected, `bytes of text ${index}`);
      }
    }),
    { numRuns: 400 },
  );
});

test('a secret is found in a flood after the character it is looked for by turned common, in that text and in the ones after', () => {
  const secret = 'AKIA-EXAMPLE-KEY';
  const search = new SecretSearch([secret]);
  const quiet = 'plain output line\n'.repeat(200);
  // The first long text has no capital letters: one of them is what the secret is looked for by.
  assert.equal(search.anyIn(quiet), false);
  // Now capitals are everywhere, with the secret near the start, near the end, and split by nothing.
  const loud = 'AKIA-EXAMPLE-KEX AKIA EXAMPLE KEY\n'.repeat(100);
  for (const at of [0, 1, 35, loud.length / 2, loud.length - 1, loud.length]) {
    const text = loud.slice(0, at) + secret + loud.slice(at);
    assert.equal(search.anyIn(loud), false, 'no secret, common character');
    assert.equal(search.anyIn(text), true, `secret at ${at}`);
  }
  // Long after, with the output quiet again, it is still found, and still not where it is not.
  for (let round = 0; round < 40; round += 1) {
    assert.equal(search.anyIn(quiet), false, `quiet round ${round}`);
    assert.equal(search.anyIn(`${quiet}${secret}${quiet}`), true, `round ${round}`);
  }
});

test('redacting long texts gives the same as redacting them short: every secret, however common its characters', () => {
  fc.assert(
    fc.property(fc.array(secretArb, { minLength: 1, maxLength: 3 }), fc.array(longTextArb, { minLength: 1, maxLength: 8 }), (secrets, texts) => {
      const redactor = new Redactor();
      for (const secret of secrets) redactor.add(secret);
      for (const text of texts) {
        // The same text in short pieces is searched for each secret whole; a secret across pieces is kept whole by a cut at a newline.
        const lines = text.replaceAll('\n', ' ');
        const whole = redactor.redact(lines);
        for (const secret of secrets) assert.ok(!whole.includes(secret), `${JSON.stringify(secret)} left`);
        assert.equal(whole === lines, !secrets.some((secret) => lines.includes(secret)));
      }
    }),
    { numRuns: 300 },
  );
});

test('a short text is searched for each secret whole, and a secret of characters absent from the output is found the moment it appears', () => {
  const search = new SecretSearch(['hunter2-very-secret', 'ZZZZ']);
  assert.equal(search.anyIn('hunter2-very-secret'), true);
  assert.equal(search.anyIn('hunter2-very-secre'), false);
  const filler = 'abcdef 0123456789\n'.repeat(100);
  assert.equal(search.anyIn(filler), false);
  assert.equal(search.anyIn(`${filler}ZZZZ`), true);
  assert.equal(search.anyIn(`ZZZ${filler}Z`), false);
  assert.equal(search.anyIn(`${filler.slice(0, 900)}hunter2-very-secret${filler}`), true);
});

test('a secret is found wherever it lies in a text where the character it is looked for by is everywhere: before, at and after the place the search gives up on that character', () => {
  for (const secret of ['Axyzw', 'xyzAw', 'xyzwA']) {
    const quiet = 'xyzw '.repeat(300); // every character of the secret but A
    for (let at = 0; at <= 80; at += 1) {
      const search = new SecretSearch([secret]);
      assert.equal(search.anyIn(quiet), false);
      // A is chosen, and at once found wherever the secret sits in quiet output.
      assert.equal(search.anyIn(`${secret}${quiet}`), true, `${secret} first`);
      assert.equal(search.anyIn(`${quiet}${secret}`), true, `${secret} last`);
      assert.equal(search.anyIn(`${quiet.slice(0, at)}${secret}${quiet.slice(at)}`), true, `${secret} in quiet output at ${at}`);
      // Then a text that is A after A, the secret among them.
      const loud = `${'A'.repeat(at)}${secret}${'A'.repeat(2000 - at)}`;
      assert.equal(search.anyIn(loud), true, `${secret} among As at ${at}`);
      // The same in bytes, whose search chooses its own byte.
      assert.equal(search.anyInBytes(Buffer.from(quiet)), false);
      assert.equal(search.anyInBytes(Buffer.from(`${secret}${quiet}`)), true, `${secret} first, in bytes`);
      assert.equal(search.anyInBytes(Buffer.from(`${quiet}${secret}`)), true, `${secret} last, in bytes`);
      assert.equal(search.anyInBytes(Buffer.from(`${quiet}${secret.slice(0, -1)}`)), false, `${secret} cut short at the end, in bytes`);
      assert.equal(search.anyInBytes(Buffer.from(loud)), true, `${secret} among As at ${at}, in bytes`);
    }
    const search = new SecretSearch([secret]);
    search.anyIn(quiet);
    assert.equal(search.anyIn('A'.repeat(2000)), false);
    search.anyInBytes(Buffer.from(quiet));
    assert.equal(search.anyInBytes(Buffer.from('A'.repeat(2000))), false);
  }
});

test('the bytes of a long text with characters of several bytes hold a secret exactly when the text does, the secret split across no character', () => {
  const secret = 'pässwörd✓🛟';
  const search = new SecretSearch([secret]);
  const filler = 'ä ö ✓ 🛟 plain text\n'.repeat(100);
  for (const text of [filler, `${filler}${secret}`, `${secret}${filler}`, `${filler}${secret.slice(0, -1)}`, `${filler}pässwörd✓ 🛟${filler}`]) {
    assert.equal(search.anyInBytes(Buffer.from(text)), text.includes(secret), JSON.stringify(text.slice(-30)));
    assert.equal(search.anyIn(text), text.includes(secret), JSON.stringify(text.slice(-30)));
  }
});
