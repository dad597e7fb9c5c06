// Issue 17 in the browser, against a real server and a real Chromium:
// - the dashboard's "Télécharger le bilan d’impact" saves a real PDF (Playwright's download event)
//   that poppler's pdftotext reads back: its title, scope, and the usage ratio the dashboard shows;
// - on "Territoires", "Simuler l’effet" shows the current and proposed figures of the settings as
//   typed, and saves nothing (the settings read again through the API afterwards).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  serverAndBrowser, openApp, logIn, apiFetch, waitForItem, click, clickInRow, humanClick, settled, scrollTo, screenshot, frames, items,
} from './lib.mjs';

const ADMIN = 'admin@demo.uneplace.test';
const env = serverAndBrowser({});
// Poppler warns about libharu's ToUnicode maps: only its output is read.
const quiet = { stdio: ['ignore', 'pipe', 'ignore'] };
const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');

async function go(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
}

test('the dashboard downloads the impact report as a real PDF', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, ADMIN);
  await go(page, '#/impact');
  // The figures of the period shown, once loaded ("…" while loading).
  const usage = await waitForItem(page, /^Taux d’usage \(venues ÷ offertes\) : [0-9]/);
  const shown = usage.label.split(' : ')[1];
  const download = page.waitForEvent('download', { timeout: 20000 });
  await click(page, 'Télécharger le bilan d’impact');
  const file = await download;
  assert.match(file.suggestedFilename(), /^bilan-impact-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.pdf$/);
  await waitForItem(page, `Fichier enregistré : ${file.suggestedFilename()}`);
  await screenshot(page, 'impact-report-downloaded');
  const sent = await page.evaluate(() => window.uneplace.requestLog.filter((r) => r.includes('/reports/impact.pdf')));
  assert.equal(sent.length, 1, 'one request for the report');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uneplace-impact-'));
  const pdf = path.join(dir, 'bilan.pdf');
  fs.copyFileSync(await file.path(), pdf);
  assert.equal(fs.readFileSync(pdf).subarray(0, 5).toString('latin1'), '%PDF-');
  const text = plain(execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], quiet).toString('utf8'));
  fs.rmSync(dir, { recursive: true, force: true });
  for (const want of ['Bilan d’impact', 'Tous les territoires', 'Places données', 'Taux d’utilisation',
    'Premières sorties', 'Effet simulé des règles', 'Notes de méthode'])
    assert.ok(text.includes(want), `« ${want} » in the PDF:\n${text}`);
  assert.ok(text.includes(`soit un taux d’utilisation de ${plain(shown)}`), `the dashboard's ${shown} in:\n${text}`);
});

test('the settings screen simulates the effect of the settings typed, and saves nothing', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, ADMIN);
  const before = (await apiFetch(page, 'GET', '/api/v1/settings/75')).json;
  await go(page, '#/admin/territoires');
  await waitForItem(page, 'Part maximale d’une structure (%)');
  // Paris, through the combo's filter.
  await click(page, 'Territoire');
  await waitForItem(page, 'Filtrer les départements');  // the list is open, its filter has the keyboard
  await frames(page, 2);
  await page.keyboard.type('Paris');
  const inList = (it) => it.label === '75 Paris' && /^Combo_/.test(it.window);
  let paris = null;
  for (let i = 0; i < 50 && !paris; i++) paris = await settled(page, inList);
  assert.ok(paris, `the list shows 75 Paris: ${(await items(page)).map((i) => i.label).join(' | ')}`);
  await humanClick(page, paris);
  // The list closes and the screen loads Paris's settings.
  await page.waitForFunction(() => !window.uneplace.items().some((it) => /^Combo_/.test(it.window)));
  await page.waitForFunction(() => window.uneplace.requestLog.some((r) => r.endsWith('/api/v1/settings/75')));
  await page.waitForFunction(() => window.uneplace.pendingRequests() === 0);
  await frames(page, 3);
  // A wider fair share, typed but not saved.
  for (let i = 0; i < 5; i++) await clickInRow(page, 'Part maximale d’une structure (%)', '+');
  await click(page, 'Simuler l’effet');
  // The table, below the fold of a laptop's screen: scrolled to as a person would.
  await scrollTo(page, 'Réglages proposés', { timeout: 30000 });
  await waitForItem(page, /^Sur les 12 derniers mois \(/);
  for (const label of ['Réglages actuels', 'Écart', 'Taux d’utilisation (venues ÷ offertes)', 'Places perdues',
    'Premières sorties (part des bénéficiaires)'])
    await scrollTo(page, label);
  await screenshot(page, 'settings-what-if');
  const asked = await page.evaluate(() => window.uneplace.requestLog.filter((r) => r.includes('/what-if')));
  assert.equal(asked.length, 1, 'one simulation asked');
  assert.match(asked[0], new RegExp(`share_percent=${before.share_percent + 5}(&|$)`), asked[0]);
  // Nothing was saved: the settings read again are those from before.
  const after = (await apiFetch(page, 'GET', '/api/v1/settings/75')).json;
  assert.deepEqual(after, before);
  const writes = await page.evaluate(() => window.uneplace.requestLog.filter((r) => /^PUT /.test(r)));
  assert.deepEqual(writes, []);
});
