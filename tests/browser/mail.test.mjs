// E-mail (issue 16, M5–M6) in the browser, against a real server and a real Chromium:
// - « Mes préférences »: a social worker turns reminders off from the navigation, saves, and the
//   server keeps it (GET /api/v1/me/preferences); confirmations cannot be turned off (no switch);
// - « Envois d’e-mails »: the server's mail server (--smtp) is unreachable; a booking's
//   confirmation is tried five times (M6, the test clock moved by each delay), then the
//   administrator's outbox screen lists it as failed with libcurl's error;
// - a second server, without --smtp: the outbox screen says no mail server is configured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
  serverAndBrowser, startServer, openApp, logIn, apiFetch, waitForItem, click, items, screenshot,
} from './lib.mjs';

// A loopback port nobody listens on: bound by the system, then closed before the server starts.
const unreachable = await new Promise((resolve) => {
  const probe = net.createServer();
  probe.listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});
const env = serverAndBrowser({
  extraArgs: ['--test-hooks', '--session-hours', '720', '--smtp', `smtp://127.0.0.1:${unreachable}`],
});

// Polls `probe` (an async function) until it returns something truthy; bounded, never timed.
async function until(page, probe, what, { tries = 300 } = {}) {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value) return value;
    await page.waitForTimeout(50);
  }
  throw new Error(`never: ${what}`);
}

test('a social worker turns reminders off in « Mes préférences » and the server keeps it', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, 'relais@demo.uneplace.test');
  await click(page, 'Mes préférences');
  const reminders = 'Rappel avant la sortie (trois jours avant)';
  const box = await waitForItem(page, reminders);
  assert.equal(box.checked, true, 'reminders are on by default');
  assert.equal((await waitForItem(page, 'Demande d’avis après la sortie')).checked, true);
  // M1 and M3 are said to always go, and offer no switch.
  assert.ok((await items(page)).some((it) => it.label.startsWith('Toujours envoyés')));
  assert.ok(!(await items(page)).some((it) => /confirmation/i.test(it.label) && it.checked !== undefined));
  await click(page, reminders);
  await until(page, async () => (await waitForItem(page, reminders)).checked === false, 'the box unticked');
  await click(page, 'Enregistrer mes préférences');
  await waitForItem(page, 'Préférences enregistrées.');
  await screenshot(page, 'mail-preferences');
  const saved = await apiFetch(page, 'GET', '/api/v1/me/preferences');
  assert.equal(saved.status, 200);
  assert.equal(saved.json.reminders, false);
  assert.equal(saved.json.feedback_requests, true);
  // A fresh page reads it back from the server.
  const again = await openApp(env.browser, env.server.url);
  await logIn(again, 'relais@demo.uneplace.test');
  await again.evaluate(() => { location.hash = '#/preferences'; });
  await until(again, async () => (await waitForItem(again, reminders)).checked === false, 'the saved state shown');
});

test('the administrators’ outbox lists a message the mail server never took, with its error', async () => {
  const worker = await openApp(env.browser, env.server.url);
  await logIn(worker, 'relais@demo.uneplace.test');
  const catalogue = (await apiFetch(worker, 'GET', '/api/v1/catalogue?limit=500')).json.items;
  const session = catalogue.find((s) => s.allocation === 'first_come' && s.places_left >= 1);
  assert.ok(session, 'a bookable first-come session');
  const person = await apiFetch(worker, 'POST', '/api/v1/beneficiaries',
    { first_name: 'Yanis', last_name: 'Berthelot', postal_code: '75011', household_size: 1 });
  assert.equal(person.status, 201, JSON.stringify(person.json));
  const booked = await apiFetch(worker, 'POST', '/api/v1/bookings',
    { session_id: session.session_id, beneficiary_id: person.json.id, places: 1 });
  assert.equal(booked.status, 201, JSON.stringify(booked.json));

  const admin = await openApp(env.browser, env.server.url);
  await logIn(admin, 'admin@demo.uneplace.test');
  const line = async (status) => {
    const page = await apiFetch(admin, 'GET', `/api/v1/outbox?status=${status}&limit=500`);
    return page.json.items.find((l) => l.booking_id === booked.json.id);
  };
  // M6: tried at once, then after 1 min, 10 min, 1 h and 6 h of the server's (test) clock.
  for (const [attempt, delay] of [[1, 60], [2, 600], [3, 3600], [4, 21600]]) {
    await until(admin, async () => (await line('queued'))?.attempts === attempt, `attempt ${attempt}`);
    const moved = await apiFetch(admin, 'POST', '/api/v1/test/clock', { advance_s: delay + 1 });
    assert.equal(moved.status, 200);
  }
  const failed = await until(admin, () => line('failed'), 'the message failed');
  assert.equal(failed.attempts, 5);
  assert.equal(failed.kind, 'M1');

  await click(admin, 'Envois d’e-mails');
  await waitForItem(admin, `M1 · ${failed.subject}`);
  await waitForItem(admin, `Erreur : ${failed.last_error}`);
  await waitForItem(admin, /^À relais@demo\.uneplace\.test · créé le .* · 5 essais$/);
  await screenshot(admin, 'mail-outbox');
  // The notice about a missing mail server is not there: this server has one (--smtp).
  assert.ok(!(await items(admin)).some((it) => it.label.startsWith('Aucun serveur d’envoi')));
});

test('without --smtp the outbox screen says that no mail server is configured', async () => {
  const bare = await startServer();  // the same browser, another server: no --smtp
  try {
    const admin = await openApp(env.browser, bare.url);
    await logIn(admin, 'admin@demo.uneplace.test');
    await click(admin, 'Envois d’e-mails');
    await waitForItem(admin, (label) => label.startsWith('Aucun serveur d’envoi n’est configuré'));
    await screenshot(admin, 'mail-outbox-no-server');
  } finally {
    await bare.stop();
  }
});
