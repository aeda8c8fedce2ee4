// Browser tests of the public pages: `node run.mjs <base-url>`.
// tests/tests/app/browser.rs spawns the app, seeds it and runs this inside
// `cargo test` (so `make test`). Every file in scenarios/ is one area; add a
// file there to add an area (form, staff queue, embed, ...).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { closeBrowser } from './harness.mjs';

after(closeBrowser);

const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'scenarios');
const only = process.env.LAPOR_SCENARIOS?.split(',');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort()) {
  if (only && !only.includes(file.replace(/\.mjs$/, ''))) continue;
  await import(join(dir, file));
}
