// Finding outings (issue 18, API.md "Finding outings") in a real browser against a real server with
// the demo data: the catalogue opens on the social worker's own département; the place list is
// filtered as one types ("ly" finds "69 Rhône — Lyon"); a region, the next weekend, the month
// calendar with the number of sessions per day; the family matinée of the demo found in a few actions;
// the partner's own sessions on the same calendar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverAndBrowser, openApp, logIn, apiFetch, waitForItem, click, screenshot, items, frames, chooseTyped, settled,
  humanClick,
} from './lib.mjs';

const env = serverAndBrowser();
const WORKER = 'relais@demo.uneplace.test';

const catalogueRequests = (page) => page.evaluate(() => window.uneplace.requestLog.filter((r) => r.includes('/api/v1/catalogue')));
async function waitForCatalogueRequest(page, part) {
  await page.waitForFunction((p) => window.uneplace.requestLog.some((r) => r.includes('/api/v1/catalogue') && r.includes(p)), part);
  await page.waitForFunction(() => window.uneplace.pendingRequests() === 0);
}
// The thumbnails asked for are all decoded into textures (the list was drawn before they came).
const waitForPosters = (page, n) => page.waitForFunction((k) => (window.uneplace.imagesLoaded || 0) >= k, n);
const comboValue = async (page, label) => (await items(page)).find((it) => it.label === label)?.value;

test('the catalogue opens on the worker’s département; typing finds a city, a region', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, WORKER);
  await waitForItem(page, 'Où');
  const me = (await apiFetch(page, 'GET', '/api/v1/me')).json;
  assert.equal(me.organisation.territory, '75');
  await waitForCatalogueRequest(page, 'territory=75');
  assert.equal(await comboValue(page, 'Où'), '75 Paris');
  // Every row shown is in Paris.
  const paris = (await apiFetch(page, 'GET', '/api/v1/catalogue?limit=500&territory=75')).json.items;
  assert.ok(paris.length > 0);
  await waitForItem(page, paris[0].title);

  // "ly" leaves Lyon's département (by its prefecture) in the list, not Paris.
  await click(page, 'Où');
  await waitForItem(page, 'Filtrer les lieux');
  await frames(page, 2);
  await page.keyboard.type('ly');
  let lyon = null;
  for (let i = 0; i < 50 && !lyon; i++) lyon = await settled(page, (it) => it.label === '69 Rhône — Lyon' && /^Combo_/.test(it.window));
  assert.ok(lyon, `69 Rhône — Lyon listed: ${(await items(page)).map((i) => i.label).join(' | ')}`);
  assert.ok(!(await items(page)).some((it) => it.label === '75 Paris' && /^Combo_/.test(it.window)));
  await humanClick(page, lyon);
  await waitForCatalogueRequest(page, 'territory=69');
  assert.equal(await comboValue(page, 'Où'), '69 Rhône — Lyon');

  // A region by its name, without its accents.
  await chooseTyped(page, 'Où', 'auvergne', 'Région Auvergne-Rhône-Alpes');
  await waitForCatalogueRequest(page, 'region=84');
  // And back home with the neighbours: the tick widens the département.
  await chooseTyped(page, 'Où', '75', '75 Paris');
  await click(page, 'Et les départements voisins');
  await waitForCatalogueRequest(page, 'near=75');
  assert.equal(await comboValue(page, 'Où'), '75 Paris et alentours');
});

// The journey: "Mme Diallo, 2 children of 6 and 9, next weekend, Île-de-France", from the
// catalogue in five actions (a choice in a list, typed or not, is one action): the person, the
// region, the weekend, the session, « Réserver » with her household's places already filled in.
test('Mme Diallo, 2 children of 6 and 9, next weekend, Île-de-France: found and booked', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, WORKER);
  await waitForCatalogueRequest(page, 'territory=75');
  const diallo = (await apiFetch(page, 'GET', '/api/v1/beneficiaries?limit=500')).json.items
    .find((b) => b.last_name === 'Diallo');
  assert.equal(diallo.household_size, 3);
  const year = new Date().getUTCFullYear();
  assert.deepEqual(diallo.children_birth_years.map((y) => year - y).sort(), [6, 9]);
  const before = (await catalogueRequests(page)).length;

  // 1. The person, found by typing.
  await chooseTyped(page, 'Pour qui ?', 'diallo', /^Fatoumata Diallo \(3/);
  await waitForCatalogueRequest(page, `fits_beneficiary=${diallo.id}`);
  // 2. The region, by its name without accents.
  await chooseTyped(page, 'Où', 'ile de', 'Région Île-de-France');
  // 3. The weekend.
  await chooseTyped(page, 'Période', '', 'Le week-end prochain');
  await waitForCatalogueRequest(page, 'region=11');
  const asked = (await catalogueRequests(page)).slice(before).filter((r) => r.includes('region=11')).pop();
  const query = new URL(asked.split(' ').pop(), env.server.url).searchParams;
  assert.equal(query.get('fits_beneficiary'), String(diallo.id));
  const from = new Date(query.get('from'));
  const to = new Date(query.get('to'));
  // Saturday 00:00 to Monday 00:00, Paris time: 48 hours from a Friday evening (UTC).
  assert.equal((to - from) / 3600000, 48);
  assert.equal(new Date(from.getTime() + 3 * 3600000).getUTCDay(), 6, 'a Saturday');
  // What the server finds for her then, and that the list shows it all.
  const found = (await apiFetch(page, 'GET', `/api/v1/catalogue?limit=500&region=11&fits_beneficiary=${diallo.id}` +
    `&from=${query.get('from')}&to=${query.get('to')}`)).json.items;
  const matinee = found.find((s) => s.category === 'young_audience' && s.places_left >= 3);
  assert.ok(matinee, `the demo has a family session next weekend in Île-de-France: ${JSON.stringify(found.map((s) => s.title))}`);
  for (const s of found) {
    assert.ok(s.max_per_booking >= 3, `${s.title} takes the family`);
    assert.ok(s.min_age <= 6, `${s.title} is open to a child of 6`);
  }
  await waitForItem(page, found.length > 1 ? `${found.length} séances` : '1 séance');
  await waitForItem(page, matinee.title);
  // The rows' posters: the matinée has one (demo data); its thumbnail is drawn once the browser
  // has fetched and decoded it, named by the offer's title for the accessibility mirror.
  assert.ok(matinee.thumbnail_url, 'the family matinée has a poster');
  await waitForPosters(page, found.filter((s) => s.thumbnail_url).length);
  await waitForItem(page, `Affiche\u00A0: ${matinee.title}`);
  await screenshot(page, 'finding-catalogue');

  // The month calendar of the same search: the matinée's day carries its number of sessions.
  await click(page, 'Voir le calendrier');
  const day = Number(matinee.start_local.slice(8, 10));
  const sameDay = found.filter((s) => s.start_local.slice(0, 10) === matinee.start_local.slice(0, 10)).length;
  await waitForItem(page, new RegExp(`^samedi ${day}(er)? [a-zéû]+ : ${sameDay}\u00A0séances?$`));
  await screenshot(page, 'finding-calendar');
  await click(page, 'Voir la liste');

  // 4. The session; 5. « Réserver »: her household's three places are already there.
  await click(page, matinee.title);
  await waitForItem(page, 'Réserver');
  assert.equal(await comboValue(page, 'Bénéficiaire'), 'Fatoumata Diallo');
  assert.equal((await items(page)).find((it) => it.label === 'Nombre de places')?.value, '3');
  await click(page, 'Réserver');
  await waitForItem(page, /^Réservation confirmée/);
  const booked = (await apiFetch(page, 'GET', '/api/v1/bookings?limit=500')).json.items
    .find((b) => b.session.id === matinee.session_id && b.beneficiary.id === diallo.id);
  assert.equal(booked?.places, 3);
  assert.equal(booked?.status, 'confirmed');
});

test('a session the family does not fit says why and lists sessions that do', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, WORKER);
  const diallo = (await apiFetch(page, 'GET', '/api/v1/beneficiaries?limit=500')).json.items
    .find((b) => b.last_name === 'Diallo');
  const all = (await apiFetch(page, 'GET', '/api/v1/catalogue?limit=500&territory=75')).json.items;
  const fitting = new Set((await apiFetch(page, 'GET', `/api/v1/catalogue?limit=500&fits_beneficiary=${diallo.id}`)).json.items
    .map((s) => s.session_id));
  const tooSmall = all.find((s) => s.max_per_booking < 3 && s.allocation === 'first_come');
  assert.ok(tooSmall, 'a Paris session of two places per booking');
  assert.ok(!fitting.has(tooSmall.session_id));
  await chooseTyped(page, 'Pour qui ?', 'diallo', /^Fatoumata Diallo \(3/);
  await page.evaluate((h) => { location.hash = h; }, `#/seance/${tooSmall.session_id}`);
  await waitForItem(page, `Cette séance permet ${tooSmall.max_per_booking}\u00A0places par réservation\u00A0: le foyer de 3\u00A0personnes n’y tient pas ensemble.`);
  await waitForItem(page, 'Ces séances conviennent à ce foyer :');
  // Every session offered instead is one the server says fits her.
  await page.waitForFunction(() => window.uneplace.pendingRequests() === 0);
  await frames(page, 2);
  const offered = (await items(page)).filter((it) => / — /.test(it.label) && it.role === 'button');
  assert.ok(offered.length > 0);
  const titles = new Set(all.concat((await apiFetch(page, 'GET', `/api/v1/catalogue?limit=500&near=75&fits_beneficiary=${diallo.id}`)).json.items)
    .filter((s) => fitting.has(s.session_id)).map((s) => s.title));
  for (const it of offered) assert.ok(titles.has(it.label.split(' — ')[0]), `${it.label} fits`);
  await screenshot(page, 'finding-does-not-fit');
});

test('a partner sees their own sessions on the same month calendar', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, 'partenaire@demo.uneplace.test');
  await waitForItem(page, 'Calendrier de mes séances');
  // Their scheduled sessions of this month, by local day, from the API.
  const offers = (await apiFetch(page, 'GET', '/api/v1/offers?limit=500')).json.items
    .filter((o) => o.status === 'published' || o.status === 'pending');
  const perDay = new Map();
  const now = new Date();
  for (const o of offers) {
    for (const s of (await apiFetch(page, 'GET', `/api/v1/offers/${o.id}/sessions?limit=500`)).json.items) {
      if (s.status !== 'scheduled') continue;
      const local = (s.start_local || s.start).slice(0, 10);
      if (Number(local.slice(0, 4)) !== now.getUTCFullYear() || Number(local.slice(5, 7)) !== now.getUTCMonth() + 1) continue;
      perDay.set(local, (perDay.get(local) || 0) + 1);
    }
  }
  assert.ok(perDay.size > 0, 'the demo partner has sessions this month');
  await click(page, 'Calendrier de mes séances');
  const [day, n] = [...perDay.entries()][0];
  const dayItem = await waitForItem(page, new RegExp(`^[a-z]+ ${Number(day.slice(8, 10))}(er)? [a-zéû]+ : ${n}\u00A0séances?$`));
  await screenshot(page, 'finding-partner-calendar');
  // A click on the day lists its sessions, each opening its guest list.
  await humanClick(page, dayItem);
  await waitForItem(page, /^\d+\u00A0h( \d+)? · .+ places$/);
  await click(page, 'Voir mes offres');
  await waitForItem(page, 'Proposer une offre');
});

// An empty search helps (issue 18): the server counts what each wider search would find, the list
// offers them, and a click applies one.
test('an empty search offers wider ones with their counts; a click applies one', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, WORKER);
  await waitForCatalogueRequest(page, 'territory=75');
  const labels = { circus: 'cirque', opera: 'opéra', sport_practice: 'pratique sportive', festival: 'festival',
    workshop: 'atelier', talk: 'conférence', heritage: 'patrimoine', dance: 'danse', cinema: 'cinéma' };
  let empty = null;
  for (const code of Object.keys(labels)) {
    if ((await apiFetch(page, 'GET', `/api/v1/catalogue?limit=500&territory=75&category=${code}`)).json.items.length === 0) {
      empty = code;
      break;
    }
  }
  assert.ok(empty, 'a category with no session in Paris');
  await chooseTyped(page, 'Catégorie', '', labels[empty]);
  await waitForCatalogueRequest(page, `category=${empty}`);
  const asked = (await catalogueRequests(page)).filter((r) => r.includes(`category=${empty}`)).pop();
  const answer = (await apiFetch(page, 'GET', asked.split(' ').pop())).json;
  assert.equal(answer.items.length, 0);
  const all = answer.suggestions.find((s) => s.kind === 'all_categories');
  assert.ok(all && all.count > 0, JSON.stringify(answer.suggestions));
  const n = (k) => `${k}\u00A0séance${k > 1 ? 's' : ''}`;
  await waitForItem(page, 'Élargir la recherche\u00A0:');
  const near = answer.suggestions.find((s) => s.kind === 'near');
  if (near.count > 0) await waitForItem(page, `Avec les départements voisins (${n(near.count)})`);
  const before = (await catalogueRequests(page)).length;
  await click(page, `Toutes les catégories (${n(all.count)})`);
  await page.waitForFunction((k) => window.uneplace.requestLog.filter((r) => r.includes('/api/v1/catalogue')).length > k, before);
  await page.waitForFunction(() => window.uneplace.pendingRequests() === 0);
  const last = (await catalogueRequests(page)).pop();
  assert.ok(!last.includes('category='), last);
  await waitForItem(page, all.count > 1 ? `${all.count} séances` : '1 séance');
});
