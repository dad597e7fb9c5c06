// Check-in by booking code in the partner's guest list: the code's check symbol (K1, the shared
// parse_booking_code) refuses a mistyped code in the browser, before any request is sent — proved
// with window.uneplace.requestLog, every "METHOD /path" the app sent. A well-formed code does go
// to the server, which gives the final answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openApp, waitForItem, click, typeInto, screenshot, frames } from './lib.mjs';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';  // Crockford base32

// K1: 7 symbols and a check symbol, Σ value[i] × (2i + 1) mod 32, shown as XXXX-XXXX.
function withCheck(seven) {
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += ALPHABET.indexOf(seven[i]) * (2 * i + 1);
  const all = seven + ALPHABET[sum % 32];
  return `${all.slice(0, 4)}-${all.slice(4)}`;
}

// The same code with one symbol typed wrong: the check symbol no longer matches.
function mistype(code) {
  const symbols = code.replace('-', '').split('');
  const i = 2;
  symbols[i] = ALPHABET[(ALPHABET.indexOf(symbols[i]) + 7) % 32];
  const s = symbols.join('');
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

const env = serverAndBrowser();

async function loginAsPartner(page) {
  await typeInto(page, 'Adresse e-mail', 'partenaire@demo.uneplace.test');
  await typeInto(page, 'Mot de passe', 'uneplace-demo');
  await click(page, 'Se connecter');
  await waitForItem(page, 'Se déconnecter');
}

// A session of the demo partner, with its guest list as the API gives it.
async function partnerSession(page) {
  return page.evaluate(async () => {
    const get = async (url) => (await fetch(url)).json();
    const offers = (await get('/api/v1/offers?limit=500')).items;
    for (const offer of offers) {
      const sessions = (await get(`/api/v1/offers/${offer.id}/sessions`)).items || [];
      for (const s of sessions) {
        const id = s.session_id || s.id;
        const guests = (await get(`/api/v1/sessions/${id}/guest-list`)).items || [];
        if (guests.length) return { id, guests };
      }
    }
    for (const offer of offers) {
      const sessions = (await get(`/api/v1/offers/${offer.id}/sessions`)).items || [];
      if (sessions.length) return { id: sessions[0].session_id || sessions[0].id, guests: [] };
    }
    return null;
  });
}

test('a mistyped booking code is refused before any request is sent', async () => {
  const page = await openApp(env.browser, env.server.url);
  await loginAsPartner(page);
  const session = await partnerSession(page);
  assert.ok(session, 'the demo partner has a session');
  const realCode = session.guests.length ? session.guests[0].code : withCheck('K7M2Q9X');
  const wrongCode = mistype(realCode);
  assert.notEqual(wrongCode, realCode);

  await page.evaluate((id) => { location.hash = `#/partenaire/seance/${id}`; }, session.id);
  await waitForItem(page, 'Code de réservation');
  await page.waitForFunction(() => window.uneplace.pendingRequests() === 0);
  await frames(page, 3);
  const sentBefore = await page.evaluate(() => window.uneplace.requestLog.length);

  // As the partner types: once 8 symbols are in, the check symbol says the code is wrong.
  await typeInto(page, 'Code de réservation', wrongCode);
  await waitForItem(page, /^Code de réservation invalide/);
  // Clicking either button sends nothing either.
  await click(page, 'Enregistrer la présence');
  await click(page, 'Noter absent');
  await frames(page, 3);
  const log = await page.evaluate(() => window.uneplace.requestLog);
  assert.equal(log.length, sentBefore, `no request after the mistyped code; sent: ${log.slice(sentBefore).join(', ')}`);
  assert.ok(!log.some((r) => r.includes('/checkin')), 'no check-in request at all');
  await screenshot(page, 'checkin-mistyped-code');

  // Control: a code with a valid check symbol does go to the server, which has the last word.
  await page.reload();
  await page.waitForFunction(() => window.uneplace && window.uneplace.ready === true);
  await waitForItem(page, 'Code de réservation');
  await page.waitForFunction(() => window.uneplace.pendingRequests() === 0);
  await frames(page, 3);  // the session's title is drawn
  const unknown = withCheck('ZZZZZZZ') === realCode ? withCheck('YYYYYYY') : withCheck('ZZZZZZZ');
  await typeInto(page, 'Code de réservation', unknown);
  await click(page, 'Enregistrer la présence');
  await page.waitForFunction((id) => window.uneplace.requestLog.includes(`POST /api/v1/sessions/${id}/checkin`), session.id)
    .catch(async (e) => {
      await screenshot(page, 'checkin-failure');
      throw new Error(`${e.message}; sent: ${(await page.evaluate(() => window.uneplace.requestLog)).join(', ')}`);
    });
  // The server refuses it (unknown code, or outside the attendance window): the answer is shown.
  await waitForItem(page, /^(Introuvable|La présence se saisit)/);
  await screenshot(page, 'checkin-server-answer');
});
