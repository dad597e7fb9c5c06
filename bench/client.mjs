// uneplace benchmarks, line 6 — the client: bytes of the built files (raw and gzip), time from
// navigation to the first drawn frame in headless Chromium, frame times while scrolling a
// catalogue of about 10,000 sessions, and the browser's CPU over 10 s of an untouched screen and
// 10 s of scrolling. Writes its figures as JSON (merged into the table by
// `uneplace-bench run --client-json`).
//   node bench/client.mjs OUT.json [--only cpu]   (env: UNEPLACE_BINARY, UNEPLACE_BENCH_BINARY, UNEPLACE_CLIENT_DIST)
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { repoRoot, serverBinary, startServer, launchBrowser, typeInto, waitForItem, items } from '../tests/browser/lib.mjs';

const out = (process.argv[2] && !process.argv[2].startsWith('--')) ? process.argv[2] : path.join(repoRoot, 'build/bench/client.json');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
const dist = process.env.UNEPLACE_CLIENT_DIST || path.join(repoRoot, 'build/wasm/client/dist');
const benchBinary = process.env.UNEPLACE_BENCH_BINARY || path.join(repoRoot, 'build/bench/bench/uneplace-bench');
// 90 days of a national year (the catalogue's default window) at this scale: about 10,000 sessions.
const scrollScale = 0.41;

function median(xs) { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; }
function percentile(xs, p) { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; }

// Bytes of the files the server embeds and sends: wasm, js, the rest (html, css).
function weigh() {
  const r = { wasm: { raw: 0, gzip: 0 }, js: { raw: 0, gzip: 0 }, assets: { raw: 0, gzip: 0 }, files: {} };
  for (const name of fs.readdirSync(dist)) {
    const bytes = fs.readFileSync(path.join(dist, name));
    const gz = zlib.gzipSync(bytes, { level: 9 }).length;
    const kind = name.endsWith('.wasm') ? 'wasm' : name.endsWith('.js') ? 'js' : 'assets';
    r[kind].raw += bytes.length; r[kind].gzip += gz;
    r.files[name] = { raw: bytes.length, gzip: gz };
  }
  r.raw_bytes = r.wasm.raw + r.js.raw + r.assets.raw;
  r.gzip_bytes = r.wasm.gzip + r.js.gzip + r.assets.gzip;
  return r;
}

// The client sets window.uneplace.ready = true right after its first frame is drawn
// (platform_web.cpp; web/loader.js replaces window.uneplace first). A setter planted before any
// script runs watches every object put there and notes performance.now() when ready turns true,
// i.e. milliseconds since the navigation started.
const readyProbe = () => {
  window.__firstFrameMs = null;
  const watch = (obj) => {
    let ready = obj.ready;
    Object.defineProperty(obj, 'ready', {
      configurable: true, enumerable: true,
      get() { return ready; },
      set(v) { ready = v; if (v === true && window.__firstFrameMs === null) window.__firstFrameMs = performance.now(); },
    });
    return obj;
  };
  let current;
  Object.defineProperty(window, 'uneplace', {
    configurable: true,
    get() { return current; },
    set(v) { current = v && typeof v === 'object' ? watch(v) : v; },
  });
};

async function firstFrame(browser, url, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'fr-FR' });  // cold cache
    const page = await context.newPage();
    await page.addInitScript(readyProbe);
    await page.goto(url);
    await page.waitForFunction(() => window.__firstFrameMs !== null, null, { timeout: 30000 });
    times.push(await page.evaluate(() => {
      // Where the time goes: the page, the wasm file on the wire, then compiling it, starting up
      // and drawing (everything after the wasm arrived until the first frame).
      const nav = performance.getEntriesByType('navigation')[0];
      const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));
      return { first_frame: window.__firstFrameMs, dom_content_loaded: nav ? nav.domContentLoadedEventEnd : null,
        wasm_received: wasm ? wasm.responseEnd : null };
    }));
    await context.close();
  }
  return times;
}

// A server on its own generated database (the server's schema, the benchmark's generator).
async function serveGenerated() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uneplace-bench-client-'));
  const db = path.join(dir, 'bench.db');
  const said = execFileSync(benchBinary, ['generate', '--db', db, '--scale', String(scrollScale)]).toString();
  const worker = said.match(/relais[0-9]+@bench\.uneplace\.test/)[0];
  const child = spawn(serverBinary, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (c) => { text += c; const m = text.match(/http:\/\/[0-9.]+:[0-9]+/); if (m) resolve(m[0]); });
    child.on('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
  child.removeAllListeners('exit');
  return { url, worker, stop() { child.kill('SIGTERM'); fs.rmSync(dir, { recursive: true, force: true }); } };
}

// Logs in, waits for every catalogue page, then scrolls the list with the wheel while timing each
// browser frame (requestAnimationFrame deltas: the client draws once per animation frame).
async function scrollFrames(browser) {
  const server = await serveGenerated();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => window.uneplace && window.uneplace.ready === true, null, { timeout: 30000 });
    await typeInto(page, 'Adresse e-mail', server.worker);
    await typeInto(page, 'Mot de passe', 'banc-d-essai-uneplace');
    await page.keyboard.press('Enter');
    await waitForItem(page, 'Actualiser', { timeout: 60000 });
    // Every catalogue page loaded (the client chains them): no request pending for a while.
    await page.waitForFunction(() => window.uneplace.requestLog.some((r) => r.includes('/api/v1/catalogue')), null, { timeout: 60000 });
    for (let quiet = 0; quiet < 10;) {
      quiet = (await page.evaluate(() => window.uneplace.pendingRequests())) === 0 ? quiet + 1 : 0;
      await page.waitForTimeout(100);
    }
    // How many sessions the list holds: the same query as the client's default (today, 90 days).
    const sessions = await page.evaluate(async () => {
      const day = 86400;
      const today = Math.floor(Date.now() / 1000 / day) * day;
      const iso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
      let n = 0; let cursor = '';
      do {
        const r = await (await fetch(`/api/v1/catalogue?limit=500&from=${iso(today)}&to=${iso(today + 91 * day)}${cursor ? `&cursor=${cursor}` : ''}`)).json();
        n += r.items.length; cursor = r.next_cursor || '';
      } while (cursor);
      return n;
    });
    await page.mouse.move(640, 560);
    await page.evaluate(() => {
      window.__frames = [];
      let last = performance.now();
      const tick = (t) => { window.__frames.push(t - last); last = t; if (window.__frames.length < 100000) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    });
    // Two seconds idle first: the cost of a frame with the list standing still, for comparison.
    // (Animation frames of the page; the client itself draws only when something changes, counted
    // by window.uneplace.frameCount.)
    const clientFrames = () => page.evaluate(() => (window.uneplace.frameCount ? window.uneplace.frameCount() : null));
    const idleStart = await clientFrames();
    await page.waitForTimeout(2000);
    const idleClientFrames = idleStart === null ? null : (await clientFrames()) - idleStart;
    const idle = (await page.evaluate(() => window.__frames.splice(0))).slice(1);
    // Chromium's own trace says how long each animation-frame callback ran (the client's frame
    // function: layout, the list, the draw calls handed to WebGL), apart from waiting for the
    // next frame and the software rasteriser (SwiftShader: this machine has no GPU).
    await browser.startTracing(page, { categories: ['devtools.timeline'] });
    const scrollStart = await clientFrames();
    const t0 = Date.now();
    while (Date.now() - t0 < 8000) await page.mouse.wheel(0, 400);
    const scrollClientFrames = scrollStart === null ? null : (await clientFrames()) - scrollStart;
    const trace = JSON.parse((await browser.stopTracing()).toString());
    const callbacks = trace.traceEvents.filter((e) => e.name === 'FireAnimationFrame' && e.dur).map((e) => e.dur / 1000);
    const frames = (await page.evaluate(() => window.__frames)).slice(1);
    const endLabels = (await items(page)).length;
    await context.close();
    return { sessions, frames: frames.length, p50_ms: median(frames), p99_ms: percentile(frames, 0.99),
      max_ms: Math.max(...frames), seconds: 8, items_drawn_at_end: endLabels,
      idle_frames: idle.length, idle_p50_ms: median(idle),
      idle_client_frames: idleClientFrames, client_frames: scrollClientFrames,
      callback_p50_ms: callbacks.length ? median(callbacks) : null,
      callback_p99_ms: callbacks.length ? percentile(callbacks, 0.99) : null };
  } finally {
    server.stop();
  }
}

// CPU seconds (user + system) of every process this one started, the servers in `exclude` apart:
// Chromium's browser, GPU, renderer and utility processes (read from /proc; 100 ticks a second).
function cpuSeconds(exclude) {
  const procs = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');  // from field 3 (state) on
      procs.push({ pid: Number(name), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / 100 });
    } catch { /* the process ended meanwhile */ }
  }
  let total = 0;
  const parents = [process.pid];
  const seen = new Set(exclude);
  while (parents.length) {
    const parent = parents.pop();
    for (const p of procs) {
      if (p.ppid !== parent || seen.has(p.pid)) continue;
      seen.add(p.pid);
      total += p.cpu;
      parents.push(p.pid);
    }
  }
  return total;
}

// The browser's CPU while `during()` runs, in % of one core, with the frames the client drew.
async function cpuWhile(page, exclude, during) {
  const frames = () => page.evaluate(() => (window.uneplace.frameCount ? window.uneplace.frameCount() : null));
  const f0 = await frames();
  const c0 = cpuSeconds(exclude);
  const t0 = performance.now();
  await during();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(exclude) - c0;
  const f1 = await frames();
  return { seconds: Math.round(seconds * 10) / 10, cpu_seconds: Math.round(cpu * 100) / 100,
    percent_of_a_core: Math.round((1000 * cpu) / seconds) / 10, client_frames: f0 === null ? null : f1 - f0 };
}

// The browser's CPU on the demo data: the login screen untouched for 10 s, the catalogue untouched
// for 10 s, then 10 s of scrolling it with the mouse wheel (down and back up, a step every 50 ms).
async function cpuLine(browser) {
  const server = await startServer();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => window.uneplace && window.uneplace.ready === true, null, { timeout: 30000 });
    await waitForItem(page, 'Adresse e-mail');
    await page.waitForTimeout(1000);
    const exclude = [server.pid];
    const login = await cpuWhile(page, exclude, () => page.waitForTimeout(10000));
    await typeInto(page, 'Adresse e-mail', 'relais@demo.uneplace.test');
    await typeInto(page, 'Mot de passe', 'uneplace-demo');
    await page.keyboard.press('Enter');
    await waitForItem(page, 'Se déconnecter');
    await page.waitForFunction(() => window.uneplace.pendingRequests() === 0);
    await page.mouse.move(1270, 700);  // the pointer rests where nothing reacts to it
    await page.waitForTimeout(1000);
    const catalogue = await cpuWhile(page, exclude, () => page.waitForTimeout(10000));
    await page.mouse.move(760, 450);
    const scrolling = await cpuWhile(page, exclude, async () => {
      const t0 = Date.now();
      for (let i = 0; Date.now() - t0 < 10000; i++) {
        await page.mouse.wheel(0, Math.floor(i / 40) % 2 === 0 ? 120 : -120);
        await page.waitForTimeout(50);
      }
    });
    await context.close();
    return { login_idle: login, catalogue_idle: catalogue, scrolling };
  } finally {
    await server.stop();
  }
}

const result = only ? {} : weigh();
const browser = await launchBrowser();
try {
  result.cpu = await cpuLine(browser);
  if (only === 'cpu') throw Object.assign(new Error('done'), { done: true });
  const demo = await startServer({ demo: false });
  try {
    const runs = await firstFrame(browser, demo.url, 5);
    result.first_frame_ms = median(runs.map((r) => r.first_frame));
    result.first_frame_runs = runs.length;
    result.first_frame_wasm_received_ms = median(runs.map((r) => r.wasm_received));
    result.first_frame_dom_content_loaded_ms = median(runs.map((r) => r.dom_content_loaded));
    result.first_frame_all = runs;
  } finally { await demo.stop(); }
  result.scroll = await scrollFrames(browser);
} catch (e) {
  if (!e.done) throw e;
} finally { await browser.close(); }
fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
