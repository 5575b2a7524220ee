import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

const failing = (id: string, onError: string, exit = 1) => ({ id, on: ['backup.before'], onError, script: { command: `echo down >&2; exit ${exit}` } });
