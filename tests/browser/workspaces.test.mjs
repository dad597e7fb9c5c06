// The decisions people make in the three workspaces, each through the screens and each checked
// on the server afterwards (issue 19: browser flows no test walked before):
// - an administrator saves a territory's settings;
// - an administrator refuses an offer with a reason; the partner reads it, corrects and resubmits;
// - an administrator suspends an organisation, whose people can then no longer log in;
// - a social worker enters a ballot;
// - R4: a structure that holds its share is refused on screen and joins the waiting list;
// - a partner notes a guest absent at the door, and R8 then pauses the person on screen.
//
// The server runs with --test-hooks so the last test can move its clock to the evening of a show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverAndBrowser, openApp, logIn, apiFetch, waitForItem, scrollTo, click, clickInRow, humanClick, typeInto,
  replaceText, screenshot, frames,
} from './lib.mjs';

const WORKER = 'relais@demo.uneplace.test';
const PARTNER = 'partenaire@demo.uneplace.test';
const ADMIN = 'admin@demo.uneplace.test';

const env = serverAndBrowser({ extraArgs: ['--test-hooks', '--session-hours', '720'] });

// ---- Helpers --------------------------------------------------------------------------------------

async function as(email) {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, email);
  return page;
}

async function go(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
}

// "YYYY-MM-DDT20:00:00" in Paris, `days` after today there.
function parisDay(days, hour = 20) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00`;
}

let offers = 0;
// An offer of the demo partner (its first venue, in Paris) through the API, submitted for review.
async function pendingOffer(partner, title) {
  const venues = await apiFetch(partner, 'GET', '/api/v1/venues');
  const offer = await apiFetch(partner, 'POST', '/api/v1/offers', {
    venue_id: venues.json.items[0].id, title: `${title} ${++offers}`, category: 'theatre', pickup_mode: 'guest_list',
    description: 'Créée par un test du navigateur.' });
  assert.equal(offer.status, 201, offer.text);
  assert.equal((await apiFetch(partner, 'POST', `/api/v1/offers/${offer.json.id}/submit`)).status, 200);
  return offer.json;
}

// A published session of a new offer; `session` overrides the defaults (capacity 10, 2 a booking).
async function publishedSession(partner, admin, title, session = {}) {
  const offer = await pendingOffer(partner, title);
  assert.equal((await apiFetch(admin, 'POST', `/api/v1/offers/${offer.id}/approve`)).status, 200);
  const created = await apiFetch(partner, 'POST', `/api/v1/offers/${offer.id}/sessions`, {
    start_local: parisDay(10), duration_min: 90, capacity: 10, max_per_booking: 2, allocation: 'first_come', ...session });
  assert.equal(created.status, 201, created.text);
  return created.json;
}

let people = 0;
async function newPerson(page, firstName) {
  const r = await apiFetch(page, 'POST', '/api/v1/beneficiaries',
    { first_name: firstName, last_name: `Essai${++people}`, postal_code: '75011', household_size: 1 });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// Opens a session's page and chooses the person, then waits for the bookings the pre-check reads.
async function openForPerson(page, sessionId, person) {
  await go(page, `#/seance/${sessionId}`);
  await waitForItem(page, 'Bénéficiaire');
  await click(page, 'Bénéficiaire');
  await click(page, `${person.first_name} ${person.last_name}`);
  await page.waitForFunction(() => window.uneplace.pendingRequests() === 0);
  await frames(page, 3);
}

async function bookingsOf(page, person) {
  const r = await apiFetch(page, 'GET', `/api/v1/bookings?limit=500&beneficiary_id=${person.id}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

// ---- Administrator -------------------------------------------------------------------------------

test('an administrator saves a territory\'s settings', async () => {
  const admin = await as(ADMIN);
  const caption = 'Effacement (mois après la dernière réservation)';
  const before = (await apiFetch(admin, 'GET', '/api/v1/settings/*')).json;
  await go(admin, '#/admin/territoires');
  await waitForItem(admin, caption);
  await clickInRow(admin, caption, '+');
  await click(admin, 'Enregistrer les réglages');
  await scrollTo(admin, 'Réglages nationaux enregistrés.');  // said under the button, below the fold
  await screenshot(admin, 'settings-saved');
  const afterSave = (await apiFetch(admin, 'GET', '/api/v1/settings/*')).json;
  assert.equal(afterSave.erase_after_months, before.erase_after_months + 1);
  assert.equal(afterSave.share_percent, before.share_percent, 'the other settings are kept');
});

test('an offer refused with a reason is corrected and resubmitted by its partner', async () => {
  const partner = await as(PARTNER);
  const offer = await pendingOffer(partner, 'Pièce à revoir');
  const admin = await as(ADMIN);  // lands on the validations, the offer among them
  const reason = 'Précisez l’âge minimum et l’accès des personnes en fauteuil.';

  await go(admin, '#/admin/validations');
  await humanClick(admin, await waitForItem(admin, /^Offres \(\d+\)$/));  // a tab selects on press
  await clickInRow(admin, offer.title, 'Refuser');
  await typeInto(admin, 'Motif du refus', reason);
  await click(admin, 'Confirmer le refus');
  await waitForItem(admin, `Refus enregistré : « ${offer.title} ».`);
  const refused = (await apiFetch(admin, 'GET', `/api/v1/offers/${offer.id}`)).json;
  assert.equal(refused.status, 'rejected');

  // The partner comes back to the app later (its list was loaded before the offer was made).
  await partner.reload();
  await partner.waitForFunction(() => window.uneplace.ready === true);
  await go(partner, '#/partenaire/offres');
  await click(partner, offer.title);
  await waitForItem(partner, `Refusée par l’association : ${reason} Modifiez-la puis soumettez-la de nouveau.`);
  await screenshot(partner, 'offer-refused');
  await click(partner, 'Modifier l’offre');
  const corrected = `${offer.title} (dès 8 ans, accessible)`;
  await replaceText(partner, 'Titre', corrected);
  await click(partner, 'Enregistrer et soumettre');
  await waitForItem(partner, /^En attente de relecture par l’association/);
  const again = (await apiFetch(partner, 'GET', `/api/v1/offers/${offer.id}`)).json;
  assert.equal(again.status, 'pending', 'back in the review queue');
  assert.equal(again.title, corrected);
});

test('a suspended organisation can no longer log in', async () => {
  const admin = await as(ADMIN);
  const stamp = Date.now();
  const email = `suspendue-${stamp}@exemple.fr`;
  const password = 'une phrase de passe longue';
  const name = `Association des Tilleuls ${stamp}`;
  const signup = await apiFetch(admin, 'POST', '/api/v1/organisations', {
    kind: 'structure', name, territory: '75', contact: { email, password, display_name: 'Lina Morel' } });
  assert.equal(signup.status, 201, signup.text);
  const id = signup.json.id ?? signup.json.organisation?.id;
  assert.equal((await apiFetch(admin, 'POST', `/api/v1/organisations/${id}/approve`)).status, 200);

  await go(admin, '#/admin/annuaire');
  await typeInto(admin, 'Rechercher', name);
  await clickInRow(admin, name, 'Suspendre');
  await click(admin, 'Confirmer la suspension');
  await waitForItem(admin, `Suspension enregistrée : ${name}.`);
  await screenshot(admin, 'organisation-suspended');
  const org = (await apiFetch(admin, 'GET', `/api/v1/organisations/${id}`)).json;
  assert.equal(org.status, 'suspended');

  const page = await openApp(env.browser, env.server.url);
  await typeInto(page, 'Adresse e-mail', email);
  await typeInto(page, 'Mot de passe', password);
  await page.keyboard.press('Enter');
  await waitForItem(page, /^Votre organisation est suspendue/);
  const refused = await apiFetch(page, 'GET', '/api/v1/beneficiaries');
  assert.equal(refused.status, 403);
  assert.equal(refused.json.error.code, 'account_inactive');
});

// ---- Social worker -------------------------------------------------------------------------------

test('a social worker enters a ballot', async () => {
  const partner = await as(PARTNER);
  const admin = await as(ADMIN);
  const drawAt = new Date(Date.now() + 3 * 86400e3).toISOString().replace(/\.\d+Z$/, 'Z');
  const session = await publishedSession(partner, admin, 'Tirage du samedi', { allocation: 'ballot', draw_at: drawAt });
  const worker = await as(WORKER);
  const person = await newPerson(worker, 'Maïa');
  await openForPerson(worker, session.session_id, person);
  await waitForItem(worker, /^Cette séance est attribuée par tirage au sort le /);
  await click(worker, 'Participer au tirage au sort');
  await waitForItem(worker, 'Demande inscrite au tirage au sort. Vous serez prévenu·e du résultat après le tirage.');
  await screenshot(worker, 'ballot-entered');
  const mine = (await bookingsOf(worker, person)).filter((b) => Number(b.session_id) === Number(session.session_id));
  assert.deepEqual(mine.map((b) => b.status), ['ballot_entered']);
});

test('R4: a structure that holds its share is refused on screen and joins the waiting list', async () => {
  const partner = await as(PARTNER);
  const admin = await as(ADMIN);
  // 8 places at 25 %: a structure holds 2 of them until the cap is lifted.
  const session = await publishedSession(partner, admin, 'Part équitable', { capacity: 8, max_per_booking: 1 });
  const worker = await as(WORKER);
  for (const name of ['Anouk', 'Bilal']) {
    const r = await apiFetch(worker, 'POST', '/api/v1/bookings',
      { session_id: session.session_id, beneficiary_id: (await newPerson(worker, name)).id, places: 1 });
    assert.equal(r.status, 201, r.text);
  }
  const third = await newPerson(worker, 'Chloé');
  const sent = await worker.evaluate(() => window.uneplace.requestLog.filter((r) => r.startsWith('POST /api/v1/bookings')).length);
  await openForPerson(worker, session.session_id, third);
  await waitForItem(worker, /^Votre structure a atteint sa part des places/);
  await screenshot(worker, 'refusal-r4');
  assert.equal(await worker.evaluate(() => window.uneplace.requestLog.filter((r) => r.startsWith('POST /api/v1/bookings')).length),
    sent, 'refused before any request');
  await click(worker, 'M’inscrire sur la liste d’attente');
  await waitForItem(worker, /^Demande inscrite sur la liste d’attente/);
  const mine = (await bookingsOf(worker, third)).filter((b) => Number(b.session_id) === Number(session.session_id));
  assert.deepEqual(mine.map((b) => b.status), ['waitlisted']);
});

// ---- Partner at the door, then R8 --------------------------------------------------------------

test('a guest noted absent at the door is paused by R8 on the social worker\'s screen', async () => {
  const partner = await as(PARTNER);
  const admin = await as(ADMIN);
  // One unexcused absence is enough for a pause in Paris, for this test.
  const put = await apiFetch(admin, 'PUT', '/api/v1/settings/75', { no_show_limit: 1 });
  assert.equal(put.status, 200, put.text);
  const evening = await publishedSession(partner, admin, 'Soirée à la porte', { start_local: parisDay(2) });
  const later = await publishedSession(partner, admin, 'Soirée suivante', { start_local: parisDay(20) });
  const worker = await as(WORKER);
  const person = await newPerson(worker, 'Youssef');
  const booked = await apiFetch(worker, 'POST', '/api/v1/bookings', { session_id: evening.session_id, beneficiary_id: person.id, places: 1 });
  assert.equal(booked.status, 201, booked.text);

  // The evening of the show, an hour after it started, for the server and for the partner's page.
  const advance = Math.floor(Date.parse(evening.start) / 1000) - Math.floor(Date.now() / 1000) + 3600;
  assert.equal((await apiFetch(admin, 'POST', '/api/v1/test/clock', { advance_s: advance })).status, 200);
  await partner.addInitScript((ms) => { const realNow = Date.now.bind(Date); Date.now = () => realNow() + ms; }, advance * 1000);
  await partner.reload();
  await partner.waitForFunction(() => window.uneplace.ready === true);
  await go(partner, `#/partenaire/seance/${evening.session_id}`);
  await scrollTo(partner, booked.json.code);
  await typeInto(partner, 'Code de réservation', booked.json.code);
  await click(partner, 'Noter absent');
  await waitForItem(partner, /^Absence enregistrée : /);
  await screenshot(partner, 'guest-no-show');
  const noted = (await bookingsOf(worker, person)).find((b) => Number(b.id) === Number(booked.json.id));
  assert.equal(noted.status, 'no_show');

  await worker.addInitScript((ms) => { const realNow = Date.now.bind(Date); Date.now = () => realNow() + ms; }, advance * 1000);
  await worker.reload();
  await worker.waitForFunction(() => window.uneplace.ready === true);
  await openForPerson(worker, later.session_id, person);
  await waitForItem(worker, /^Les réservations de cette personne sont suspendues jusqu’au /);
  await screenshot(worker, 'refusal-r8');
  assert.equal((await bookingsOf(worker, person)).filter((b) => Number(b.session_id) === Number(later.session_id)).length, 0);
});
