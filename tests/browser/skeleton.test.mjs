// Walking skeleton in a real browser: the login screen, the demo catalogue, French text input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverAndBrowser, openApp, waitForItem, click, typeInto, waitForValue, screenshot, items, cspViolations, apiFetch,
} from './lib.mjs';

const env = serverAndBrowser();

test('a social worker logs in and sees the demo catalogue', async () => {
  const page = await openApp(env.browser, env.server.url);
  await waitForItem(page, 'Adresse e-mail');
  await screenshot(page, 'login-1280x720');

  // The shared validator refuses a malformed address before anything is sent.
  await typeInto(page, 'Adresse e-mail', 'relais-sans-arobase');
  await typeInto(page, 'Mot de passe', 'uneplace-demo');
  const sentBefore = await page.evaluate(() => window.uneplace.requestLog.length);
  await click(page, 'Se connecter');
  await waitForItem(page, /invalide/i);
  assert.equal(await page.evaluate(() => window.uneplace.requestLog.length), sentBefore, 'no request was sent');
  await screenshot(page, 'login-invalid-email');

  await page.reload();
  await page.waitForFunction(() => window.uneplace.ready === true);
  await typeInto(page, 'Adresse e-mail', 'relais@demo.uneplace.test');
  await typeInto(page, 'Mot de passe', 'uneplace-demo');
  await click(page, 'Se connecter');
  await waitForItem(page, 'Se déconnecter');

  // Demo sessions, as the API lists them, are rows of the catalogue (which opens on the social
  // worker's own département, Paris).
  const catalogue = await page.evaluate(async () => (await fetch('/api/v1/catalogue?limit=500&territory=75')).json());
  assert.ok(catalogue.items.length > 0, 'the demo catalogue is not empty');
  const firstTitle = catalogue.items[0].title;
  await waitForItem(page, firstTitle);
  const drawn = (await items(page)).filter((i) => i.window.startsWith('Séances'));
  assert.ok(drawn.length >= Math.min(5, catalogue.items.length), `catalogue rows drawn: ${drawn.length}`);
  await screenshot(page, 'catalogue-1280x720');

  // The whole journey ran under the Content-Security-Policy (no inline script, no eval), and the
  // page holds no bearer token: its session is the HttpOnly cookie.
  const index = await page.evaluate(async () => (await fetch('/')).headers.get('content-security-policy'));
  assert.match(index, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(index, /unsafe-inline/);
  assert.deepEqual(await cspViolations(page), []);
  const again = await apiFetch(page, 'POST', '/api/v1/auth/login',
    { email: 'relais@demo.uneplace.test', password: 'uneplace-demo' });
  assert.equal(again.status, 200);
  assert.equal(again.json.token, undefined, 'a page of the application gets no bearer token');
  assert.ok(again.json.csrf_token);
  assert.equal(await page.evaluate(() => document.cookie), '', 'the session cookie is out of scripts\' reach');
});

test('the policy is enforced: an inline script is blocked and reported', async () => {
  // The check above would pass if violations were never heard: this one proves they are.
  const page = await openApp(env.browser, env.server.url);
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.inlineRan = true;';
    document.body.appendChild(s);
  });
  await page.waitForFunction(() => window.cspViolations.length > 0);
  assert.equal(await page.evaluate(() => window.inlineRan), undefined);
  assert.match((await cspViolations(page)).join('\n'), /script-src/);
});

test('text typed in French reaches the app exactly', async () => {
  const page = await openApp(env.browser, env.server.url);
  const text = 'Amélie Œuvre « àç »';
  await typeInto(page, 'Adresse e-mail', text);
  assert.equal(await waitForValue(page, 'Adresse e-mail', text), text);
  await screenshot(page, 'french-input');
});

test('the app fills the window and follows its size and pixel ratio', async () => {
  const page = await openApp(env.browser, env.server.url, { width: 1920, height: 1080, deviceScaleFactor: 2 });
  const size = await page.evaluate(() => {
    const c = document.getElementById('canvas');
    return { w: c.width, h: c.height, cssW: c.getBoundingClientRect().width, cssH: c.getBoundingClientRect().height };
  });
  assert.deepEqual(size, { w: 3840, h: 2160, cssW: 1920, cssH: 1080 });
  const field = await waitForItem(page, 'Adresse e-mail');
  assert.ok(field.x > 0 && field.x + field.w < 1920 && field.y + field.h < 1080, 'rectangles are in CSS pixels');
  await page.setViewportSize({ width: 1000, height: 700 });
  await page.waitForFunction(() => document.getElementById('canvas').width === 2000);
  await screenshot(page, 'login-hidpi');
});
