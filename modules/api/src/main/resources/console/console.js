// The console's shell: sign-in, navigation by hash routes, sign-out. The session (sid and API key, or the admin
// token) lives in this module's memory only: a reload or sign-out forgets it.
import { ApiError, Session } from './api.js';
import { h, field, formError, showProblems, announce, link, failure } from './view.js';
import * as profiles from './profiles.js';
import * as profileForm from './profile-form.js';
import * as deliveries from './deliveries.js';
import * as operator from './operator.js';
import * as health from './health.js';

let session = null;
/** Called when the view is left: stops timers such as the health page's sampling. */
let leave = () => {};

const main = () => document.getElementById('main');

const routes = [
  [/^\/profiles$/, 'tenant', () => profiles.list(session)],
  [/^\/profiles\/new$/, 'tenant', () => profileForm.edit(session, null)],
  [/^\/profiles\/([^/]+)$/, 'tenant', id => profiles.show(session, id)],
  [/^\/profiles\/([^/]+)\/edit$/, 'tenant', id => profileForm.edit(session, id)],
  [/^\/profiles\/([^/]+)\/deliveries$/, 'tenant', id => deliveries.log(session, id)],
  [/^\/deliveries\/([^/]+)$/, 'tenant', id => deliveries.show(session, id)],
  [/^\/accounts$/, 'operator', () => operator.accounts(session)],
  [/^\/accounts\/([^/]+)$/, 'operator', sid => operator.account(session, sid)],
  [/^\/health$/, 'operator', () => health.page(session)],
];

async function render() {
  leave();
  leave = () => {};
  const route = decodeURIComponent(location.hash.slice(1) || '/');
  renderNav();
  if (!session) {
    showView(signIn());
    return;
  }
  for (const [pattern, kind, view] of routes) {
    const match = pattern.exec(route);
    if (match && kind === session.kind) {
      let shown;
      try {
        shown = await view(...match.slice(1));
      } catch (e) {
        // A defect of the console itself: say so rather than leave a blank page.
        shown = h('section', {}, h('h2', {}, 'Something went wrong'), failure(e));
      }
      // A newer navigation may have happened while this view loaded: show only the current one.
      if (decodeURIComponent(location.hash.slice(1) || '/') !== route) return;
      showView(shown.node ?? shown);
      leave = shown.leave ?? (() => {});
      return;
    }
  }
  location.replace(`#${session.kind === 'tenant' ? '/profiles' : '/accounts'}`);
}

function showView(node) {
  main().replaceChildren(node);
  const heading = main().querySelector('h2');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: false });
    document.title = `${heading.textContent} · Callback Engine console`;
  }
}

function renderNav() {
  const nav = document.getElementById('nav');
  const signOut = document.getElementById('sign-out');
  signOut.hidden = !session;
  if (!session) {
    nav.replaceChildren();
    return;
  }
  const items = session.kind === 'tenant'
    ? [['/profiles', 'Profiles'], ['/profiles/new', 'New profile']]
    : [['/accounts', 'Accounts'], ['/health', 'Health']];
  const current = location.hash.slice(1);
  nav.replaceChildren(h('ul', {}, items.map(([route, text]) =>
    h('li', {}, link(route, text, { 'aria-current': current === route ? 'page' : null })))),
    h('span', { class: 'who' }, session.kind === 'tenant' ? `Account ${session.sid}` : 'Operator'));
}

function signIn() {
  const sid = h('input', { name: 'sid', autocomplete: 'username', required: true, spellcheck: 'false' });
  const key = h('input', { name: 'api_key', type: 'password', autocomplete: 'off', required: true });
  const tenantError = formError();
  const tenant = h('form', { class: 'card', 'aria-labelledby': 'tenant-heading', novalidate: true },
    h('h3', { id: 'tenant-heading' }, 'Account'),
    h('p', { class: 'hint' }, 'Your account sid and one of its API keys.'),
    tenantError,
    field('Account sid', sid, { name: 'sid' }),
    field('API key', key, { name: 'api_key' }),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  tenant.addEventListener('submit', async event => {
    event.preventDefault();
    const candidate = Session.tenant(sid.value.trim(), key.value);
    await start(candidate, tenant, () => candidate.call('GET', `${candidate.base}/profiles`, { query: { limit: 1 } }),
      '/profiles');
  });

  const token = h('input', { name: 'token', type: 'password', autocomplete: 'off', required: true });
  const operatorForm = h('form', { class: 'card', 'aria-labelledby': 'operator-heading', novalidate: true },
    h('h3', { id: 'operator-heading' }, 'Operator'),
    h('p', { class: 'hint' }, 'The engine\'s admin token (CALLBACK_ADMIN_TOKEN).'),
    formError(),
    field('Admin token', token, { name: 'token' }),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in as operator'));
  operatorForm.addEventListener('submit', async event => {
    event.preventDefault();
    const candidate = Session.operator(token.value);
    await start(candidate, operatorForm, () => candidate.call('GET', '/admin/accounts', { query: { limit: 1 } }),
      '/accounts');
  });

  return h('section', { 'aria-labelledby': 'sign-in-heading' },
    h('h2', { id: 'sign-in-heading' }, 'Sign in'),
    h('p', {}, 'Credentials stay in this tab\'s memory: closing or reloading the tab signs you out.'),
    h('div', { class: 'columns' }, tenant, operatorForm));
}

/** Proves the credentials with one harmless request before keeping them. */
async function start(candidate, form, probe, home) {
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    await probe();
    form.reset();
    session = candidate;
    announce('Signed in.');
    if (location.hash === `#${home}`) render(); else location.hash = home;
  } catch (e) {
    const message = e instanceof ApiError && e.status === 401 ? 'Those credentials were refused.'
      : e instanceof ApiError && e.status === 503 ? `The engine refused: ${e.message}` : e.message;
    showProblems(form, [], message);
  } finally {
    button.disabled = false;
  }
}

function signOut() {
  session = null;
  leave();
  leave = () => {};
  announce('Signed out.');
  if (location.hash === '' || location.hash === '#/') render(); else location.hash = '/';
}

document.getElementById('sign-out').addEventListener('click', signOut);
window.addEventListener('hashchange', render);
render();
