// Posters (issue 18) and « Dupliquer l’offre » in a real browser against a real server with the demo
// data: the partner chooses a file through the page's own file chooser (<input type=file>), the
// server re-encodes it, the offer shows it; a file that is not an image is refused in French. A
// duplicated offer is a new draft with the same settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openApp, logIn, apiFetch, waitForItem, click, humanClick, items, screenshot } from './lib.mjs';

const env = serverAndBrowser();
const PARTNER = 'partenaire@demo.uneplace.test';
const DRAFT = 'Cabaret de fin d’année';  // the demo partner's draft

// Clicks the button that opens the file chooser and gives it `file` ({name, mimeType, buffer}).
async function chooseFile(page, buttonLabel, file) {
  const chooser = page.waitForEvent('filechooser');
  await click(page, buttonLabel);
  await (await chooser).setFiles(file);
}

test('a partner gives a draft offer its poster; a text file is refused in French', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, PARTNER);
  const offers = (await apiFetch(page, 'GET', '/api/v1/offers?limit=500')).json.items;
  const draft = offers.find((o) => o.title === DRAFT);
  assert.equal(draft.image_url, null);
  // A real picture: the large poster of a published demo offer (WebP), as a partner's file.
  const withPoster = offers.find((o) => o.image_url);
  const bytes = await page.evaluate(async (url) => Array.from(new Uint8Array(await (await fetch(url)).arrayBuffer())),
    withPoster.image_url);
  await humanClick(page, await waitForItem(page, DRAFT));
  await waitForItem(page, 'Choisir une affiche…');

  await chooseFile(page, 'Choisir une affiche…', { name: 'notes.txt', mimeType: 'image/png', buffer: Buffer.from('pas une image') });
  await waitForItem(page, /^Ce fichier n’est pas une affiche lisible\u00A0: envoyez une image JPEG, PNG ou WebP/);

  await chooseFile(page, 'Choisir une affiche…', { name: 'affiche.webp', mimeType: 'image/webp', buffer: Buffer.from(bytes) });
  await waitForItem(page, 'Affiche enregistrée.');
  const after = (await apiFetch(page, 'GET', `/api/v1/offers/${draft.id}`)).json;
  assert.match(after.image_url, new RegExp(`^/api/v1/offers/${draft.id}/image\\?v=1$`));
  assert.equal(after.status, 'draft');
  await waitForItem(page, `Affiche\u00A0: ${DRAFT}`);
  await page.waitForFunction(() => (window.uneplace.imagesLoaded || 0) >= 1);
  await screenshot(page, 'posters-partner-offer');
});

test('« Dupliquer l’offre » makes a new draft with the same settings', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, PARTNER);
  const before = (await apiFetch(page, 'GET', '/api/v1/offers?limit=500')).json.items;
  const source = before.find((o) => o.status === 'published' && o.min_age > 0) || before.find((o) => o.status === 'published');
  await humanClick(page, await waitForItem(page, source.title));
  await click(page, 'Dupliquer l’offre');
  await waitForItem(page, 'Enregistrer le brouillon');
  assert.equal((await items(page)).find((it) => it.label === 'Titre')?.value, source.title);
  await click(page, 'Enregistrer le brouillon');
  await waitForItem(page, `Brouillon enregistré : « ${source.title} ». Ajoutez ses séances, puis soumettez-le.`);
  const after = (await apiFetch(page, 'GET', '/api/v1/offers?limit=500')).json.items;
  const copies = after.filter((o) => o.title === source.title && !before.some((b) => b.id === o.id));
  assert.equal(copies.length, 1);
  const copy = copies[0];
  assert.equal(copy.status, 'draft');
  for (const key of ['category', 'min_age', 'pickup_mode', 'venue_id', 'description'])
    assert.deepEqual(copy[key], source[key], key);
  assert.deepEqual(copy.accessibility, source.accessibility);
  assert.equal(copy.sessions, 0, 'new dates: no session copied');
});
