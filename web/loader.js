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

// The canvas has its own right-click menu (none); the browser's would cover the application.
Module.canvas.addEventListener('contextmenu', (event) => event.preventDefault());

// The application's script, added here rather than in index.html: the Content-Security-Policy
// forbids inline handlers, and this is where its failure to load is heard.
(function loadApplication() {
  const script = document.createElement('script');
  script.src = 'uneplace.js';
  script.async = true;
  script.addEventListener('error', uneplaceLoadFailed);
  document.body.appendChild(script);
})();

(function checkWebGL2() {
  const probe = document.createElement('canvas');
  if (!probe.getContext('webgl2')) {
    uneplaceShowFailure('Votre navigateur ne prend pas en charge WebGL 2, nécessaire à une place. ' +
      'Essayez un navigateur récent (Firefox, Chrome, Edge, Safari).');
  }
})();
