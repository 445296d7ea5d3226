// Sign-in: a scope key or the admin key, checked against the server before it is kept.
// Either kind of key acts in a scope named in the URL; the admin key may open any scope
// (there is no endpoint listing scopes, so the name is typed).

import { ApiError, api, paths, session } from './api.js';
import { fill, h } from './dom.js';
import { SCOPE_NAME, overviewHref, parseRoute } from './routes.js';

/** Renders the sign-in form (or only the scope field when a key is already held). */
export function signInPage(root, route, { message, onSignedIn }) {
  const needKey = !session.key;
  const keyInput = h('input', {
    id: 'signin-key', name: 'key', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true,
    placeholder: 'rlk_… or rla_…',
  });
  const scopeInput = h('input', {
    id: 'signin-scope', name: 'scope', autocomplete: 'off', spellcheck: 'false', required: true,
    value: route.scope ?? '', placeholder: 'acme',
  });
  const error = h('p', { id: 'signin-error', class: 'alert error', role: 'alert', hidden: !message }, message ?? '');
  const submit = h('button', { id: 'signin-submit', type: 'submit' }, needKey ? 'Sign in' : 'Open scope');

  const form = h('form', { id: 'signin', class: 'card signin', novalidate: true },
    h('h1', {}, needKey ? 'Sign in to Observe' : 'Open a scope'),
    needKey && h('label', {}, 'API key', keyInput),
    h('label', {}, 'Scope', scopeInput),
    submit,
    error,
    h('p', { class: 'muted small' },
      needKey
        ? 'Use a scope key or the admin key. The key stays in this browser tab only (sessionStorage) '
          + 'and is sent to this server as a bearer token. The admin key can open any scope.'
        : 'Type the name of the scope to open.'));

  const showError = text => {
    error.hidden = false;
    fill(error, text);
  };

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const key = needKey ? keyInput.value.trim() : session.key;
    const scope = scopeInput.value.trim();
    if (!key) return showError('Enter an API key.');
    if (!SCOPE_NAME.test(scope)) {
      return showError(`“${scope}” is not a scope name: use a-z, 0-9, '.', '_' and '-', starting with a letter or digit.`);
    }
    submit.disabled = true;
    try {
      await api(paths.runs(scope), { query: { limit: 1 }, key });
      session.signIn(key);
      // Stay on the page the URL names now (a reload, a link opened in a new tab, or a
      // page opened while the key was being checked); else the scope's runs.
      const now = parseRoute(location.hash);
      onSignedIn(now.page !== 'home' && now.scope === scope ? location.hash : overviewHref(scope));
    } catch (e) {
      showError(describe(e, scope));
    } finally {
      submit.disabled = false;
    }
  });

  fill(root, form);
  (needKey ? keyInput : scopeInput).focus();
  return () => {};
}

function describe(error, scope) {
  if (!(error instanceof ApiError)) return `The server could not be reached: ${error.message}`;
  if (error.status === 401) return `This key was not accepted (${error.message}). Check that the whole key was pasted.`;
  if (error.status === 404) return `Scope “${scope}” was not found, or this key belongs to another scope.`;
  return `${error.message} (${error.code})`;
}
