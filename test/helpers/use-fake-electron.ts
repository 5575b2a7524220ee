// Import this first, then import the shell's modules dynamically: `electron` resolves to the fake.
import { registerHooks } from 'node:module';

const FAKE = new URL('./fake-electron.ts', import.meta.url).href;

registerHooks({
  resolve(specifier, context, next) {
    if (specifier === 'electron') return { url: FAKE, shortCircuit: true, format: 'module' };
    return next(specifier, context);
  },
});
