// The client's fixes of issue 13, each against a real server and a real Chromium:
// - a booking whose answer is lost (the server saved it, the browser never heard) is asked again
//   with the same Idempotency-Key once the server answers, and the app shows the booking made —
//   one booking, never two;
// - the guest list's CSV export is a real file (Playwright's download event), in the one dialect
//   French spreadsheets open: ';', UTF-8 with a byte order mark, French headers, CRLF;
// - a waitlist request can be withdrawn from "Mes réservations";
// - a lit navigation entry still leads to its screen (Catalogue from a session's page);
// - an administrator lands on the validations waiting for them;
// - an organisation awaiting approval sees a waiting page, not an empty workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  serverAndBrowser, openApp, logIn, apiFetch, waitForItem, waitForNoItem, click, typeInto, screenshot, items, frames,
  scrollTo,
} from './lib.mjs';

const env = serverAndBrowser();

async function choosePerson(page, person) {
  await click(page, 'Bénéficiaire');
  await click(page, `${person.first_name} ${person.last_name}`);
  // The form loads the person's bookings for the rules' pre-check; "Réserver" waits for them.
  await page.waitForFunction(() => window.uneplace.pendingRequests() === 0);
  await frames(page, 3);
}

// A new beneficiary of the demo structure, with no booking yet, so the rules let them book.
let people = 0;
async function freePerson(page) {
  const made = await apiFetch(page, 'POST', '/api/v1/beneficiaries',
    { first_name: 'Inès', last_name: `Martin${++people}`, postal_code: '93200', household_size: 1 });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  return made.json;
}

test('a booking whose answer was lost is shown once the server answers, made once', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, 'relais@demo.uneplace.test');
  const catalogue = (await apiFetch(page, 'GET', '/api/v1/catalogue?limit=500')).json.items;
  const session = catalogue.find((s) => s.allocation === 'first_come' && s.places_left >= 2);
  assert.ok(session, 'the demo data has a bookable first-come session');
  const person = await freePerson(page);

  // Every create the page sends, with its Idempotency-Key.
  const creates = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/bookings') creates.push(r.headers()['idempotency-key']);
  });
  // The first create reaches the real server, which books; its answer is then lost on the way back.
  let firstAnswer = null;
  await page.route('**/api/v1/bookings', async (route) => {
    if (route.request().method() !== 'POST' || firstAnswer) return route.continue();
    const response = await route.fetch();
    firstAnswer = { status: response.status(), body: await response.json() };
    await route.abort('connectionreset');
  });

  await page.evaluate((id) => { location.hash = `#/seance/${id}`; }, session.session_id);
  await waitForItem(page, 'Bénéficiaire');
  await choosePerson(page, person);
  await click(page, 'Réserver');
  const deadline = Date.now() + 15000;
  while (!firstAnswer && Date.now() < deadline) await page.waitForTimeout(50);
  assert.ok(firstAnswer, 'the create reached the server');
  assert.equal(firstAnswer.status, 201, 'the server did make the booking');

  // Once the server answers again, the same request with the same key: the booking made is shown.
  const code = await waitForItem(page, firstAnswer.body.code, { timeout: 30000 });
  assert.equal(code.label, firstAnswer.body.code);
  await screenshot(page, 'fix-booking-answer-recovered');
  await page.unroute('**/api/v1/bookings');
  assert.equal(creates.length, 2, 'the create was sent twice');
  assert.ok(creates[0] && creates[0].length > 0, 'the create carries an Idempotency-Key');
  assert.equal(creates[1], creates[0], 'the retry carries the same key');
  const mine = (await apiFetch(page, 'GET', `/api/v1/bookings?limit=500&beneficiary_id=${person.id}`)).json.items
    .filter((b) => Number(b.session_id) === Number(session.session_id) && b.status !== 'cancelled');
  assert.equal(mine.length, 1, 'one booking, not two');
});

test('the guest list exports a real CSV file in the French spreadsheet dialect', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, 'partenaire@demo.uneplace.test');
  const found = await page.evaluate(async () => {
    const get = async (url) => (await fetch(url)).json();
    for (const offer of (await get('/api/v1/offers?limit=500')).items) {
      for (const s of (await get(`/api/v1/offers/${offer.id}/sessions`)).items || []) {
        const id = s.session_id || s.id;
        const guests = (await get(`/api/v1/sessions/${id}/guest-list`)).items || [];
        if (guests.length) return { id, guests };
      }
    }
    return null;
  });
  assert.ok(found, 'a demo session has guests');
  await page.evaluate((id) => { location.hash = `#/partenaire/seance/${id}`; }, found.id);
  await scrollTo(page, found.guests[0].code);  // texts scrolled out of view are not in the registry

  const download = page.waitForEvent('download', { timeout: 15000 });
  await click(page, 'Exporter la liste (CSV)');
  const file = await download;
  assert.equal(file.suggestedFilename(), `invites-seance-${found.id}.csv`);
  const bytes = fs.readFileSync(await file.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xEF, 0xBB, 0xBF], 'UTF-8 with a byte order mark');
  const text = bytes.subarray(3).toString('utf8');
  const lines = text.split('\r\n');
  assert.equal(lines[0], 'Code;Places;Invité;Structure;Statut;Présents', 'French headers joined by ;');
  assert.equal(lines.filter((l) => l.length).length, found.guests.length + 1, 'one line per guest, CRLF');
  assert.ok(lines.some((l) => l.startsWith(`${found.guests[0].code};`)), 'the guest\'s line');
  await page.mouse.wheel(0, -2400);  // back to the top, where the notice is
  await waitForItem(page, /^Liste exportée/);
  assert.equal(await page.evaluate(() => window.uneplace.lastCopied ?? null), null, 'nothing went to the clipboard');
});

test('a waitlist request can be withdrawn', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, 'relais@demo.uneplace.test');
  const catalogue = (await apiFetch(page, 'GET', '/api/v1/catalogue?limit=500')).json.items;
  const full = catalogue.find((s) => s.places_left === 0 && s.allocation === 'first_come');
  assert.ok(full, 'the demo data has a full session');
  const person = await freePerson(page);
  const joined = await apiFetch(page, 'POST', '/api/v1/bookings',
    { session_id: full.session_id, beneficiary_id: person.id, places: 1, join_waitlist: true });
  assert.equal(joined.status, 202, 'API.md: 202 for a request put on the waiting list');
  assert.equal(joined.json.status, 'waitlisted');

  await page.evaluate(() => { location.hash = '#/reservations'; });
  await click(page, 'Retirer la demande');
  await click(page, 'Confirmer le retrait');
  await waitForItem(page, /^Demande retirée/);
  await screenshot(page, 'fix-waitlist-withdrawn');
  const after = (await apiFetch(page, 'GET', `/api/v1/bookings?limit=500&beneficiary_id=${person.id}`)).json.items
    .find((b) => Number(b.id) === Number(joined.json.id));
  assert.notEqual(after.status, 'waitlisted', 'the request left the waiting list');
  await waitForNoItem(page, 'Retirer la demande');
});

test('a lit navigation entry leads to its screen', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, 'relais@demo.uneplace.test');
  const catalogue = (await apiFetch(page, 'GET', '/api/v1/catalogue?limit=500')).json.items;
  await page.evaluate((id) => { location.hash = `#/seance/${id}`; }, catalogue[0].session_id);
  await waitForItem(page, '← Retour au catalogue');
  await click(page, 'Catalogue');
  await page.waitForFunction(() => location.hash === '#/catalogue', null, { timeout: 10000 });
  await waitForItem(page, 'Rechercher');
});

test('an administrator lands on the validations', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, 'admin@demo.uneplace.test');
  await page.waitForFunction(() => location.hash === '#/admin/validations', null, { timeout: 10000 });
  await waitForItem(page, 'Actualiser');
  assert.ok((await items(page)).some((i) => /^Organisations \(\d+\)$/.test(i.label)), 'the queues are shown');
});

test('an organisation awaiting approval sees a waiting page', async () => {
  const page = await openApp(env.browser, env.server.url);
  const email = `attente-${Date.now()}@exemple.fr`;
  const password = 'une phrase de passe longue';
  const signup = await apiFetch(page, 'POST', '/api/v1/organisations', {
    kind: 'structure', name: 'Centre social des Lilas', territory: '93',
    contact: { email, password, display_name: 'Nadia Benali' },
  });
  assert.equal(signup.status, 201);
  await logIn(page, email, password);
  await waitForItem(page, /attend la validation/);  // the server's own reason (403 account_inactive)
  await screenshot(page, 'fix-pending-organisation');
  const labels = (await items(page)).map((i) => i.label);
  assert.ok(!labels.includes('Catalogue des sorties'), 'no workspace behind it');
});

test('changing a feedback starts from the one given', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, 'relais@demo.uneplace.test');
  const now = Date.now();
  const bookings = (await apiFetch(page, 'GET', '/api/v1/bookings?limit=500')).json.items;
  const past = bookings.find((b) => ['confirmed', 'attended'].includes(b.status) && b.code &&
    Date.parse((b.session || b).start) < now - 86400e3 && Date.parse((b.session || b).start) > now - 20 * 86400e3);
  assert.ok(past, 'the demo structure has a recent past outing');
  const comment = 'Trop long pour les enfants';
  const given = await apiFetch(page, 'POST', `/api/v1/bookings/${past.id}/feedback`, { went: 'partly', rating: 3, comment });
  assert.equal(given.status < 300, true, `feedback accepted: ${JSON.stringify(given.json)}`);

  await page.evaluate(() => { location.hash = '#/reservations'; });
  await click(page, 'Passées');
  await typeInto(page, 'Rechercher une réservation', past.code);
  await click(page, 'Modifier le retour');
  await waitForItem(page, 'Commentaire (facultatif)');
  const field = (await items(page)).find((i) => i.label === 'Commentaire (facultatif)');
  assert.equal(field.value, comment, 'the comment given is in the field, not a blank form');
  await screenshot(page, 'fix-feedback-prefilled');
});
