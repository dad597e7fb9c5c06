// Helpers of the browser tests: a real uneplace server on a free loopback port with a temporary
// database, Debian's headless Chromium through playwright-core, and the client's widget registry
// (window.uneplace.items()) to find widgets by label — never by pixel coordinates.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const serverBinary = process.env.UNEPLACE_BINARY || path.join(repoRoot, 'build/native/server/uneplace');
export const screenshotDir = process.env.UNEPLACE_SCREENSHOTS || path.join(repoRoot, 'build/screenshots');

// Starts `uneplace serve --demo` on 127.0.0.1:0 (with `extraArgs`, e.g. --test-hooks) and resolves
// with {url, dir, pid, stop()} once it listens.
export async function startServer({ demo = true, extraArgs = [] } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uneplace-browser-'));
  const args = ['serve', '--db', path.join(dir, 'test.db'), '--listen', '127.0.0.1:0'];
  if (demo) args.push('--demo');
  args.push(...extraArgs);
  const child = spawn(serverBinary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60000);
    const onData = (chunk) => {
      output += chunk.toString();
      const m = output.match(/http:\/\/[0-9.]+:[0-9]+/);
      if (m) { clearTimeout(timer); resolve(m[0]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk.toString(); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${output}`)); });
  });
  child.removeAllListeners('exit');
  return {
    url,
    dir,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        // Bounded wait; the timer is cleared, else it keeps the test file's process alive 5 s more.
        await new Promise((r) => {
          const timer = setTimeout(r, 5000);
          child.once('exit', () => { clearTimeout(timer); r(); });
        });
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync'],
  });
}

// One server and one browser for a test file, started before its first test and stopped after its
// last: `const env = serverAndBrowser(options)`, then env.server and env.browser in the tests.
export function serverAndBrowser(serverOptions) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer(serverOptions);
    env.browser = await launchBrowser();
  });
  after(async () => {
    if (env.browser) await env.browser.close();
    if (env.server) await env.server.stop();
  });
  return env;
}

// Every context openApp opens is closed after the test that opened it (a context left open keeps
// its page, its timers and its memory for the rest of the file).
// (Only under `node --test`: a script such as bench/client.mjs that imports these helpers is no test.)
const openContexts = new Set();
if (process.env.NODE_TEST_CONTEXT) {
  afterEach(async () => {
    const contexts = [...openContexts];
    openContexts.clear();
    await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  });
}

// The number of browser contexts openApp opened that are still open (tests check it is 0).
export function openContextCount() {
  return openContexts.size;
}

// Closes the page's context now, before the end of the test.
export async function closeApp(page) {
  const context = page.context();
  openContexts.delete(context);
  await context.close();
}

export async function openApp(browser, url, { width = 1280, height = 720, deviceScaleFactor = 1 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor, locale: 'fr-FR' });
  openContexts.add(context);
  context.once('close', () => openContexts.delete(context));
  // Whatever the Content-Security-Policy blocks is kept, for cspViolations().
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation',
      (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  await page.waitForFunction(() => window.uneplace && window.uneplace.ready === true, null, { timeout: 30000 });
  return page;
}

// What the page's Content-Security-Policy has blocked so far (an empty list when nothing was).
export async function cspViolations(page) {
  return page.evaluate(() => window.cspViolations);
}

// The API from inside a page, with its session cookie; writes carry the CSRF token the client keeps.
// `headers` adds or replaces headers (an `Authorization: Bearer upk_…` API key is used before the
// cookie by the server). Resolves with {status, json, text}.
export async function apiFetch(page, method, url, body, { headers: extra = {} } = {}) {
  return page.evaluate(async ({ method, url, body, extra }) => {
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    const csrf = sessionStorage.getItem('csrf_token');
    if (csrf) headers['X-CSRF-Token'] = csrf;
    Object.assign(headers, extra);
    const r = await fetch(url, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* CSV or empty */ }
    return { status: r.status, json, text };
  }, { method, url, body, extra });
}

// Logs in from the login screen and waits for the workspace.
export async function logIn(page, email, password = 'uneplace-demo') {
  await typeInto(page, 'Adresse e-mail', email);
  await typeInto(page, 'Mot de passe', password);
  await page.keyboard.press('Enter');
  // The workspace: "Se déconnecter" in the top bar, or in the menu on a phone.
  await waitForItem(page, (label) => label === 'Se déconnecter' || label === 'Menu');
}

export async function items(page) {
  return page.evaluate(() => window.uneplace.items());
}

// A label to look for: an exact string, a RegExp or a predicate on the label.
function labelMatcher(label) {
  return (it) => (label instanceof RegExp ? label.test(it.label)
    : typeof label === 'function' ? label(it.label) : it.label === label);
}

// Waits until an item with this label (exact string, RegExp or predicate) is drawn, and returns it.
export async function waitForItem(page, label, { timeout = 15000 } = {}) {
  const deadline = Date.now() + timeout;
  const matches = labelMatcher(label);
  let last = [];
  while (Date.now() < deadline) {
    last = await items(page);
    const found = last.find((it) => matches(it) && it.w > 0 && it.h > 0);
    if (found) return found;
    await page.waitForTimeout(50);
  }
  throw new Error(`no widget labelled ${label} after ${timeout} ms; drawn: ${last.map((i) => i.label).join(' | ')}`);
}

export async function waitForNoItem(page, label, { timeout = 15000 } = {}) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (!(await items(page)).some((it) => it.label === label)) return;
    await page.waitForTimeout(50);
  }
  throw new Error(`widget ${label} still drawn after ${timeout} ms`);
}

// Finds a widget, scrolling the window under `scrollAt` (or the page centre) with the mouse wheel
// when it is not drawn yet (the registry lists only what is visible, as a person sees it);
// downwards, or upwards with `up` (a message said at the top of a page scrolled down).
export async function scrollTo(page, label, { scrollAt, timeout = 15000, up = false } = {}) {
  const deadline = Date.now() + timeout;
  const vp = page.viewportSize();
  const at = scrollAt || { x: vp.width * 0.6, y: vp.height * 0.6 };
  for (;;) {
    try {
      return await waitForItem(page, label, { timeout: 700 });
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await page.mouse.move(at.x, at.y);
      await page.mouse.wheel(0, up ? -240 : 240);
    }
  }
}

// A widget that just appeared (a form opening, a popup placing itself, a list after a scroll) is
// returned only once two looks a couple of frames apart agree on where it is; null otherwise.
export async function settled(page, matches) {
  const visible = (it) => matches(it) && it.w > 0 && it.h >= 8;
  const first = (await items(page)).find(visible);
  if (!first) return null;
  await frames(page, 2);
  const second = (await items(page)).find(visible);
  if (!second) return null;
  const same = first.x === second.x && first.y === second.y && first.w === second.w && first.h === second.h;
  return same ? second : null;
}

// Clicks the centre of a widget with real mouse events, so the app's own hit-testing is used;
// only where it has settled (a field clicked while its form was still moving once missed).
export async function click(page, label, { timeout = 15000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const seen = await scrollTo(page, label, { timeout: Math.max(1000, deadline - Date.now()) });
    const it = await settled(page, labelMatcher(label));
    if (it) {
      await page.mouse.click(it.x + it.w / 2, it.y + it.h / 2);
      return it;
    }
    if (Date.now() > deadline) throw new Error(`widget ${label} never settled after ${timeout} ms`);
    // Only a sliver of it shows at an edge: bring it in a little.
    if (seen.h < 8) await page.mouse.wheel(0, seen.y > page.viewportSize().height / 2 ? 60 : -60);
  }
}

// A click as a person makes it: the pointer arrives, then the button goes down and up a frame
// later. (Dear ImGui 1.86 tabs select on press, and only an item hovered on an earlier frame.)
export async function humanClick(page, it) {
  await page.mouse.move(it.x + it.w / 2, it.y + it.h / 2);
  await frames(page, 2);
  await page.mouse.down();
  await frames(page, 1);
  await page.mouse.up();
}

// Clicks the widget `label` drawn on the same row as the text `rowText` (a table row's button, the
// "+" of a number field under its caption). `reveal(page, rowText)` brings the row into view
// (scrollTo by default: downwards).
export async function clickInRow(page, rowText, label, { timeout = 15000, reveal } = {}) {
  const deadline = Date.now() + timeout;
  let last = [];
  while (Date.now() < deadline) {
    const row = reveal ? await reveal(page, rowText)
      : await scrollTo(page, rowText, { timeout: Math.max(1000, deadline - Date.now()) });
    last = await items(page);
    const cy = row.y + row.h / 2;
    const button = last.find((i) => i.label === label && i.h > 0 && Math.abs(i.y + i.h / 2 - cy) < 24);
    if (button) {
      await humanClick(page, button);
      return button;
    }
    await page.waitForTimeout(50);
  }
  throw new Error(`no "${label}" on the row of ${rowText}; drawn: ${last.map((i) => i.label).join(' | ')}`);
}

// Focuses a text field by clicking it, waits for the hidden input to take the keyboard, then types.
export async function typeInto(page, label, text) {
  await click(page, label);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'uneplace-text-input', null, { timeout: 5000 });
  await page.keyboard.type(text);
  await waitForTyped(page, label, text);
}

// Keystrokes reach the app a frame or more later: wait until the field shows what was typed, so
// that a click right after acts on the whole text (password fields show no value: nothing to wait for).
async function waitForTyped(page, label, text, { timeout = 10000 } = {}) {
  const deadline = Date.now() + timeout;
  let value;
  while (Date.now() < deadline) {
    value = await fieldValue(page, label);
    if (value === undefined || value.endsWith(text)) return;
    await page.waitForTimeout(30);
  }
  throw new Error(`field ${label} shows "${value}" after typing "${text}"`);
}

// Replaces the whole text of a field: focus it, select all (Ctrl+A), type.
export async function replaceText(page, label, text) {
  await click(page, label);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'uneplace-text-input', null, { timeout: 5000 });
  await page.waitForTimeout(50);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
  await waitForTyped(page, label, text);
}

export async function fieldValue(page, label) {
  const it = (await items(page)).find((i) => i.label === label);
  return it ? it.value : undefined;
}

export async function waitForValue(page, label, expected, { timeout = 5000 } = {}) {
  const deadline = Date.now() + timeout;
  let value;
  while (Date.now() < deadline) {
    value = await fieldValue(page, label);
    if (value === expected) return value;
    await page.waitForTimeout(50);
  }
  return value;
}

export async function screenshot(page, name) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

// Software WebGL draws a few frames a second: wait for frames, not for milliseconds. The client
// draws only when something changes, so this asks the app itself for `n` frames and waits for them
// (window.uneplace.frames); a page without it gets animation frames.
export async function frames(page, n = 2) {
  await page.evaluate((n) => new Promise((resolve) => {
    if (window.uneplace && typeof window.uneplace.frames === 'function') return window.uneplace.frames(n).then(resolve);
    const step = (k) => (k === 0 ? resolve() : requestAnimationFrame(() => step(k - 1)));
    step(n);
  }), n);
}

// The app's frame counter (frames actually drawn), or undefined before the app has started.
export async function frameCount(page) {
  return page.evaluate(() => (window.uneplace && window.uneplace.frameCount ? window.uneplace.frameCount() : undefined));
}

// The item with the keyboard focus (its focus ring shown, or the text field being edited), or undefined.
export async function focusedItem(page) {
  return (await items(page)).find((it) => it.focused);
}

// Presses `key` (page.keyboard only: no mouse) until the focused item's label matches `label`
// (string, RegExp or predicate), at most `max` times; returns the focused item.
export async function pressUntilFocused(page, key, label, { max = 40 } = {}) {
  const matches = (it) => it && (label instanceof RegExp ? label.test(it.label)
    : typeof label === 'function' ? label(it.label) : it.label === label);
  let focused = await focusedItem(page);
  const path = [focused ? focused.label : '(none)'];
  for (let i = 0; i < max && !matches(focused); ++i) {
    await page.keyboard.press(key);
    await frames(page, 2);
    focused = await focusedItem(page);
    const now = focused ? focused.label : '(none)';
    if (now !== path[path.length - 1]) path.push(now);
  }
  if (!matches(focused)) throw new Error(`${key} × ${max} did not focus ${label}; focus went ${path.join(' → ')}`);
  return focused;
}

// Moves the keyboard focus to `label` with the arrow keys: down, then right, up, left (Dear ImGui's
// keyboard navigation goes to the nearest control in the arrow's direction: a control beside the
// last one is reached with a side arrow, one of a neighbouring column may be passed going down).
export async function arrowTo(page, label, { max = 20 } = {}) {
  const errors = [];
  for (const key of ['ArrowDown', 'ArrowRight', 'ArrowUp', 'ArrowLeft']) {
    try {
      return await pressUntilFocused(page, key, label, { max });
    } catch (e) {
      errors.push(e.message);
    }
  }
  throw new Error(errors.join('; '));
}

// Every drawn item inside the viewport and none cut sideways by its window's edge (a list cut at
// the bottom is a list that scrolls); returns the drawn items.
export async function assertInsideViewport(page, what) {
  const vp = page.viewportSize();
  const drawn = (await items(page)).filter((it) => it.w > 0 && it.h > 0);
  const outside = drawn.filter((it) => it.cutX || it.x < -0.5 || it.y < -0.5 || it.x + it.w > vp.width + 0.5 ||
    it.y + it.h > vp.height + 0.5);
  if (outside.length) {
    throw new Error(`${what}: drawn across the edge of ${vp.width}×${vp.height}: ` +
      outside.map((it) => `${it.label} [${it.x},${it.y} ${it.w}×${it.h}${it.cutX ? ' cut' : ''}]`).join(' | '));
  }
  return drawn;
}

// Opens the combo `comboLabel`, types `typed` into its filter (the type-ahead of the long lists)
// and clicks the entry `optionLabel` (string or RegExp) among what is left; waits for the list to close.
export async function chooseTyped(page, comboLabel, typed, optionLabel) {
  await click(page, comboLabel);
  await frames(page, 2);
  await page.keyboard.type(typed);
  const matches = labelMatcher(optionLabel);
  let option = null;
  for (let i = 0; i < 100 && !option; i++) option = await settled(page, (it) => matches(it) && /^Combo_/.test(it.window));
  if (!option) throw new Error(`no entry ${optionLabel} after typing ${typed}: ${(await items(page)).map((i) => i.label).join(' | ')}`);
  await humanClick(page, option);
  await page.waitForFunction(() => !window.uneplace.items().some((it) => /^Combo_/.test(it.window)));
  return option;
}
