// Devices and accessibility (issue 14): the social worker's booking journey on a phone, a tablet
// and a small laptop, with nothing drawn across the screen's edge; the same journey with the
// keyboard alone; the accessibility mirror as the browser's accessibility tree shows it; axe-core
// on the login, catalogue and booking screens.
import fs from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  serverAndBrowser, openApp, logIn, apiFetch, items, waitForItem, click, typeInto, screenshot, frames, repoRoot,
  focusedItem, pressUntilFocused, arrowTo, assertInsideViewport, scrollTo,
} from './lib.mjs';

const env = serverAndBrowser();
const kCode = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

// First-come sessions with places for one more booking, the most places first (each test books
// a different one, so one test's booking never changes what another finds). In Paris: the
// catalogue opens on the social worker's own département.
async function bookableSessions(page) {
  const { json } = await apiFetch(page, 'GET', '/api/v1/catalogue?limit=500&territory=75');
  const list = json.items.filter((s) => s.allocation === 'first_come' && s.places_left >= 2)
    .sort((a, b) => b.places_left - a.places_left);
  assert.ok(list.length >= 5, 'the demo data has bookable first-come sessions');
  return list;
}

// A new adult person of the structure, to book for (a person of the demo data may already be
// booked on the session's day).
async function newPerson(page, lastName) {
  const r = await apiFetch(page, 'POST', '/api/v1/beneficiaries',
    { first_name: 'Lina', last_name: lastName, postal_code: '93200', household_size: 1, birth_year: 1984 });
  assert.equal(r.status, 201, `person created: ${r.text}`);
  return r.json;
}

// The catalogue's first row drawn (waits for the list).
async function firstRow(page) {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    const row = (await items(page)).find((it) => it.role === 'row' && it.h > 20);
    if (row) return row;
    await page.waitForTimeout(50);
  }
  throw new Error('no row in the catalogue');
}

// A word of the title that finds it in the catalogue's search.
const searchWord = (title) => title.split(/\s+/).sort((a, b) => b.length - a.length)[0];

async function bookingStatus(page, personId) {
  const { json } = await apiFetch(page, 'GET', `/api/v1/bookings?limit=500&beneficiary_id=${personId}`);
  return json.items.map((b) => b.status);
}

// Waits until the booking form's person combo shows `name`.
async function chosen(page, name) {
  await page.waitForFunction((n) => window.uneplace.items().some((it) => it.label === 'Bénéficiaire' && it.value === n),
    name);
}

// ---- The booking journey at three sizes -------------------------------------------------------

const sizes = [
  { width: 390, height: 844, deviceScaleFactor: 3, name: 'phone' },
  { width: 768, height: 1024, deviceScaleFactor: 1, name: 'tablet' },
  { width: 1024, height: 600, deviceScaleFactor: 1, name: 'laptop' },
];

sizes.forEach((size, index) => {
  const tag = `${size.width}x${size.height}`;
  test(`the booking journey at ${size.width}×${size.height} (${size.name}), nothing across the edge`, async () => {
    const page = await openApp(env.browser, env.server.url, size);
    await waitForItem(page, 'Adresse e-mail');
    await assertInsideViewport(page, 'login');
    const card = await waitForItem(page, 'Se connecter');
    assert.ok(card.x >= 0 && card.x + card.w <= size.width, 'the login card fits the screen');
    await screenshot(page, `devices-login-${tag}`);
    await logIn(page, 'relais@demo.uneplace.test');

    const session = (await bookableSessions(page))[index];
    const person = await newPerson(page, `Appareil ${size.name}`);
    await typeInto(page, 'Rechercher', searchWord(session.title));
    const row = await waitForItem(page, session.title);
    assert.equal(row.role, 'row');
    const drawn = await assertInsideViewport(page, 'catalogue');
    const rows = drawn.filter((it) => it.role === 'row');
    assert.ok(rows.length >= 1, 'rows drawn');
    for (const r of rows) assert.ok(r.w >= 0.6 * size.width, `a row takes most of the width: ${r.w} of ${size.width}`);
    if (size.name === 'phone') {
      assert.ok(!drawn.some((it) => it.window === 'Navigation'), 'no side navigation on a phone');
      const menu = await waitForItem(page, 'Menu');
      assert.ok(menu.h >= 44 && menu.w >= 44, 'the menu button is a touch target');
      const search = drawn.find((it) => it.label === 'Rechercher');
      assert.ok(search.h >= 44, `text fields are touch targets (${search.h} px)`);
    }
    await screenshot(page, `devices-catalogue-${tag}`);

    await click(page, session.title);
    await waitForItem(page, '← Retour au catalogue');
    await assertInsideViewport(page, 'session');
    await scrollTo(page, 'Bénéficiaire');
    await screenshot(page, `devices-session-${tag}`);
    await click(page, 'Bénéficiaire');
    await click(page, `Lina Appareil ${size.name}`);
    await chosen(page, `Lina Appareil ${size.name}`);  // "Réserver" is enabled from then on
    await click(page, 'Réserver');
    const code = await waitForItem(page, kCode);
    await assertInsideViewport(page, 'booked');
    await screenshot(page, `devices-booked-${tag}`);
    assert.deepEqual(await bookingStatus(page, person.id), ['confirmed']);

    await click(page, 'Voir mes réservations');
    await typeInto(page, 'Rechercher une réservation', code.label);
    await waitForItem(page, code.label);
    await click(page, 'Annuler la réservation');
    await click(page, 'Confirmer l’annulation');
    await waitForItem(page, /^Réservation annulée/);
    await assertInsideViewport(page, 'bookings');
    await screenshot(page, `devices-cancelled-${tag}`);
    assert.deepEqual(await bookingStatus(page, person.id), ['cancelled']);
  });
});

// ---- Keyboard only ------------------------------------------------------------------------------

// Waits until the text field `label` is being edited (the hidden input has the keys).
async function editing(page, label) {
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'uneplace-text-input');
  const deadline = Date.now() + 5000;
  let it;
  while (Date.now() < deadline) {
    it = await focusedItem(page);
    if (it && it.label === label) return it;
    await frames(page, 1);
  }
  throw new Error(`not editing ${label}; focused: ${it && it.label}`);
}

test('the booking journey with the keyboard alone (Tab, arrows, Enter, Space)', async () => {
  const page = await openApp(env.browser, env.server.url);
  await waitForItem(page, 'Adresse e-mail');
  const moves = [];
  page.on('console', () => {});
  await page.exposeFunction('noteMouse', (type) => moves.push(type));
  await page.evaluate(() => {
    for (const type of ['mousedown', 'mouseup', 'click', 'pointerdown', 'wheel'])
      window.addEventListener(type, () => window.noteMouse(type), true);
  });

  // Log in: Tab into the e-mail field, Tab to the password, Enter.
  await page.keyboard.press('Tab');
  await editing(page, 'Adresse e-mail');
  await page.keyboard.type('relais@demo.uneplace.test');
  await page.keyboard.press('Tab');
  await editing(page, 'Mot de passe');
  await page.keyboard.type('uneplace-demo');
  await page.keyboard.press('Enter');
  await waitForItem(page, 'Se déconnecter');

  // Find: Tab into the search, type, Enter leaves the field, arrows down to the row, Enter.
  const session = (await bookableSessions(page))[3];
  const person = await newPerson(page, 'Clavier');
  await waitForItem(page, 'Rechercher');
  await page.keyboard.press('Tab');
  await editing(page, 'Rechercher');
  await page.keyboard.type(searchWord(session.title));
  await waitForItem(page, session.title);
  await page.keyboard.press('Enter');  // leaves the field with its text (Escape would undo the typing)
  const row = await pressUntilFocused(page, 'ArrowDown', session.title);
  assert.equal(row.role, 'row');
  await screenshot(page, 'devices-keyboard-row-focused');
  await page.keyboard.press('Enter');
  await waitForItem(page, 'Bénéficiaire');

  // Book: the person's combo (Space opens it, arrows choose, Enter takes), then "Réserver".
  await arrowTo(page, 'Bénéficiaire');
  await page.keyboard.press('Space');
  await pressUntilFocused(page, 'ArrowDown', 'Lina Clavier');
  await page.keyboard.press('Enter');
  await chosen(page, 'Lina Clavier');
  await arrowTo(page, 'Réserver');
  await page.keyboard.press('Enter');
  const code = await waitForItem(page, kCode);
  assert.deepEqual(await bookingStatus(page, person.id), ['confirmed']);

  // Cancel: to "Mes réservations", find the code, cancel, confirm.
  // The code's line: its two buttons, reached by the arrows (the invitation, then left to the copy).
  await arrowTo(page, 'Télécharger l’invitation');
  await pressUntilFocused(page, 'ArrowLeft', 'Copier le code');
  await arrowTo(page, 'Voir mes réservations');  // the line under the code and its two buttons
  await page.keyboard.press('Enter');
  await waitForItem(page, 'Rechercher une réservation');
  await page.keyboard.press('Tab');
  await editing(page, 'Rechercher une réservation');
  await page.keyboard.type(code.label);
  await waitForItem(page, code.label);
  await page.keyboard.press('Enter');
  await page.waitForFunction((c) => window.uneplace.items().filter((it) => it.label === 'Annuler la réservation').length === 1
    && window.uneplace.items().some((it) => it.label === 'Rechercher une réservation' && it.value === c), code.label);
  await arrowTo(page, 'Annuler la réservation');
  await page.keyboard.press('Space');
  // The confirmation's two buttons: down to either, then across to "Confirmer" (or up, where the
  // narrow layout puts one under the other). arrowTo's sweep once went past them to the top bar.
  const confirm = 'Confirmer l’annulation';
  await pressUntilFocused(page, 'ArrowDown', (label) => label === confirm || label === 'Garder la réservation');
  if ((await focusedItem(page)).label !== confirm) {
    try {
      await pressUntilFocused(page, 'ArrowLeft', confirm, { max: 3 });
    } catch {
      await pressUntilFocused(page, 'ArrowUp', confirm, { max: 3 });
    }
  }
  await screenshot(page, 'devices-keyboard-confirm');
  await page.keyboard.press('Enter');
  await waitForItem(page, /^Réservation annulée/);
  assert.deepEqual(await bookingStatus(page, person.id), ['cancelled']);
  assert.deepEqual(moves, [], 'no mouse event');
});

// ---- The accessibility tree ---------------------------------------------------------------------

// The accessibility tree of the page as a screen reader gets it (Playwright's ARIA snapshot).
const ariaTree = (page) => page.locator('body').ariaSnapshot();

test('the accessibility mirror names every control of the login, catalogue and booking screens', async () => {
  const page = await openApp(env.browser, env.server.url);
  await waitForItem(page, 'Adresse e-mail');
  await frames(page, 2);
  let tree = await ariaTree(page);
  for (const line of ['heading "Connexion"', 'textbox "Adresse e-mail"', 'textbox "Mot de passe"',
    'button "Se connecter"', 'button "Inscrire mon organisation"'])
    assert.ok(tree.includes(line), `login: ${line} in\n${tree}`);
  assert.equal(await page.title(), 'Connexion — une place');

  // A refusal is announced by the alert region.
  await typeInto(page, 'Adresse e-mail', 'relais@demo.uneplace.test');
  await typeInto(page, 'Mot de passe', 'pas le bon mot de passe');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('[role=alert]')].some((e) => e.textContent.length > 10));

  await page.reload();
  await page.waitForFunction(() => window.uneplace && window.uneplace.ready === true);
  await logIn(page, 'relais@demo.uneplace.test');
  const session = { title: (await firstRow(page)).label };
  await frames(page, 2);
  tree = await ariaTree(page);
  for (const line of ['heading "Catalogue des sorties"', 'textbox "Rechercher"', 'combobox "Où"',
    'combobox "Catégorie"', 'combobox "Période"', 'checkbox "Places disponibles"', 'checkbox "Accessible en fauteuil"',
    'combobox "Mode d’attribution"', 'combobox "Tri"', 'button "Actualiser"', 'button "Se déconnecter"',
    'link "Catalogue"', 'list "Séances"', 'listitem'])
    assert.ok(tree.includes(line), `catalogue: ${line} in\n${tree}`);
  assert.equal(await page.title(), 'Catalogue des sorties — une place');

  // A checkbox's state follows the app's.
  await click(page, 'Places disponibles');
  await page.waitForFunction(() => [...document.querySelectorAll('[role=checkbox]')]
    .some((e) => e.textContent === 'Places disponibles' && e.getAttribute('aria-checked') === 'true'));
  await click(page, 'Places disponibles');
  await page.waitForFunction(() => [...document.querySelectorAll('[role=checkbox]')]
    .some((e) => e.textContent === 'Places disponibles' && e.getAttribute('aria-checked') === 'false'));
  await frames(page, 3);  // the click is over (a click after the focus would take the focus ring away)

  // Focusing a row's node (what a screen reader does) gives it the app's focus; Enter opens it.
  await page.evaluate((title) => {
    const link = [...document.querySelectorAll('#uneplace-mirror [role=link]')].find((e) => e.textContent === title);
    link.focus();
  }, session.title);
  await page.waitForFunction((title) => window.uneplace.items().some((it) => it.focused && it.label === title), session.title);
  await page.keyboard.press('Enter');
  await waitForItem(page, 'Bénéficiaire');
  await frames(page, 2);
  tree = await ariaTree(page);
  for (const line of [`heading "${session.title}"`, 'button "← Retour au catalogue"', 'combobox "Bénéficiaire"',
    'button "Ajouter une personne"', 'textbox "Nombre de places"', 'button "Réserver"'])
    assert.ok(tree.includes(line), `booking: ${line} in\n${tree}`);
  assert.equal(await page.title(), `${session.title} — une place`);
});

// ---- axe-core -----------------------------------------------------------------------------------

const axeScript = path.join(repoRoot, 'tests/browser/node_modules/axe-core/axe.min.js');

async function seriousViolations(page) {
  // Evaluated through the DevTools protocol: a <script> tag would be an inline script, which the
  // app's Content-Security-Policy rightly blocks.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(fs.readFileSync(axeScript, 'utf8'));
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

test('axe-core finds no serious or critical violation on the login, catalogue and booking screens', async () => {
  const page = await openApp(env.browser, env.server.url);
  await waitForItem(page, 'Adresse e-mail');
  await frames(page, 2);
  assert.deepEqual(await seriousViolations(page), [], 'login');
  await logIn(page, 'relais@demo.uneplace.test');
  const session = { title: (await firstRow(page)).label };
  await frames(page, 2);
  assert.deepEqual(await seriousViolations(page), [], 'catalogue');
  await click(page, session.title);
  await waitForItem(page, 'Réserver');
  await frames(page, 2);
  assert.deepEqual(await seriousViolations(page), [], 'booking');
});
