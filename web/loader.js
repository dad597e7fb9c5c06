// uneplace — loader: configures Emscripten's Module before uneplace.js runs, and says in French
// what went wrong when the application cannot start (no WebGL2, script not reachable).
'use strict';
window.uneplace = { ready: false, items: () => [] };

function uneplaceShowFailure(message) {
  const box = document.getElementById('loading');
  if (!box) return;
  box.classList.add('failed');
  document.getElementById('loading-text').textContent = message;
}

function uneplaceLoadFailed() {
  uneplaceShowFailure('Impossible de charger l’application. Vérifiez votre connexion puis rechargez la page.');
}

var Module = {
  canvas: document.getElementById('canvas'),
  print: (text) => console.log(text),
  printErr: (text) => console.warn(text),
  onAbort: () => uneplaceShowFailure('L’application s’est arrêtée de façon inattendue. Rechargez la page.'),
};

(function checkWebGL2() {
  const probe = document.createElement('canvas');
  if (!probe.getContext('webgl2')) {
    uneplaceShowFailure('Votre navigateur ne prend pas en charge WebGL 2, nécessaire à une place. ' +
      'Essayez un navigateur récent (Firefox, Chrome, Edge, Safari).');
  }
})();
