// « Mon compte » (issue 12, securing accounts) in a real Chromium against a real server that
// requires the second factor of administrators: the administrator is held on « Mon compte » until
// TOTP is on (the QR code and its key, a code from Debian's oathtool, ten recovery codes), logs in
// again with a code, ends a session opened elsewhere; then issues a reset link for a social worker,
// who opens it logged out and chooses a new password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  serverAndBrowser, openApp, logIn, apiFetch, waitForItem, waitForNoItem, click, typeInto, items, screenshot,
  clickInRow, humanClick, scrollTo, replaceText,
} from './lib.mjs';

const env = serverAndBrowser({ extraArgs: ['--admin-second-factor', 'required'] });
const admin = 'admin@demo.uneplace.test';

// RFC 6238 by another implementation than the server's: oathtool, at `at` (Unix seconds).
function totp(secret, at) {
  return execFileSync('oathtool', ['--totp', '-b', secret, '-N', `@${at}`]).toString().trim();
}

let secret = '';
let lastStep = 0;  // a code opens one login: each login takes a time step not used before

// The code of the next 30-second step (the server's window accepts it), waiting for a new step
// when the next one was used already.
async function freshCode() {
  for (;;) {
    const step = Math.floor(Date.now() / 30000) + 1;
    if (step > lastStep) {
      lastStep = step;
      return totp(secret, step * 30);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

test('an administrator is held on « Mon compte » until the second factor is on, then logs in with a code', async () => {
  const page = await openApp(env.browser, env.server.url);
  await logIn(page, admin);
  await waitForItem(page, (l) => l.startsWith('Les administrateurs doivent activer la vérification en deux étapes'));
  // Every other screen of the role sends back here, and the server refuses its data.
  await click(page, 'Validations');
  await waitForItem(page, 'Configurer la vérification en deux étapes');
  assert.equal((await apiFetch(page, 'GET', '/api/v1/organisations')).json.error.code, 'second_factor_required');

  await click(page, 'Configurer la vérification en deux étapes');
  await waitForItem(page, 'QR code à scanner avec votre application d’authentification');
  const key = await waitForItem(page, (l) => /^Clé : [A-Z2-7 ]{32,}$/.test(l));
  secret = key.label.slice('Clé : '.length).replaceAll(' ', '');
  await screenshot(page, 'account-totp-qr');

  await typeInto(page, 'Code de vérification', '000000' === totp(secret, Date.now() / 1000 | 0) ? '111111' : '000000');
  await click(page, 'Activer la vérification');
  await waitForItem(page, (l) => l.startsWith('Code de vérification incorrect'));
  lastStep = Math.floor(Date.now() / 30000);
  await typeInto(page, 'Code de vérification', totp(secret, lastStep * 30));
  await click(page, 'Activer la vérification');
  await waitForItem(page, 'J’ai noté mes codes');
  const recovery = (await items(page)).filter((it) => /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/.test(it.label));
  assert.equal(recovery.length, 10, 'ten recovery codes are shown');
  await screenshot(page, 'account-recovery-codes');
  await click(page, 'J’ai noté mes codes');
  await waitForNoItem(page, recovery[0].label);
  await waitForNoItem(page, 'Configurer la vérification en deux étapes');
  // Now the administrator works.
  await click(page, 'Validations');
  await waitForNoItem(page, 'Mon compte', { timeout: 3000 }).catch(() => {});
  assert.equal((await apiFetch(page, 'GET', '/api/v1/organisations')).status, 200);

  // A new browser: the password, then the code (the next one: the one used above is spent).
  const second = await openApp(env.browser, env.server.url);
  await typeInto(second, 'Adresse e-mail', admin);
  await typeInto(second, 'Mot de passe', 'uneplace-demo');
  await second.keyboard.press('Enter');
  await waitForItem(second, 'Code de vérification');
  await typeInto(second, 'Code de vérification', await freshCode());
  await second.keyboard.press('Enter');
  await waitForItem(second, 'Se déconnecter');
  assert.equal((await apiFetch(second, 'GET', '/api/v1/organisations')).status, 200);

  // « Sessions ouvertes »: the first browser ends the second one's session.
  await click(page, 'Mon compte');
  await scrollTo(page, (l) => l.endsWith('· ce navigateur'));
  await click(page, 'Terminer cette session');
  await scrollTo(page, 'Session terminée : ce navigateur devra se reconnecter.', { up: true });
  assert.equal((await apiFetch(second, 'GET', '/api/v1/me')).status, 401);
  await screenshot(page, 'account-sessions');
});

test('a reset link issued from the directory lets a social worker choose a new password, logged out', async () => {
  const page = await openApp(env.browser, env.server.url);
  await typeInto(page, 'Adresse e-mail', admin);
  await typeInto(page, 'Mot de passe', 'uneplace-demo');
  await page.keyboard.press('Enter');
  await waitForItem(page, 'Code de vérification');
  await typeInto(page, 'Code de vérification', await freshCode());
  await page.keyboard.press('Enter');
  await waitForItem(page, 'Se déconnecter');

  await click(page, 'Annuaire');
  await humanClick(page, await waitForItem(page, 'Utilisateurs'));  // a tab selects on a hovered press
  await clickInRow(page, 'Sophie Lemaire', 'Réinitialiser');
  const link = await waitForItem(page, (l) => l.includes('/#/reinitialisation/'));
  await screenshot(page, 'account-reset-link');

  // The social worker, in another browser, logged out. (The link names --public-url, whose default
  // is not this test server's port: the same path, on the test server.)
  const path = link.label.slice(link.label.indexOf('/#/reinitialisation/'));
  const worker = await openApp(env.browser, env.server.url + path);
  await waitForItem(worker, 'Choisir un mot de passe');
  await typeInto(worker, 'Nouveau mot de passe', 'aaaaaaaaaaaa');
  await waitForItem(worker, (l) => l.startsWith('Ce mot de passe est trop courant ou trop simple'));
  await replaceText(worker, 'Nouveau mot de passe', 'Password1234!');
  await typeInto(worker, 'Confirmer le mot de passe', 'Password1234!');
  await click(worker, 'Enregistrer le mot de passe');
  await waitForItem(worker, (l) => l.startsWith('Ce mot de passe est trop courant'));  // the server's list
  await replaceText(worker, 'Nouveau mot de passe', 'le chat dort sur le piano');
  await replaceText(worker, 'Confirmer le mot de passe', 'le chat dort sur le piano');
  await click(worker, 'Enregistrer le mot de passe');
  await waitForItem(worker, 'Votre nouveau mot de passe est enregistré : connectez-vous avec lui.');
  await logIn(worker, 'relais@demo.uneplace.test', 'le chat dort sur le piano');
  await screenshot(worker, 'account-reset-done');
});
