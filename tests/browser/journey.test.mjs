// The social worker's journey in a real browser against a real server with the demo data:
// log in, search, open a session, create a beneficiary, book 2 places, see the code, find it under
// "Mes réservations", cancel it; and the refusals the shared rules show before sending.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverAndBrowser, openApp, logIn, apiFetch, waitForItem, waitForNoItem, click, typeInto, replaceText, waitForValue, screenshot,
  items,
} from './lib.mjs';

const env = serverAndBrowser();

// Picks a first-come session with at least 2 places left and max_per_booking ≥ 2, in Paris: the
// catalogue opens on the social worker's own département.
async function bookableSession(page) {
  const { json: body } = await apiFetch(page, 'GET', '/api/v1/catalogue?limit=500&territory=75');
  const s = body.items.find((i) => i.allocation === 'first_come' && i.places_left >= 4 && i.max_per_booking >= 2);
  assert.ok(s, 'the demo data has a bookable first-come session');
  return s;
}

// The whole journey at 1280×720; the larger screen gets a layout check below (the same screens,
// every widget inside the window), not a second run of the same steps.
{
  const [width, height] = [1280, 720];
  test(`the complete journey at ${width}×${height}`, async () => {
    const page = await openApp(env.browser, env.server.url, { width, height });
    await logIn(page, 'relais@demo.uneplace.test');
    await screenshot(page, `sw-catalogue-${width}x${height}`);

    // Search the catalogue by words of a title, accent-insensitively.
    const session = await bookableSession(page);
    const word = session.title.split(/\s+/).find((w) => w.length > 4) || session.title;
    await typeInto(page, 'Rechercher', word);
    await waitForItem(page, session.title);
    await click(page, session.title);
    await waitForItem(page, 'Réserver');
    assert.match(await page.evaluate(() => location.hash), new RegExp(`#/seance/${session.session_id}$`));
    await screenshot(page, `sw-session-${width}x${height}`);

    // Create the beneficiary from the booking form.
    const knownBefore = new Set((await apiFetch(page, 'GET', '/api/v1/beneficiaries?limit=500')).json.items.map((b) => b.id));
    await click(page, 'Ajouter une personne');
    await waitForItem(page, 'Prénom');
    const last = 'Œuvre-N\'Diaye';
    await typeInto(page, 'Prénom', 'Amélie');
    await typeInto(page, 'Nom', last);
    await typeInto(page, 'Code postal', '93200');
    await typeInto(page, 'Année de naissance (facultatif)', '1987');
    await screenshot(page, `sw-beneficiary-form-${width}x${height}`);
    await click(page, 'Ajouter la personne');
    await waitForItem(page, 'Réserver');  // back on the session, the new person chosen
    // Exactly one new person on the server, with what was typed.
    const added = (await apiFetch(page, 'GET', '/api/v1/beneficiaries?limit=500')).json.items.filter((b) => !knownBefore.has(b.id));
    assert.equal(added.length, 1, 'the form stored one person');
    const stored = added[0];
    assert.deepEqual([stored.first_name, stored.last_name, stored.postal_code, stored.birth_year],
      ['Amélie', last, '93200', 1987]);

    // Ask for too many places first.
    const sentBefore = await page.evaluate(() => window.uneplace.requestLog.filter((r) => r.startsWith('POST /api/v1/bookings')).length);
    await replaceText(page, 'Nombre de places', String(session.max_per_booking + 1));
    const refusal = await waitForItem(page, (label) => label !== 'Nombre de places' && /nombre de places/i.test(label));
    assert.ok(refusal.w > 200, 'the shared rule R1 explains the refusal in a banner');
    await screenshot(page, `sw-refusal-places-${width}x${height}`);
    const sentAfter = await page.evaluate(() => window.uneplace.requestLog.filter((r) => r.startsWith('POST /api/v1/bookings')).length);
    assert.equal(sentAfter, sentBefore, 'nothing was sent');

    // Two places: booked, the code is shown large.
    await replaceText(page, 'Nombre de places', '2');
    assert.equal(await waitForValue(page, 'Nombre de places', '2'), '2');
    await click(page, 'Réserver');
    const code = await waitForItem(page, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    await screenshot(page, `sw-booked-${width}x${height}`);

    // "Copier le code" puts it on the clipboard; paste it into the bookings search.
    await click(page, 'Copier le code');
    await page.waitForFunction((c) => window.uneplace.lastCopied === c, code.label);
    await click(page, 'Voir mes réservations');
    await waitForItem(page, code.label);
    await screenshot(page, `sw-bookings-${width}x${height}`);
    await click(page, 'Rechercher une réservation');
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'uneplace-text-input');
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', text);
      document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, code.label);
    assert.equal(await waitForValue(page, 'Rechercher une réservation', code.label), code.label);

    // Cancel it (free: the session closes later).
    await click(page, 'Annuler la réservation');
    await click(page, 'Confirmer l’annulation');
    await waitForItem(page, /^Réservation annulée/);
    const booking = (await apiFetch(page, 'GET', `/api/v1/bookings?limit=500&beneficiary_id=${stored.id}`)).json.items[0];
    assert.equal(booking.status, 'cancelled');
    await click(page, 'Se déconnecter');
    await waitForItem(page, 'Se connecter');
  });
}

// Every widget drawn across the width of the window, none cut at the left or right edge (a list
// cut at the bottom is a list that scrolls).
async function assertLaidOut(page, what) {
  const vp = page.viewportSize();
  const drawn = (await items(page)).filter((it) => it.w > 0 && it.h > 0);
  assert.ok(drawn.length >= 3, `${what}: widgets drawn`);
  const outside = drawn.filter((it) => it.x < 0 || it.y < 0 || it.x + it.w > vp.width + 1 || it.y > vp.height);
  assert.deepEqual(outside.map((it) => it.label), [], `${what}: widgets outside ${vp.width}×${vp.height}`);
}

test('the journey\'s screens are laid out at 1920×1080', async () => {
  const page = await openApp(env.browser, env.server.url, { width: 1920, height: 1080 });
  await waitForItem(page, 'Adresse e-mail');
  await assertLaidOut(page, 'login');
  await logIn(page, 'relais@demo.uneplace.test');
  const session = await bookableSession(page);
  await waitForItem(page, session.title);
  await assertLaidOut(page, 'catalogue');
  await screenshot(page, 'sw-catalogue-1920x1080');
  await page.evaluate((id) => { location.hash = `#/seance/${id}`; }, session.session_id);
  await waitForItem(page, 'Réserver');
  await assertLaidOut(page, 'session');
  await screenshot(page, 'sw-session-1920x1080');
  await page.evaluate(() => { location.hash = '#/reservations'; });
  await waitForItem(page, 'Rechercher une réservation');
  await assertLaidOut(page, 'bookings');
  await screenshot(page, 'sw-bookings-1920x1080');
});

test('a full session offers the waitlist', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, 'relais@demo.uneplace.test');
  const { json: body } = await apiFetch(page, 'GET', '/api/v1/catalogue?limit=500');
  const full = body.items.find((i) => i.places_left === 0 && i.allocation === 'first_come');
  assert.ok(full, 'the demo data has a full session');
  await page.evaluate((id) => { location.hash = `#/seance/${id}`; }, full.session_id);
  await waitForItem(page, 'Bénéficiaire');
  const people = (await apiFetch(page, 'GET', '/api/v1/beneficiaries?limit=500')).json.items;
  assert.ok(people.length > 0, 'the structure has demo beneficiaries');
  await click(page, 'Bénéficiaire');
  await click(page, `${people[0].first_name} ${people[0].last_name}`);
  await screenshot(page, 'sw-waitlist-chosen');
  await waitForItem(page, 'M’inscrire sur la liste d’attente');
  await screenshot(page, 'sw-waitlist');
  // The banner and the button already say "liste d'attente": the proof is the request on the server.
  const requests = async () => (await apiFetch(page, 'GET', `/api/v1/bookings?limit=500&session_id=${full.session_id}&beneficiary_id=${people[0].id}`)).json.items;
  assert.deepEqual(await requests(), [], 'no request for that person before the click');
  await click(page, 'M’inscrire sur la liste d’attente');
  await waitForNoItem(page, 'M’inscrire sur la liste d’attente');
  const after = await requests();
  assert.equal(after.length, 1, 'one request after the click');
  assert.equal(after[0].status, 'waitlisted');
});
