// Invitations (issue 16) in the browser, against a real server and a real Chromium:
// - "Télécharger l’invitation" on a confirmed booking of "Mes réservations" saves a real PDF file
//   (Playwright's download event), whose text poppler's pdftotext reads back and whose QR code
//   zbarimg decodes into the signed ticket (I1, I2);
// - the partner's check-in field takes that ticket as a USB scanner types it, and the guest is
//   checked in by the server (I2), with no booking code typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  serverAndBrowser, openApp, logIn, apiFetch, waitForItem, click, typeInto, screenshot, frames,
} from './lib.mjs';

// Test hooks move the server's clock to the door's hour; logins live 30 days of server time.
const env = serverAndBrowser({ extraArgs: ['--test-hooks', '--session-hours', '720'] });
// Poppler warns about libharu's ToUnicode maps, zbarimg about D-Bus: only their output is read.
const quiet = { stdio: ['ignore', 'pipe', 'ignore'] };
const shared = {};  // what the first test leaves to the second: the booking and its ticket

test('a confirmed booking downloads its invitation as a real PDF with the signed ticket', async () => {
  // A session of the demo partner that the demo structure can book.
  const partner = await openApp(env.browser, env.server.url);
  await logIn(partner, 'partenaire@demo.uneplace.test');
  const own = await partner.evaluate(async () => {
    const get = async (url) => (await fetch(url)).json();
    const ids = [];
    for (const offer of (await get('/api/v1/offers?limit=500')).items)
      for (const s of (await get(`/api/v1/offers/${offer.id}/sessions`)).items || []) ids.push(s.session_id || s.id);
    return ids;
  });
  await partner.context().close();

  const page = await openApp(env.browser, env.server.url);
  await logIn(page, 'relais@demo.uneplace.test');
  const catalogue = (await apiFetch(page, 'GET', '/api/v1/catalogue?limit=500')).json.items;
  const session = catalogue.find((s) => s.allocation === 'first_come' && s.places_left >= 1 && own.includes(s.session_id));
  assert.ok(session, 'the demo partner has a bookable first-come session');
  const person = await apiFetch(page, 'POST', '/api/v1/beneficiaries',
    { first_name: 'Ngô', last_name: 'Œuvray', postal_code: '75011', household_size: 1 });
  assert.equal(person.status, 201, JSON.stringify(person.json));
  const booked = await apiFetch(page, 'POST', '/api/v1/bookings',
    { session_id: session.session_id, beneficiary_id: person.json.id, places: 1 });
  assert.equal(booked.status, 201, JSON.stringify(booked.json));
  const code = booked.json.code;

  await page.evaluate(() => { location.hash = '#/reservations'; });
  await typeInto(page, 'Rechercher une réservation', code);
  await waitForItem(page, code);
  const download = page.waitForEvent('download', { timeout: 15000 });
  await click(page, 'Télécharger l’invitation');
  const file = await download;
  assert.equal(file.suggestedFilename(), `invitation-${code}.pdf`);
  await waitForItem(page, `Fichier enregistré : invitation-${code}.pdf`);
  await screenshot(page, 'invitation-downloaded');

  // The file itself, read by the real tools: the bytes arrived intact (a PDF read as text would not).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uneplace-invitation-'));
  const pdf = path.join(dir, 'invitation.pdf');
  fs.copyFileSync(await file.path(), pdf);
  assert.equal(fs.readFileSync(pdf).subarray(0, 5).toString('latin1'), '%PDF-');
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], quiet).toString('utf8');
  assert.ok(text.includes(code), `the code is printed:\n${text}`);
  assert.ok(text.includes('Ngô Œ.'), `the guest in P2 form:\n${text}`);
  assert.ok(!text.includes('Œuvray'), 'P2: never the last name');
  execFileSync('pdftoppm', ['-png', '-r', '150', '-singlefile', pdf, path.join(dir, 'page')], quiet);
  const ticket = execFileSync('zbarimg', ['--raw', '-q', path.join(dir, 'page.png')], quiet).toString('utf8').trim();
  assert.match(ticket, /^UP1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  fs.rmSync(dir, { recursive: true, force: true });
  Object.assign(shared, { ticket, code, session: session.session_id, start: session.start });
});

test('the partner checks the guest in with the scanned ticket', async () => {
  assert.ok(shared.ticket, 'the first test decoded a ticket');
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, 'partenaire@demo.uneplace.test');
  // The door opens 2 h before the start (K2): move the server's test clock to an hour before it.
  const now = (await apiFetch(page, 'POST', '/api/v1/test/clock', { advance_s: 0 })).json.now;
  const advance = Math.round((Date.parse(shared.start) - Date.parse(now)) / 1000) - 3600;
  assert.equal((await apiFetch(page, 'POST', '/api/v1/test/clock', { advance_s: advance })).status, 200);

  await page.evaluate((id) => { location.hash = `#/partenaire/seance/${id}`; }, shared.session);
  // The guest's row is drawn (below the fold, under the check-in form): the list has loaded.
  await page.waitForFunction((c) => window.uneplace.items().some((it) => it.label === c), shared.code);
  await page.waitForFunction(() => window.uneplace.pendingRequests() === 0);
  await frames(page, 3);
  // A USB scanner is a keyboard: it types the ticket, then Enter.
  await typeInto(page, 'Code de réservation', shared.ticket);
  await page.keyboard.press('Enter');
  await click(page, 'Enregistrer la présence');
  await waitForItem(page, /^Présence enregistrée : Ngô Œ\./);
  await screenshot(page, 'invitation-ticket-checked-in');
  const guests = (await apiFetch(page, 'GET', `/api/v1/sessions/${shared.session}/guest-list`)).json.items;
  const guest = guests.find((g) => g.code === shared.code);
  assert.equal(guest.status, 'attended', 'the server checked the guest in');
  const sent = await page.evaluate(() => window.uneplace.requestLog.filter((r) => r.endsWith('/checkin')));
  assert.equal(sent.length, 1, 'one check-in request');
});
