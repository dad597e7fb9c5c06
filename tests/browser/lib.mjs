// Helpers of the browser tests: a real uneplace server on a free loopback port with a temporary
// database, Debian's headless Chromium through playwright-core, and the client's widget registry
// (window.uneplace.items()) to find widgets by label — never by pixel coordinates.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const serverBinary = process.env.UNEPLACE_BINARY || path.join(repoRoot, 'build/native/server/uneplace');
export const screenshotDir = process.env.UNEPLACE_SCREENSHOTS || path.join(repoRoot, 'build/screenshots');

// Starts `uneplace serve --demo` on 127.0.0.1:0 (with `extraArgs`, e.g. --test-hooks) and resolves
// with {url, dir, stop()} once it listens.
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
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => { child.once('exit', r); setTimeout(r, 5000); });
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

export async function openApp(browser, url, { width = 1280, height = 720, deviceScaleFactor = 1 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor, locale: 'fr-FR' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  await page.waitForFunction(() => window.uneplace && window.uneplace.ready === true, null, { timeout: 30000 });
  return page;
}

// Logs in through the login screen with a demo account (password "uneplace-demo").
export async function login(page, email = 'relais@demo.uneplace.test') {
  await typeInto(page, 'Adresse e-mail', email);
  await typeInto(page, 'Mot de passe', 'uneplace-demo');
  await page.keyboard.press('Enter');
  await waitForItem(page, 'Se déconnecter');
}

// Calls the API from the page, with its session cookie and CSRF token: {status, body}.
export async function api(page, method, urlPath, body) {
  return page.evaluate(async ({ method, urlPath, body }) => {
    const csrf = sessionStorage.getItem('csrf_token') || '';
    const r = await fetch(urlPath, {
      method, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: await r.json().catch(() => null) };
  }, { method, urlPath, body });
}

export async function items(page) {
  return page.evaluate(() => window.uneplace.items());
}

// Waits until an item with this label (exact string, RegExp or predicate) is drawn, and returns it.
export async function waitForItem(page, label, { timeout = 15000 } = {}) {
  const deadline = Date.now() + timeout;
  let last = [];
  while (Date.now() < deadline) {
    last = await items(page);
    const matches = (it) => (label instanceof RegExp ? label.test(it.label)
      : typeof label === 'function' ? label(it.label) : it.label === label);
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
// when it is not drawn yet (the registry lists only what is visible, as a person sees it).
export async function scrollTo(page, label, { scrollAt, timeout = 15000 } = {}) {
  const deadline = Date.now() + timeout;
  const vp = page.viewportSize();
  const at = scrollAt || { x: vp.width * 0.6, y: vp.height * 0.6 };
  for (;;) {
    try {
      return await waitForItem(page, label, { timeout: 700 });
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await page.mouse.move(at.x, at.y);
      await page.mouse.wheel(0, 240);
    }
  }
}

// Clicks the centre of a widget with real mouse events, so the app's own hit-testing is used.
export async function click(page, label) {
  const it = await scrollTo(page, label);
  await page.mouse.click(it.x + it.w / 2, it.y + it.h / 2);
  return it;
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

// Software WebGL draws a few frames a second: wait for frames, not for milliseconds.
export async function frames(page, n = 2) {
  await page.evaluate((n) => new Promise((resolve) => {
    const step = (k) => (k === 0 ? resolve() : requestAnimationFrame(() => step(k - 1)));
    step(n);
  }), n);
}
