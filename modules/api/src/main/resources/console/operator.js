// The operator's pages: accounts (list, create) and one account's API keys (list, issue, revoke).
import { ApiError } from './api.js';
import { h, field, formError, showProblems, table, pager, failure, announce, time, link } from './view.js';

export function accounts(session) {
  let offset = 0;
  const results = h('div', { class: 'results', 'aria-live': 'polite' });
  const created = h('div', { class: 'outcome', role: 'status' });

  async function load() {
    results.replaceChildren(h('p', { class: 'loading' }, 'Loading accounts…'));
    try {
      const page = await session.call('GET', '/admin/accounts', { query: { offset, limit: 20 } });
      results.replaceChildren(
        table('Accounts', ['Sid', 'Name', 'Created'],
          page.accounts.map(a => [link(`/accounts/${a.sid}`, a.sid, { class: 'mono' }), a.name, time(a.created_at)]),
          'No account yet: create one below.'),
        pager(page, next => { offset = next; load(); }));
    } catch (e) {
      results.replaceChildren(failure(e));
    }
  }

  const name = h('input', { name: 'name', required: true });
  const sid = h('input', { name: 'sid', spellcheck: 'false' });
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'new-account-heading' },
    h('h3', { id: 'new-account-heading' }, 'New account'),
    formError(),
    field('Name', name, { name: 'name' }),
    field('Sid (optional)', sid, { name: 'sid', hint: 'Leave empty for a generated one.' }),
    h('button', { type: 'submit', class: 'primary' }, 'Create account'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const body = { name: name.value.trim() };
    if (sid.value.trim()) body.sid = sid.value.trim();
    try {
      const account = await session.call('POST', '/admin/accounts', { body });
      form.reset();
      created.replaceChildren(oneTimeKey(`Account ${account.sid} created. Its first API key`, account.api_key));
      load();
    } catch (e) {
      showProblems(form, e instanceof ApiError ? e.problems() : [], e.message);
    }
  });
  load();
  return h('section', { 'aria-labelledby': 'accounts-heading' },
    h('h2', { id: 'accounts-heading' }, 'Accounts'), created, results, form);
}

/** A key shown once, in the page's DOM only (never in the served HTML), with a note saying so. */
function oneTimeKey(label, key) {
  return h('div', { class: 'notice ok one-time' },
    h('p', {}, `${label} (shown once, copy it now):`),
    h('p', {}, h('code', { class: 'secret', 'data-one-time-key': true }, key)));
}

export async function account(session, sid) {
  const path = `/admin/accounts/${encodeURIComponent(sid)}`;
  let found;
  try {
    found = await session.call('GET', path);
  } catch (e) {
    return h('section', {}, h('h2', {}, `Account ${sid}`), failure(e), link('/accounts', 'Back to accounts'));
  }
  const keys = h('div', { class: 'results', 'aria-live': 'polite' });
  const outcome = h('div', { class: 'outcome', role: 'status' });

  async function load() {
    try {
      const list = await session.call('GET', `${path}/api-keys`);
      keys.replaceChildren(table(`API keys of ${sid}`, ['Key id', 'Prefix', 'Created', 'Revoked', ''],
        list.api_keys.map(key => [h('code', {}, key.key_id), h('code', {}, key.prefix), time(key.created_at),
          key.revoked_at ? time(key.revoked_at) : 'active',
          key.revoked_at ? '' : h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke key ${key.prefix}`,
            onclick: () => revoke(key) }, 'Revoke')]),
        'This account has no API key.'));
    } catch (e) {
      keys.replaceChildren(failure(e));
    }
  }

  async function revoke(key) {
    try {
      await session.call('DELETE', `${path}/api-keys/${encodeURIComponent(key.key_id)}`);
      outcome.replaceChildren(h('p', { class: 'notice ok' }, `Key ${key.prefix}… revoked: it is refused from now on.`));
      announce(`Key ${key.prefix} revoked.`);
      await load();
    } catch (e) {
      outcome.replaceChildren(failure(e));
    }
  }

  const issue = h('button', { type: 'button', class: 'primary', onclick: async () => {
    try {
      const issued = await session.call('POST', `${path}/api-keys`);
      outcome.replaceChildren(oneTimeKey(`New key ${issued.prefix}…`, issued.api_key));
      announce(`Key ${issued.prefix} issued.`);
      await load();
    } catch (e) {
      outcome.replaceChildren(failure(e));
    }
  } }, 'Issue a new key');
  await load();
  return h('section', { 'aria-labelledby': 'account-heading' },
    h('div', { class: 'heading-row' }, h('h2', { id: 'account-heading' }, `${found.name} (${found.sid})`),
      link('/accounts', 'Back to accounts', { class: 'button' })),
    h('p', {}, 'Created ', time(found.created_at)),
    outcome, h('div', { class: 'actions' }, issue), h('h3', {}, 'API keys'), keys);
}
