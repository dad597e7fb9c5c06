// What the social worker sees when a rule says no or time moves on, in a real browser against a
// real server: R7 refused before any request is sent, the confirmation among the notifications,
// a late cancellation after the booking closed (C1), and a login that expired (P3) sending back to
// the login screen and then to where the person was.
//
// The server runs with --test-hooks so POST /api/v1/test/clock can move its clock; a page that
// must agree with it gets the same offset on Date.now before it loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverAndBrowser, startServer, openApp, waitForItem, click, typeInto, replaceText, screenshot, apiFetch, logIn, openContextCount,
  scrollTo,
} from './lib.mjs';

const WORKER = 'relais@demo.uneplace.test';
const PARTNER = 'partenaire@demo.uneplace.test';
const ADMIN = 'admin@demo.uneplace.test';

const env = serverAndBrowser({ extraArgs: ['--test-hooks', '--session-hours', '168'] });

async function newPerson(page, firstName, lastName) {
  const r = await apiFetch(page, 'POST', '/api/v1/beneficiaries',
    { first_name: firstName, last_name: lastName, postal_code: '75011', household_size: 1 });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// "YYYY-MM-DDT20:00:00" in Paris, `days` after today there.
function parisDay(days, hour = 20) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00`;
}

// A published session of the demo partner, made through the API by a partner page and an admin page.
async function publishedSession(browserPages, session) {
  const { partner, admin } = browserPages;
  const venues = await apiFetch(partner, 'GET', '/api/v1/venues');
  const offer = await apiFetch(partner, 'POST', '/api/v1/offers', {
    venue_id: venues.json.items[0].id, title: session.title, category: 'theatre', pickup_mode: 'guest_list',
    description: 'Créée par un test du navigateur.' });
  assert.equal(offer.status, 201, offer.text);
  assert.equal((await apiFetch(partner, 'POST', `/api/v1/offers/${offer.json.id}/submit`)).status, 200);
  assert.equal((await apiFetch(admin, 'POST', `/api/v1/offers/${offer.json.id}/approve`)).status, 200);
  const body = { start_local: session.start_local, duration_min: 90, capacity: 10, max_per_booking: 2, allocation: 'first_come' };
  if (session.closes_at) body.closes_at = session.closes_at;
  const created = await apiFetch(partner, 'POST', `/api/v1/offers/${offer.json.id}/sessions`, body);
  assert.equal(created.status, 201, created.text);
  return created.json;
}

async function partnerAndAdmin() {
  const partner = await openApp(env.browser, env.server.url);
  await logIn(partner, PARTNER);
  const admin = await openApp(env.browser, env.server.url);
  await logIn(admin, ADMIN);
  return { partner, admin };
}

test('R7: a fourth upcoming outing is refused on screen, before any request', async () => {
  const pages = await partnerAndAdmin();
  const sessions = [];
  for (let i = 0; i < 4; i++) {
    sessions.push(await publishedSession(pages, { title: `Soirée R7 numéro ${i + 1}`, start_local: parisDay(10 + i) }));
  }
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, WORKER);
  const person = await newPerson(page, 'Aaron', 'Abadie');
  for (const s of sessions.slice(0, 3)) {
    const r = await apiFetch(page, 'POST', '/api/v1/bookings', { session_id: s.session_id, beneficiary_id: person.id, places: 1 });
    assert.equal(r.status, 201, r.text);
  }
  await page.evaluate((id) => { location.hash = `#/seance/${id}`; }, sessions[3].session_id);
  await waitForItem(page, 'Réserver');
  await click(page, 'Bénéficiaire');
  await click(page, 'Aaron Abadie');
  const sent = await page.evaluate(() => window.uneplace.requestLog.filter((r) => r.startsWith('POST /api/v1/bookings')).length);
  await waitForItem(page, /^Cette personne a déjà 3\ssorties à venir, le maximum sur ce territoire/);  // R7 with its figure
  await screenshot(page, 'refusal-r7');
  const after = await page.evaluate(() => window.uneplace.requestLog.filter((r) => r.startsWith('POST /api/v1/bookings')).length);
  assert.equal(after, sent, 'nothing was sent');
  const held = await apiFetch(page, 'GET', `/api/v1/bookings?limit=500&beneficiary_id=${person.id}`);
  assert.equal(held.json.items.length, 3, 'still three bookings');
});

test('the confirmation of a booking is among the notifications', async () => {
  const pages = await partnerAndAdmin();
  const session = await publishedSession(pages, { title: 'Concert des notifications', start_local: parisDay(15) });
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, WORKER);
  const person = await newPerson(page, 'Noémie', 'Fontaine');
  const booked = await apiFetch(page, 'POST', '/api/v1/bookings', { session_id: session.session_id, beneficiary_id: person.id, places: 2 });
  assert.equal(booked.status, 201, booked.text);
  await page.evaluate(() => { location.hash = '#/notifications'; });
  const line = await waitForItem(page, (label) => label.startsWith('Réservation confirmée') && label.includes(booked.json.code));
  assert.match(line.label, /Noémie F\./, 'the guest in P2 form');
  assert.ok(!line.label.includes('Fontaine'), 'never the full last name');
  await screenshot(page, 'notifications');
});

test('C1: after the booking closes, cancelling is a late cancellation, said before and kept after', async () => {
  const pages = await partnerAndAdmin();
  // A show in 3 days whose booking closes in 2 hours.
  const closes = new Date(Date.now() + 2 * 3600 * 1000).toISOString().replace(/\.[0-9]+Z$/, 'Z');
  const session = await publishedSession(pages, { title: 'Dernière minute', start_local: parisDay(3), closes_at: closes });
  let page = await openApp(env.browser, env.server.url);
  await logIn(page, WORKER);
  const person = await newPerson(page, 'Lina', 'Tardieu');
  const booked = await apiFetch(page, 'POST', '/api/v1/bookings', { session_id: session.session_id, beneficiary_id: person.id, places: 1 });
  assert.equal(booked.status, 201, booked.text);
  // Three hours later, on the server and in the page.
  const moved = await apiFetch(page, 'POST', '/api/v1/test/clock', { advance_s: 3 * 3600 });
  assert.equal(moved.status, 200, moved.text);
  await page.context().addInitScript((ms) => { const real = Date.now.bind(Date); Date.now = () => real() + ms; }, moved.json.offset_s * 1000);
  await page.reload();
  await page.waitForFunction(() => window.uneplace.ready === true);
  await waitForItem(page, 'Se déconnecter');
  await page.evaluate(() => { location.hash = '#/reservations'; });
  await waitForItem(page, 'Rechercher une réservation');
  // Only this booking on screen (the structure has others, each with its own button; this one may
  // be below the fold, and the registry lists only what is seen).
  await typeInto(page, 'Rechercher une réservation', booked.json.code);
  await waitForItem(page, booked.json.code);
  await click(page, 'Annuler la réservation');
  await waitForItem(page, (label) => label.startsWith('Attention : la réservation est close.'));
  await screenshot(page, 'late-cancellation-warning');
  await click(page, 'Confirmer l’annulation');
  await waitForItem(page, /^Réservation annulée/);
  const after = await apiFetch(page, 'GET', `/api/v1/bookings/${booked.json.id}`);
  assert.equal(after.json.status, 'late_cancelled');
});

test('P3: an expired login sends the person to the login screen and back to where it was', async () => {
  const own = await startServer({ extraArgs: ['--test-hooks', '--session-hours', '1'] });
  try {
    const page = await openApp(env.browser, own.url);
    await logIn(page, WORKER);
    await page.evaluate(() => { location.hash = '#/reservations'; });
    await waitForItem(page, 'Rechercher une réservation');
    const moved = await apiFetch(page, 'POST', '/api/v1/test/clock', { advance_s: 2 * 3600 });
    assert.equal(moved.status, 200, moved.text);
    await page.evaluate(() => { location.hash = '#/notifications'; });  // the next request meets the expiry
    await waitForItem(page, 'Votre session a expiré. Reconnectez-vous : ce que vous aviez saisi est conservé.');
    await screenshot(page, 'session-expired');
    // The login form kept what was typed: replace it rather than type after it.
    await replaceText(page, 'Adresse e-mail', WORKER);
    await replaceText(page, 'Mot de passe', 'uneplace-demo');
    await page.keyboard.press('Enter');
    await waitForItem(page, 'Se déconnecter');
    assert.equal(await page.evaluate(() => location.hash), '#/notifications', 'back where the person was');
    await waitForItem(page, 'Actualiser');
  } finally {
    await own.stop();
  }
});

test('every browser context of this file was closed after its test', () => {
  assert.equal(openContextCount(), 0);
});
