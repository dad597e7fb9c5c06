// « Clés d’API » (issue 15, the ticketing-network feed) in the browser, against a real server and
// a real Chromium: a partner creates a key from its workspace, sees it once (with a copy button),
// the key works for the feed, then the partner revokes it with a confirmation and the same key
// gets 401 at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverAndBrowser, openApp, logIn, apiFetch, waitForItem, waitForNoItem, click, typeInto, items,
  screenshot,
} from './lib.mjs';

const env = serverAndBrowser();

test('a partner creates an API key, sees it once, revokes it, and the key is refused at once', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, 'partenaire@demo.uneplace.test');
  await click(page, 'Clés d’API');
  await waitForItem(page, 'Aucune clé pour le moment.');
  await typeInto(page, 'Nom de la clé', 'Billetterie du réseau');
  await click(page, 'Créer la clé');

  // Shown once, in full, with its copy button.
  const shown = await waitForItem(page, (label) => /^upk_[A-Za-z0-9_-]{43,}$/.test(label));
  const key = shown.label;
  await waitForItem(page, 'Copier la clé');
  await screenshot(page, 'api-keys-created');

  // The key works for the feed (feed:write and feed:read are ticked by default).
  const bearer = { headers: { Authorization: `Bearer ${key}` } };
  const pushed = await apiFetch(page, 'PUT', '/api/v1/feed/venues/salle-navigateur', {
    name: 'Salle du navigateur', address: '3 rue Oberkampf', postal_code: '75011', territory: '75', source_version: 1,
  }, bearer);
  assert.equal(pushed.status, 201, pushed.text);
  assert.equal((await apiFetch(page, 'GET', '/api/v1/feed/changes', null, bearer)).status, 200);

  // Dismissed: never shown again, neither on the screen nor by the API.
  await click(page, 'J’ai copié la clé');
  await waitForNoItem(page, key);
  const listed = await apiFetch(page, 'GET', '/api/v1/api-keys');
  assert.equal(listed.status, 200);
  assert.equal(listed.json.items.length, 1);
  assert.ok(!listed.text.includes(key), 'the list never holds the key');
  assert.equal(listed.json.items[0].prefix, key.slice(0, 12));
  const row = `Billetterie du réseau · ${key.slice(0, 12)}…`;
  await waitForItem(page, row);
  assert.ok(!(await items(page)).some((it) => it.label.includes(key)), 'the screen no longer shows the key');
  // Its last use (the calls above) shows once the list is read again.
  await click(page, 'Actualiser la liste');
  await waitForItem(page, (label) => label.startsWith('Droits : feed:write, feed:read') && !label.endsWith('jamais'));

  // Revoked with a confirmation.
  await click(page, 'Révoquer');  // the only key: its only button
  await waitForItem(page, (label) => label.startsWith('Révoquer « Billetterie du réseau » ?'));
  await click(page, 'Confirmer la révocation');
  await waitForItem(page, (label) => label.startsWith('Révoquée le '));
  await screenshot(page, 'api-keys-revoked');

  const refused = await apiFetch(page, 'PUT', '/api/v1/feed/venues/salle-navigateur', {
    name: 'Salle du navigateur', address: '3 rue Oberkampf', postal_code: '75011', territory: '75', source_version: 2,
  }, bearer);
  assert.equal(refused.status, 401);
  assert.equal(refused.json.error.code, 'unauthorized');
  assert.equal((await apiFetch(page, 'GET', '/api/v1/feed/changes', null, bearer)).status, 401);
});
