// Observe: the RunLedger web UI. A hash router over its pages; each page renders into
// <main> and returns a function that stops its polling and streams when the page changes.

import { session } from './api.js';
import { overviewPage } from './overview.js';
import { runPage } from './run.js';
import { runsPage } from './runs.js';
import { servicesPage } from './services.js';
import { overviewHref, parseRoute, signOut } from './routes.js';
import { signInPage } from './signin.js';
import { webhooksPage } from './webhooks.js';
import { workersPage } from './workers.js';

const app = document.getElementById('app');
const scopeForm = document.getElementById('scope-form');
const scopeInput = document.getElementById('scope-input');
const signOutButton = document.getElementById('sign-out');
let leave = () => {};

function render(message) {
  leave();
  leave = () => {};
  const route = parseRoute(location.hash);
  const signedIn = Boolean(session.key);
  scopeForm.hidden = !signedIn;
  signOutButton.hidden = !signedIn;
  scopeInput.value = route.scope ?? '';
  if (!signedIn || route.page === 'home') {
    leave = signInPage(app, route, {
      message: typeof message === 'string' ? message : undefined,
      onSignedIn: target => (target === location.hash ? render() : (location.hash = target)),
    });
  } else if (route.page === 'overview') {
    document.title = `Overview · ${route.scope} · RunLedger`;
    leave = overviewPage(app, route);
  } else if (route.page === 'services') {
    document.title = `Services · ${route.scope} · RunLedger`;
    leave = servicesPage(app, route);
  } else if (route.page === 'workers') {
    document.title = `Workers · ${route.scope} · RunLedger`;
    leave = workersPage(app, route);
  } else if (route.page === 'webhooks') {
    document.title = `Webhooks · ${route.scope} · RunLedger`;
    leave = webhooksPage(app, route);
  } else if (route.page === 'runs') {
    document.title = `Runs · ${route.scope} · RunLedger`;
    leave = runsPage(app, route);
  } else {
    document.title = `${route.runId} · RunLedger`;
    leave = runPage(app, route);
  }
}

scopeForm.addEventListener('submit', event => {
  event.preventDefault();
  const scope = scopeInput.value.trim();
  if (scope) location.hash = overviewHref(scope);
});
signOutButton.addEventListener('click', () => signOut());
window.addEventListener('observe:signed-out', event => render(event.detail));
window.addEventListener('hashchange', () => render());
// Charts take the theme's colours when drawn: draw the page again when the theme changes.
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => render());
render();
