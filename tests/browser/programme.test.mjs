// The whole programme in a real browser, through the three workspaces of the same client:
// a new theatre signs up from the login screen, the association's admin approves it, the theatre
// posts an offer with a run of two sessions and submits it, the admin publishes it, the demo social
// worker books a place for a person it accompanies, the theatre checks the guest in by code on the
// evening (server test clock moved forward) and exports its guest list (P2), and the admin's impact
// dashboard counts one more person who came. Screenshots of every workspace go to build/screenshots.
//
// The server runs with --test-hooks so POST /api/v1/test/clock can move its clock to the evening of
// the show (K2: attendance opens 2 h before the start); the partner's page gets the same offset on
// Date.now so both sides agree on the time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  serverAndBrowser, openApp, logIn, waitForItem, screenshot, items, frames, humanClick, apiFetch as api,
  clickInRow as clickInRowOf,
  scrollTo,
} from './lib.mjs';

const DEMO_PASSWORD = 'uneplace-demo';
const ADMIN = 'admin@demo.uneplace.test';
const SOCIAL_WORKER = 'relais@demo.uneplace.test';

const THEATRE = 'Théâtre de la Halle aux Grains';
const PARTNER_EMAIL = 'billetterie@halle-aux-grains.test';
const PARTNER_PASSWORD = 'une-place-pour-tous-2026';
const OFFER_TITLE = 'Les Fourberies de Scapin';

// ---- Helpers: scrolling, logging in, rows of tables, combos ----------------------------------------

// The mouse wheel as the platform delivers it: Emscripten 3.1.6's GLFW passes the browser's deltaY
// to Dear ImGui unscaled and with the sign of a page scroll, the opposite of ImGui's convention.
// Rather than depend on that, the first scroll finds which sign and size move the content down.
let wheelDown = null;  // deltaY that scrolls one step towards the bottom

// One wheel step over the point `at` (the content by default), watching the items of the window
// `windowName` move; learns the platform's sign on the first call. True when the content moved.
async function wheel(page, towardsBottom, { at, windowName = 'Contenu' } = {}) {
  const vp = page.viewportSize();
  const point = at || { x: vp.width * 0.6, y: vp.height * 0.6 };
  await page.mouse.move(point.x, point.y);
  const snapshot = async () => new Map((await items(page))
    .filter((it) => it.window === windowName && it.h > 4 && it.id).map((it) => [it.id, it.y]));
  const tryDelta = async (delta) => {
    const before = await snapshot();
    await page.mouse.wheel(0, delta);
    await frames(page, 2);
    const after = await snapshot();
    for (const [id, y] of after) if (before.has(id)) return y - before.get(id);  // < 0: we scrolled down
    return after.size && before.size ? (towardsBottom ? -1 : 1) : 0;  // nothing in common: it moved a lot
  };
  if (wheelDown === null) {
    for (const delta of [120, -1]) {
      const moved = await tryDelta(towardsBottom ? delta : -delta);
      if (moved !== 0 && (moved < 0) === towardsBottom) { wheelDown = delta; return true; }
    }
    return false;
  }
  return (await tryDelta(towardsBottom ? wheelDown : -wheelDown)) !== 0;
}

// A widget that just appeared (a popup placing itself, a list after a scroll) is clicked only once
// two looks agree on where it is.
async function settled(page, matches) {
  const first = (await items(page)).find((it) => matches(it) && it.w > 0 && it.h >= 8);
  if (!first) return null;
  await frames(page, 2);
  const second = (await items(page)).find((it) => matches(it) && it.w > 0 && it.h >= 8);
  if (!second) return null;
  const same = first.x === second.x && first.y === second.y && first.w === second.w && first.h === second.h;
  return same ? second : null;
}

// Scrolls the content until a widget is drawn (down first, then up), and returns it.
async function reveal(page, label, { timeout = 20000 } = {}) {
  const deadline = Date.now() + timeout;
  const matches = (it) => (label instanceof RegExp ? label.test(it.label) : it.label === label);
  let towardsBottom = true;
  let stuck = 0;
  for (;;) {
    const all = await items(page);
    if (all.some((it) => matches(it) && it.w > 0 && it.h >= 8)) {
      const found = await settled(page, matches);
      if (found) return found;
      continue;
    }
    if (Date.now() > deadline) throw new Error(`no widget labelled ${label}; drawn: ${all.map((i) => i.label).join(' | ')}`);
    if (!(await wheel(page, towardsBottom))) {
      towardsBottom = !towardsBottom;
      if (++stuck > 3) await page.waitForTimeout(200);
    }
  }
}

async function tap(page, label) {
  const it = await reveal(page, label);
  await humanClick(page, it);
  return it;
}

async function typeIn(page, label, text) {
  await tap(page, label);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'uneplace-text-input', null, { timeout: 5000 });
  await page.keyboard.type(text);
}

// lib.mjs's logIn waits until the e-mail field shows every character typed before it submits: on a
// loaded machine a login typed and clicked at full speed was once sent before the field had it all.
async function login(page, email, password) {
  await logIn(page, email, password);
  await page.waitForFunction(() => window.uneplace.pendingRequests() === 0);
  await frames(page, 3);
}

// A table row's button, the row brought into view by scrolling either way.
const clickInRow = (page, rowText, label) => clickInRowOf(page, rowText, label, { reveal });

// Opens a combo and picks an entry, scrolling its list with the mouse wheel until the entry shows.
async function pickInCombo(page, comboLabel, optionLabel) {
  await tap(page, comboLabel);
  for (let i = 0; i < 60; i++) {
    const all = await items(page);
    const option = await settled(page, (it) => it.label === optionLabel && /^Combo_/.test(it.window));
    if (option) {
      await humanClick(page, option);
      // The list closes on the next frame: wait, so the next click reaches what is under it.
      await page.waitForFunction(() => !window.uneplace.items().some((it) => /^Combo_/.test(it.window)));
      return;
    }
    const inPopup = all.find((it) => /^Combo_/.test(it.window) && it.h > 8);
    if (!inPopup) { await page.waitForTimeout(80); continue; }
    await wheel(page, true, { at: { x: inPopup.x + inPopup.w / 2, y: inPopup.y + inPopup.h / 2 }, windowName: inPopup.window });
  }
  throw new Error(`no entry ${optionLabel} in ${comboLabel}`);
}

// Clicks the n-th widget (from the top, 0 first) with this label, e.g. a row's button.
async function tapNth(page, label, n) {
  await reveal(page, label);
  const all = (await items(page)).filter((it) => it.label === label && it.h >= 8).sort((a, b) => a.y - b.y);
  if (all.length <= n) throw new Error(`only ${all.length} widgets labelled ${label}`);
  await humanClick(page, all[n]);
}

async function navigate(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
}

// "Personnes venues : 12" → 12 (French thousands separators are no-break spaces).
async function figure(page, caption) {
  const it = await waitForItem(page, new RegExp(`^${caption} : [0-9\u00a0\u202f ]+$`));  // "…" while loading
  return Number(it.label.split(' : ')[1].replace(/[^0-9]/g, ''));
}

async function waitForFigure(page, caption, expected, { timeout = 15000 } = {}) {
  const deadline = Date.now() + timeout;
  let value;
  do {
    value = await figure(page, caption);
    if (value === expected) return value;
    await page.waitForTimeout(100);
  } while (Date.now() < deadline);
  return value;
}

// Moves the page's clock like the server's test clock, so the client and the server agree.
async function shiftPageClock(page, seconds) {
  await page.addInitScript((ms) => {
    const realNow = Date.now.bind(Date);
    Date.now = () => realNow() + ms;
  }, seconds * 1000);
}

// Logins last 30 days: the test moves the server's clock to the evening of a show a week ahead, and
// the partner's login must still be valid then.
const env = serverAndBrowser({ extraArgs: ['--test-hooks', '--session-hours', '720'] });

const pages = {};

test('sign-up, approval, offer, publication, booking, check-in by code and impact', async (t) => {
  try {
    await programme();
  } catch (e) {
    for (const [name, page] of Object.entries(pages)) await screenshot(page, `programme-failure-${name}`).catch(() => {});
    throw e;
  }
});

async function programme() {
  // 1. A theatre signs up from the login screen.
  const partner = pages.partner = await openApp(env.browser, env.server.url);
  await tap(partner, 'Inscrire mon organisation');
  await tap(partner, 'Partenaire culturel (théâtre, musée, club, festival…)');
  await typeIn(partner, 'Nom de l’organisation', THEATRE);
  // 13 is visible without scrolling the list (the mouse wheel does not reach the canvas yet).
  await pickInCombo(partner, 'Département de l’organisation', '13 Bouches-du-Rhône');
  await typeIn(partner, 'Votre nom (personne de contact)', 'Léa Fontaine');
  await typeIn(partner, 'Votre adresse e-mail', PARTNER_EMAIL);
  await typeIn(partner, 'Mot de passe (12 caractères au moins)', PARTNER_PASSWORD);
  await tap(partner, 'Envoyer ma demande');
  await waitForItem(partner, /en attente de validation/);
  await screenshot(partner, 'programme-01-signup-pending');
  await tap(partner, 'Retour à la connexion');

  // 2. The association's admin approves it from the approval queue.
  const admin = pages.admin = await openApp(env.browser, env.server.url);
  await login(admin, ADMIN, DEMO_PASSWORD);
  await navigate(admin, '#/admin/validations');
  await clickInRow(admin, THEATRE, 'Approuver');
  await waitForItem(admin, `Organisation approuvée : ${THEATRE}.`);
  await screenshot(admin, 'programme-02-admin-validations');

  // 3. The theatre logs in, adds its venue, an offer and a run of two sessions, and submits it.
  await login(partner, PARTNER_EMAIL, PARTNER_PASSWORD);
  await tap(partner, 'Mes lieux');
  await tap(partner, 'Ajouter un lieu');
  await typeIn(partner, 'Nom du lieu', 'Halle aux Grains — salle Molière');
  await typeIn(partner, 'Adresse', '4 rue des Récollets');
  await typeIn(partner, 'Code postal du lieu', '13002');
  await typeIn(partner, 'Ville', 'Marseille');
  await tap(partner, 'Accessible en fauteuil roulant');
  await tap(partner, 'Enregistrer le lieu');
  await waitForItem(partner, 'Lieu ajouté : Halle aux Grains — salle Molière.');
  await screenshot(partner, 'programme-03-partner-venues');

  await tap(partner, 'Mes offres');
  await tap(partner, 'Proposer une offre');
  await typeIn(partner, 'Titre', OFFER_TITLE);
  await pickInCombo(partner, 'Catégorie', 'Théâtre');
  await typeIn(partner, 'Description', 'Molière par la troupe de la Halle : une comédie pour toute la famille.');
  await tap(partner, 'Enregistrer le brouillon');
  await waitForItem(partner, /^Brouillon enregistré/);
  await tap(partner, 'Ajouter des séances');
  // In a week and the day after: a run of two shows at 20:00. Not tomorrow: tomorrow 20:00 closes
  // (start − 24 h) today at 20:00, so a run after 19:00 UTC could no longer book it.
  await tap(partner, '+ la semaine suivante');
  await tap(partner, '+ le jour suivant');
  await reveal(partner, 'Créer les 2 séances');
  await screenshot(partner, 'programme-04-partner-run-of-shows');
  await tap(partner, 'Créer les 2 séances');
  await waitForItem(partner, '2 séances ajoutées.');
  await tap(partner, 'Soumettre à la modération');
  await waitForItem(partner, /envoyée à l’équipe de l’association/);
  await screenshot(partner, 'programme-05-partner-offer-submitted');

  // 4. The admin publishes it.
  await navigate(admin, '#/admin/validations');
  await tap(admin, 'Actualiser');
  await tap(admin, /^Offres \(\d+\)$/);
  await clickInRow(admin, OFFER_TITLE, 'Aperçu');
  await waitForItem(admin, 'Séances proposées');
  await screenshot(admin, 'programme-06-admin-offer-review');
  await clickInRow(admin, OFFER_TITLE, 'Publier');
  await waitForItem(admin, `Offre publiée : « ${OFFER_TITLE} ».`);

  // The impact figures before the outing.
  await navigate(admin, '#/impact');
  const attendedBefore = await figure(admin, 'Personnes venues');

  // 5. The demo social worker books a place, through the booking screen of the catalogue.
  const worker = pages.worker = await openApp(env.browser, env.server.url);
  await login(worker, SOCIAL_WORKER, DEMO_PASSWORD);
  const catalogue = await api(worker, 'GET', `/api/v1/catalogue?limit=500&q=${encodeURIComponent('Scapin')}`);
  const sessions = catalogue.json.items.filter((s) => s.title === OFFER_TITLE).sort((a, b) => a.start.localeCompare(b.start));
  assert.equal(sessions.length, 2, 'both sessions of the run are in the catalogue');
  const show = sessions[0];
  const people = (await api(worker, 'GET', '/api/v1/beneficiaries?limit=500')).json.items;
  // Someone free to book (R7: fewer than 3 upcoming outings; R8: not paused), the least busy first.
  const person = people.filter((p) => p.upcoming_bookings < 3 && !p.paused_until && p.first_name && p.last_name)
    .sort((a, b) => a.upcoming_bookings - b.upcoming_bookings)[0];
  assert.ok(person, 'a demo beneficiary free to book');
  await navigate(worker, `#/seance/${show.session_id}`);
  await pickInCombo(worker, 'Bénéficiaire', `${person.first_name} ${person.last_name}`);
  await tap(worker, 'Réserver');
  const codeItem = await waitForItem(worker, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  const code = codeItem.label;
  await screenshot(worker, 'programme-07-social-worker-booked');

  // 6. The evening of the show: the server's clock moves to 1 h before the start (K2 window open).
  const now = Math.floor(Date.now() / 1000);
  const start = Math.floor(Date.parse(show.start) / 1000);
  const advance = start - now - 3600;
  const moved = await api(admin, 'POST', '/api/v1/test/clock', { advance_s: advance });
  assert.equal(moved.status, 200, `test clock: ${moved.text}`);
  await shiftPageClock(partner, advance);
  await partner.reload();
  await partner.waitForFunction(() => window.uneplace.ready === true);

  // The theatre opens the guest list of the first show and checks the guest in by code.
  await waitForItem(partner, 'Se déconnecter');
  await tap(partner, 'Mes offres');
  await tap(partner, OFFER_TITLE);
  await tap(partner, 'Liste des invités');
  const guest = `${person.first_name} ${[...person.last_name.trim()][0].toUpperCase()}.`;
  await scrollTo(partner, guest);  // texts scrolled out of view are not in the registry
  await waitForItem(partner, code);
  await typeIn(partner, 'Code de réservation', code.toLowerCase().replace('-', ' '));  // typed loosely
  await tap(partner, 'Enregistrer la présence');
  await waitForItem(partner, `Présence enregistrée : ${guest}, 1 personne.`);
  assert.equal(await waitForFigure(partner, 'Personnes venues', 1), 1);
  await screenshot(partner, 'programme-08-partner-checked-in');

  // The guest list as CSV: code, places, "Amina K.", structure — never a full name (P2).
  const copiedBefore = await partner.evaluate(() => window.uneplace.lastCopied || '');
  const download = partner.waitForEvent('download', { timeout: 5000 }).catch(() => null);
  await tap(partner, 'Exporter la liste (CSV)');
  let csv = '';
  const file = await download;
  if (file) {
    csv = fs.readFileSync(await file.path(), 'utf8');
  } else {
    await partner.waitForFunction((before) => (window.uneplace.lastCopied || '') !== before, copiedBefore);
    csv = await partner.evaluate(() => window.uneplace.lastCopied);
  }
  assert.match(csv, /Code;Places;Invité;Structure;Statut;Présents/);
  assert.ok(csv.includes(`${code};1;${guest};`), `the guest's line is in the CSV:\n${csv}`);
  assert.ok(!csv.includes(person.last_name), 'no full last name in the export (P2)');

  await partner.setViewportSize({ width: 1920, height: 1080 });
  await waitForItem(partner, code);
  await screenshot(partner, 'programme-09-partner-guest-list-1920x1080');

  // The second show of the run: two more places donated, then cancelled with a confirmation.
  await tap(partner, '← Retour à mes offres');
  await waitForItem(partner, 'Liste des invités');
  await tapNth(partner, 'Capacité', 1);
  await waitForItem(partner, 'Nouvelle capacité');
  const plus = (await items(partner)).find((it) => it.label === '+' && it.window === 'Modifier la capacité');
  await humanClick(partner, plus);
  await humanClick(partner, plus);
  await tap(partner, 'Enregistrer la capacité');
  await waitForItem(partner, /^Capacité mise à jour : 12 places/);
  await tapNth(partner, 'Annuler', 1);
  await waitForItem(partner, 'Oui, annuler la séance');
  await screenshot(partner, 'programme-10-partner-cancel-confirmation');
  await tap(partner, 'Oui, annuler la séance');
  await waitForItem(partner, /^Séance annulée/);
  await waitForItem(partner, 'Annulée');
  await screenshot(partner, 'programme-11-partner-sessions-1920x1080');

  // 7. The admin's dashboard counts one more person who came.
  await navigate(admin, '#/impact');
  await tap(admin, 'Actualiser');
  const attendedAfter = await waitForFigure(admin, 'Personnes venues', attendedBefore + 1);
  assert.equal(attendedAfter, attendedBefore + 1, 'one more attended place on the dashboard');
  await screenshot(admin, 'programme-12-admin-dashboard-1280x720');
  await admin.setViewportSize({ width: 1920, height: 1080 });
  await admin.waitForTimeout(300);
  await screenshot(admin, 'programme-13-admin-dashboard-1920x1080');

  // The other admin screens, for the record.
  await navigate(admin, '#/admin/annuaire');
  await typeIn(admin, 'Rechercher', 'halle grains');  // words, accents and case ignored
  await waitForItem(admin, THEATRE);
  await tap(admin, THEATRE);                          // its people show under it
  await waitForItem(admin, 'Léa Fontaine');
  await screenshot(admin, 'programme-14-admin-directory');
  await navigate(admin, '#/admin/territoires');
  await waitForItem(admin, 'Enregistrer les réglages');
  await screenshot(admin, 'programme-15-admin-settings');
  await navigate(admin, '#/admin/journal');
  await reveal(admin, 'organisation.approve');
  await screenshot(admin, 'programme-16-admin-audit');
}
