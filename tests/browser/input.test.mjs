// Input as browsers send it (issue 14): the mouse wheel and the trackpad scroll the right way and by
// the right amount; Ctrl+C, X, V, A and Z work in text fields with the real system clipboard; text
// typed with modifiers held arrives; a fast typist on a slowed CPU loses no keystroke; the fonts
// draw every character of the demo data and of French typography.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  serverAndBrowser, openApp, logIn, apiFetch, waitForItem, click, waitForValue, screenshot, items, frames, repoRoot,
} from './lib.mjs';

const env = serverAndBrowser();

// Waits until the app has taken every queued input event and drawn the result.
async function settled(page) {
  await page.waitForFunction(() => window.uneplace.pendingInput() === 0, null, { timeout: 20000 });
  await frames(page, 3);
}

// The catalogue's rows as drawn: {item id → {y, h}} (a title may be drawn for several dates).
async function rowPositions(page, titles) {
  const rows = new Map();
  for (const it of await items(page)) {
    if (it.window.startsWith('Séances') && titles.has(it.label) && it.h > 0) rows.set(it.id, { y: it.y, h: it.h });
  }
  return rows;
}

// How far the list moved between two readings (positive: towards its end), from a row drawn whole
// in both (the registry clips a half-hidden row to the list's edge).
function moved(before, after) {
  const full = Math.max(...[...before.values()].map((r) => r.h));
  for (const [id, r] of before) {
    const a = after.get(id);
    if (a && r.h === full && a.h === full) return r.y - a.y;
  }
  return NaN;
}

// A synthetic wheel event as a given browser sends it (Firefox: lines; trackpads: small pixels).
async function wheelEvent(page, at, deltaY, deltaMode) {
  await page.evaluate(({ at, deltaY, deltaMode }) => {
    document.getElementById('canvas').dispatchEvent(new WheelEvent('wheel', {
      clientX: at.x, clientY: at.y, deltaY, deltaMode, bubbles: true, cancelable: true,
    }));
  }, { at, deltaY, deltaMode });
}

test('a wheel notch down moves the catalogue a few rows down, a notch up brings it back', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, 'relais@demo.uneplace.test');
  // The catalogue opens on the social worker's own département (Paris).
  const catalogue = (await apiFetch(page, 'GET', '/api/v1/catalogue?limit=500&territory=75')).json.items;
  const titles = new Set(catalogue.map((s) => s.title));
  await waitForItem(page, catalogue[0].title);
  const first = await rowPositions(page, titles);
  assert.ok(first.size >= 3, `catalogue rows drawn: ${first.size}`);
  const ys = [...new Set([...first.values()].map((r) => r.y))].sort((a, b) => a - b);
  const rowHeight = ys[1] - ys[0];
  const over = await waitForItem(page, catalogue[0].title);
  const at = { x: over.x + over.w / 2, y: over.y + over.h / 2 };
  await page.mouse.move(at.x, at.y);
  await settled(page);
  const top = await rowPositions(page, titles);

  // A notch up at the top does nothing (the issue: it jumped to the end of the list).
  await page.mouse.wheel(0, -100);
  await settled(page);
  assert.equal(moved(top, await rowPositions(page, titles)), 0, 'a notch up at the top stays at the top');

  // Chrome: 100 pixels a notch, deltaMode 0.
  await page.mouse.wheel(0, 100);
  await settled(page);
  const down = moved(top, await rowPositions(page, titles));
  assert.equal(down, 100, 'a notch (100 px in Chrome) scrolls 100 px');
  assert.ok(down > rowHeight && down <= 5 * rowHeight, `a notch down moves a few rows: ${down} px; a row is ${rowHeight} px`);
  await screenshot(page, 'input-wheel-notch-down');
  await page.mouse.wheel(0, -100);
  await settled(page);
  assert.equal(moved(top, await rowPositions(page, titles)), 0, 'a notch up brings the list back');

  // Firefox: 3 lines a notch, deltaMode 1: about three lines of text.
  await wheelEvent(page, at, 3, 1);
  await settled(page);
  const lines = moved(top, await rowPositions(page, titles));
  assert.equal(lines, 81, 'three lines of 27 px (17 px text, 10 px spacing)');
  await wheelEvent(page, at, -3, 1);
  await settled(page);
  assert.equal(moved(top, await rowPositions(page, titles)), 0);

  // A trackpad: many small steps, fractions of a pixel included, add up and come back exactly.
  for (let i = 0; i < 40; i++) await wheelEvent(page, at, 1.5, 0);
  await settled(page);
  assert.equal(moved(top, await rowPositions(page, titles)), 60, '40 steps of 1.5 px are 60 px');
  for (let i = 0; i < 40; i++) await wheelEvent(page, at, -1.5, 0);
  await settled(page);
  assert.equal(moved(top, await rowPositions(page, titles)), 0);
  await page.context().close();
});

test('Ctrl+C, X, V, A and Z work with the system clipboard; Ctrl+V pastes a copied booking code', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'fr-FR' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(env.server.url);
  await page.waitForFunction(() => window.uneplace && window.uneplace.ready === true, null, { timeout: 30000 });
  await logIn(page, 'relais@demo.uneplace.test');

  // A booking of the demo structure, made through the API: its code is what people copy.
  const session = (await apiFetch(page, 'GET', '/api/v1/catalogue?limit=500')).json.items
    .find((s) => s.allocation === 'first_come' && s.places_left >= 2);
  const person = (await apiFetch(page, 'GET', '/api/v1/beneficiaries?limit=500')).json.items[0];
  const booked = await apiFetch(page, 'POST', '/api/v1/bookings', { session_id: session.session_id, beneficiary_id: person.id, places: 1 });
  assert.equal(booked.status, 201, JSON.stringify(booked.json));
  const code = booked.json.code;

  // "Copier" beside the code writes the system clipboard.
  await page.evaluate(() => navigator.clipboard.writeText('autre chose'));
  await page.evaluate(() => { location.hash = '#/reservations'; });
  const codeItem = await waitForItem(page, code);
  const copy = (await items(page)).filter((i) => i.label === 'Copier')
    .sort((a, b) => Math.abs(a.y - codeItem.y) - Math.abs(b.y - codeItem.y))[0];
  await page.mouse.click(copy.x + copy.w / 2, copy.y + copy.h / 2);
  await page.waitForFunction((c) => navigator.clipboard.readText().then((t) => t === c), code);

  // Ctrl+V in the search field pastes it: the browser's paste event carries the real clipboard.
  await click(page, 'Rechercher une réservation');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'uneplace-text-input');
  await page.keyboard.press('Control+V');
  assert.equal(await waitForValue(page, 'Rechercher une réservation', code), code);
  await screenshot(page, 'input-ctrl-v-booking-code');

  // Ctrl+A then Ctrl+C copies the field's text to the system clipboard.
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  await page.waitForFunction((c) => navigator.clipboard.readText().then((t) => t === c), code);

  // Ctrl+X cuts it (field empty, text on the clipboard), Ctrl+Z brings it back.
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+X');
  assert.equal(await waitForValue(page, 'Rechercher une réservation', ''), '');
  await page.waitForFunction((c) => navigator.clipboard.readText().then((t) => t === c), code);
  await page.keyboard.press('Control+Z');
  assert.equal(await waitForValue(page, 'Rechercher une réservation', code), code);

  // A block of several lines pasted into a single-line field: lines joined by spaces.
  await page.keyboard.press('Control+A');
  await page.evaluate(() => navigator.clipboard.writeText('Amina\r\nKeïta\nrue du Four'));
  await page.keyboard.press('Control+V');
  assert.equal(await waitForValue(page, 'Rechercher une réservation', 'Amina Keïta rue du Four'), 'Amina Keïta rue du Four');
  await context.close();
});

test('characters typed while a modifier is held arrive (AltGr is Ctrl+Alt on Windows)', async () => {
  const page = await openApp(env.browser, env.server.url);
  await click(page, 'Adresse e-mail');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'uneplace-text-input');
  await page.keyboard.type('relais');
  // French AZERTY on Windows: AltGr+à gives @, AltGr+E gives €; the browser reports Ctrl and Alt held.
  await page.keyboard.down('Control');
  await page.keyboard.down('Alt');
  await page.keyboard.insertText('@');
  await page.keyboard.up('Alt');
  await page.keyboard.up('Control');
  await page.keyboard.down('Shift');
  await page.keyboard.insertText('DEMO');
  await page.keyboard.up('Shift');
  await page.keyboard.type('.test');
  assert.equal(await waitForValue(page, 'Adresse e-mail', 'relais@DEMO.test'), 'relais@DEMO.test');
  await page.context().close();
});

test('a fast typist on a slowed CPU loses no keystroke, the first one included', async () => {
  const page = await openApp(env.browser, env.server.url);
  const field = await waitForItem(page, 'Adresse e-mail');
  const password = await waitForItem(page, 'Mot de passe');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
  const email = 'relais@demo.uneplace.test';
  // No wait between the click and the keys, nor between keys.
  await page.mouse.click(field.x + field.w / 2, field.y + field.h / 2);
  await page.keyboard.type(email);
  await page.mouse.click(password.x + password.w / 2, password.y + password.h / 2);
  await page.keyboard.type('uneplace-demo');
  await settled(page);
  assert.equal(await waitForValue(page, 'Adresse e-mail', email, { timeout: 20000 }), email);
  await page.keyboard.press('Enter');
  // Every key of the password arrived too: the server accepted it.
  await waitForItem(page, 'Se déconnecter', { timeout: 30000 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await page.context().close();
});

// French typography and names the fonts must draw: ordinals and abbreviations with superscript
// letters, quotes and spaces, fractions, ligatures, Vietnamese and Wolof/Fula letters.
const frenchTypography = [
  'XVIIIᵉ siècle', '2ᵉ étage', '1ʳᵉ', '1ᵉʳ', 'Mᵐᵉ', 'Mˡˡᵉ', 'Mᵍʳ', 'nᵒ', '№ 12', 'n° 5', '½ tarif', '¼', '¾', '⅓', '⅔',
  'ﬁn', 'ﬂeur', 'œuvre Œdipe', 'æ Æ', '« guillemets »', '“anglais” ‘simples’', 'l’été', '—tiret—', '–', '…', '‑',
  '\u202f;\u00a0:', '€ £ ¥', '10 °C', '×', '−', '≤ ≥ ≈ ≠', '→ ←', '✓ ✔', '•', '·', '©®™', 'ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ', 'àâäçéèêëîïôöùûüÿ',
  'Nguyễn Thị Hương', 'Đặng Văn Ơn', 'Trần Quốc Vượng', 'Ndèye Ngoné Ñdiaye', 'ŋ Ŋ ɓ Ɓ ɗ Ɗ ƴ Ƴ ë', 'Ǹ ǹ', 'ß', 'Ł ł Ś ś Ż ż', 'Ş ş Ğ ğ İ ı',
];

test('the fonts draw every character of the demo data and of French typography', async (t) => {
  const page = await openApp(env.browser, env.server.url);
  t.diagnostic(`font atlas at pixel ratio 1: ${JSON.stringify(await page.evaluate(() => window.uneplace.fontAtlas()))}`);
  await logIn(page, 'admin@demo.uneplace.test');
  // The demo seed's own text (every string literal of the file the server fills the database from)…
  const seed = fs.readFileSync(path.join(repoRoot, 'server/src/demo_data.cpp'), 'utf8');
  const literals = [...seed.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)].map((m) => m[1]).join(' ');
  // …and what the server answers with it, as the app shows it.
  const strings = (v) => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : []);
  const answers = [];
  for (const p of ['/api/v1/catalogue?limit=500', '/api/v1/organisations?limit=500', '/api/v1/bookings?limit=500']) {
    const r = await apiFetch(page, 'GET', p);
    assert.equal(r.status, 200, p);
    answers.push(...strings(r.json));
  }
  const demo = `${literals} ${answers.join(' ')}`;
  assert.ok(/[éèàç]/.test(demo), 'the demo data holds French text');
  assert.deepEqual(await page.evaluate((t) => window.uneplace.missingGlyphs(t), demo), [], 'demo data');
  const typography = frenchTypography.join(' ');
  assert.deepEqual(await page.evaluate((t) => window.uneplace.missingGlyphs(t), typography), [], 'French typography');
  // Control: a character no font here has (a CJK ideograph) is reported missing.
  assert.deepEqual(await page.evaluate(() => window.uneplace.missingGlyphs('a中b')), ['中']);

  // Drawn for real: the list typed into a field is what the field holds, and everything on screen
  // (labels, values, messages) is in the fonts.
  const line = frenchTypography.slice(0, 20).join(' ');
  await page.evaluate(() => { location.hash = '#/catalogue'; });
  await click(page, 'Rechercher');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'uneplace-text-input');
  await page.keyboard.insertText(line);
  assert.equal(await waitForValue(page, 'Rechercher', line), line);
  await screenshot(page, 'input-french-typography');
  const drawn = (await items(page)).map((i) => `${i.label} ${i.value || ''}`).join(' ');
  assert.deepEqual(await page.evaluate((t) => window.uneplace.missingGlyphs(t), drawn), []);
  await page.context().close();

  // Figures: the atlas on a phone's screen (pixel ratio 3) and a laptop's HiDPI screen (2).
  for (const ratio of [2, 3]) {
    const hidpi = await openApp(env.browser, env.server.url, { width: 390, height: 844, deviceScaleFactor: ratio });
    t.diagnostic(`font atlas at pixel ratio ${ratio}: ${JSON.stringify(await hidpi.evaluate(() => window.uneplace.fontAtlas()))}`);
    await hidpi.context().close();
  }
});
