// Profiles: the filtered, paged list; one profile with its actions; the create and edit form, which shows the
// API's own validation messages next to the fields they name.
import { ApiError } from './api.js';
import { h, field, formError, showProblems, clearProblems, table, pager, failure, announce, time, link } from './view.js';

export const STATUS = { 1: 'active', 2: 'auto-disabled', 3: 'disabled' };
const CHANNELS = ['sms', 'Default - No Channel Selected'];
const METHODS = ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'];
const BODY_TYPES = ['', 'json', 'form', 'urlencoded', 'xml', 'html', 'text'];

function select(name, options, value, labels = {}) {
  return h('select', { name }, options.map(option =>
    h('option', { value: option, selected: String(option) === String(value ?? '') }, labels[option] ?? option)));
}

/** The event names of a profile as the API answers them (a JSON string, or null for "every non-sms event"). */
export function eventNames(profile) {
  try {
    return profile.events ? JSON.parse(profile.events) : null;
  } catch (e) {
    return [String(profile.events)];
  }
}

export function list(session) {
  const filters = { title: '', status: '', channel: '', event: '', offset: 0 };
  const results = h('div', { class: 'results', 'aria-live': 'polite' });
  const title = h('input', { name: 'title', type: 'search' });
  const status = select('status', ['', 1, 2, 3], '', { '': 'any', ...STATUS });
  const channel = select('channel', ['', ...CHANNELS], '', { '': 'any' });
  const event = h('input', { name: 'event', spellcheck: 'false' });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter profiles' },
    formError(),
    field('Title contains', title, { name: 'title' }),
    field('Status', status, { name: 'status' }),
    field('Channel', channel, { name: 'channel' }),
    field('Event', event, { name: 'event' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Apply filters')));

  async function load() {
    clearProblems(form);
    results.replaceChildren(h('p', { class: 'loading' }, 'Loading profiles…'));
    try {
      const page = await session.call('GET', `${session.base}/profiles`, { query: { ...filters, limit: 20 } });
      results.replaceChildren(
        table('Callback profiles', ['Title', 'Status', 'Channel', 'Events', 'Method and URL', 'Created'],
          page.profiles.map(p => [link(`/profiles/${p.profile_id}`, p.title), STATUS[p.status] ?? p.status,
            p.channel, (eventNames(p) ?? ['every non-sms event']).join(', '), `${p.http_method} ${p.url}`,
            time(p.created_at)]),
          anyFilter() ? 'No profile matches these filters.' : 'This account has no profile yet.'),
        pager(page, offset => { filters.offset = offset; load(); }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) {
        results.replaceChildren();
        showProblems(form, e.problems().map(p => ({ ...p, place: p.place.replace(/^query\//, 'body/') })), e.message);
      } else {
        results.replaceChildren(failure(e));
      }
    }
  }

  const anyFilter = () => filters.title || filters.status || filters.channel || filters.event;

  form.addEventListener('submit', event_ => {
    event_.preventDefault();
    Object.assign(filters, { title: title.value, status: status.value, channel: channel.value,
      event: event.value.trim(), offset: 0 });
    load();
  });
  load();
  return h('section', { 'aria-labelledby': 'profiles-heading' },
    h('div', { class: 'heading-row' }, h('h2', { id: 'profiles-heading' }, 'Profiles'),
      link('/profiles/new', 'New profile', { class: 'button primary' })),
    form, results);
}

export async function show(session, id) {
  let profile;
  try {
    profile = await session.call('GET', `${session.base}/profiles/${encodeURIComponent(id)}`);
  } catch (e) {
    return h('section', {}, h('h2', {}, 'Profile'), failure(e), link('/profiles', 'Back to profiles'));
  }
  const section = h('section', { 'aria-labelledby': 'profile-heading' });
  const outcome = h('div', { class: 'outcome', role: 'status' });

  const say = (text, kind = 'ok') => outcome.replaceChildren(h('p', { class: `notice ${kind}` }, text));
  const act = async work => {
    try {
      await work();
    } catch (e) {
      outcome.replaceChildren(failure(e));
    }
  };
  const reload = async message => {
    const fresh = await show(session, id);
    section.replaceWith(fresh);
    fresh.querySelector('.outcome').replaceChildren(h('p', { class: 'notice ok' }, message));
    fresh.querySelector('h2').focus();
    announce(message);
  };

  const secret = h('code', { class: 'secret' }, '••••••••');
  let revealed = false;
  const reveal = h('button', { type: 'button', 'aria-pressed': 'false', onclick: () => {
    revealed = !revealed;
    secret.textContent = revealed ? profile.signing_secret : '••••••••';
    reveal.textContent = revealed ? 'Hide' : 'Show';
    reveal.setAttribute('aria-pressed', String(revealed));
  } }, 'Show');

  const enabled = profile.status === 1;
  const confirmDelete = h('button', { type: 'button', class: 'danger', hidden: true, onclick: () => act(async () => {
    await session.call('DELETE', `${session.base}/profiles/${encodeURIComponent(id)}`);
    announce(`Profile ${profile.title} deleted.`);
    location.hash = '/profiles';
  }) }, `Yes, delete "${profile.title}"`);

  section.append(
    h('div', { class: 'heading-row' }, h('h2', { id: 'profile-heading' }, profile.title),
      h('span', { class: `badge status-${profile.status}` }, STATUS[profile.status] ?? profile.status)),
    outcome,
    h('div', { class: 'actions' },
      link(`/profiles/${id}/edit`, 'Edit', { class: 'button' }),
      link(`/profiles/${id}/deliveries`, 'Delivery log', { class: 'button' }),
      h('button', { type: 'button', onclick: () => act(async () => {
        await session.call('PATCH', `${session.base}/profiles/${encodeURIComponent(id)}`,
          { body: { status: enabled ? 3 : 1 } });
        await reload(enabled ? 'Profile disabled: new deliveries are held.' : 'Profile enabled.');
      }) }, enabled ? 'Disable' : 'Enable'),
      h('button', { type: 'button', onclick: () => act(async () => {
        await session.call('POST', `${session.base}/profiles/${encodeURIComponent(id)}/signing-secret/rotate`);
        await reload('Signing secret rotated: the previous one keeps signing for 24 hours.');
      }) }, 'Rotate signing secret'),
      h('button', { type: 'button', class: 'primary', onclick: () => act(async () => {
        const accepted = await session.call('POST', `${session.base}/events`, { body: sampleEvent(profile) });
        const sent = accepted.events[0];
        say(`Test event ${sent.event_id} accepted: ${sent.deliveries} delivery queued.`);
        announce('Test event accepted.');
        outcome.append(link(`/profiles/${id}/deliveries`, 'See it in the delivery log'));
      }) }, 'Send test event'),
      h('button', { type: 'button', class: 'danger', 'aria-expanded': 'false', onclick: event => {
        confirmDelete.hidden = false;
        event.target.setAttribute('aria-expanded', 'true');
        confirmDelete.focus();
      } }, 'Delete…'),
      confirmDelete),
    h('dl', { class: 'facts' },
      fact('Profile id', h('code', {}, profile.profile_id)),
      fact('Method and URL', h('code', {}, `${profile.http_method} ${profile.url}`)),
      fact('Channel', profile.channel),
      fact('Events', (eventNames(profile) ?? ['every non-sms event']).join(', ')),
      fact('Body type', profile.body_type ?? 'json'),
      fact('Body', h('pre', {}, pretty(profile.body))),
      fact('Headers', h('pre', {}, pretty(profile.headers))),
      fact('Response message', profile.response_message ?? '—'),
      fact('Encryption', profile.enc ? `${profile.enc.algo}, ${profile.enc.IV ? 'fixed IV' : 'random IV'}` : 'none'),
      fact('Replacers', h('pre', {}, pretty(profile.replacers))),
      fact('Callback authentication', !profile.auth ? 'none' : profile.auth.type === 'basic'
        ? `Basic, user ${profile.auth.username}` : `OAuth2 client credentials from ${profile.auth.token_url}`),
      fact('Signing secret', h('span', {}, secret, ' ', reveal)),
      fact('Created', time(profile.created_at)),
      fact('Modified', time(profile.modified_at))));
  return section;
}

function fact(term, value) {
  return [h('dt', {}, term), h('dd', {}, value)];
}

function pretty(value) {
  if (value === null || value === undefined) return '—';
  try {
    return JSON.stringify(typeof value === 'string' ? JSON.parse(value) : value, null, 2);
  } catch (e) {
    return String(value);
  }
}

/** A sample event for one profile: its first event name (or console-test), addressed to it by profile_id. */
export function sampleEvent(profile) {
  const names = eventNames(profile);
  return {
    event: names?.[0] ?? 'console-test',
    channel: profile.channel === 'sms' ? 'sms' : 'console',
    profile_id: profile.profile_id,
    data: { test: true, sent_from: 'console', status: 'DELIVERED', recipient: '+10000000000' },
  };
}

export async function edit(session, id) {
  let profile = null;
  if (id) {
    try {
      profile = await session.call('GET', `${session.base}/profiles/${encodeURIComponent(id)}`);
    } catch (e) {
      return h('section', {}, h('h2', {}, 'Edit profile'), failure(e));
    }
  }
  const text = (name, value, attributes = {}) => h('input', { name, value: value ?? '', ...attributes });
  const area = (name, value) => h('textarea', { name, rows: 4, spellcheck: 'false' }, value ?? '');
  const controls = {
    title: text('title', profile?.title, { required: true, maxlength: 100 }),
    http_method: select('http_method', METHODS, profile?.http_method ?? 'POST'),
    url: text('url', profile?.url, { required: true, type: 'url', spellcheck: 'false' }),
    channel: select('channel', CHANNELS, profile?.channel ?? 'Default - No Channel Selected'),
    events: text('events', (eventNames(profile ?? {}) ?? []).join(', '), { spellcheck: 'false' }),
    body_type: select('body_type', BODY_TYPES, profile?.body_type ?? '', { '': 'json (default)' }),
    body: area('body', profile ? editable(profile.body) : '{"status": "<status>"}'),
    headers: area('headers', profile ? editable(profile.headers) : ''),
    response_message: text('response_message', profile?.response_message),
    enc: area('enc', profile?.enc ? JSON.stringify(profile.enc) : ''),
    auth: area('auth', profile?.auth ? JSON.stringify(profile.auth, null, 2) : ''),
    dynamic_variables: area('dynamic_variables', editable(profile?.dynamic_variables)),
    replacers: area('replacers', editable(configuredReplacers(profile?.replacers))),
  };
  if (profile) controls.channel.disabled = true;
  const form = h('form', { class: 'profile-form', novalidate: true, 'aria-labelledby': 'edit-heading' },
    formError(),
    field('Title', controls.title, { hint: '3–100 letters, digits, spaces, - and _; unique in the account.' }),
    field('HTTP method', controls.http_method),
    field('Callback URL', controls.url, { hint: 'May hold placeholders such as <status>.' }),
    field('Channel', controls.channel, { hint: profile ? 'The channel cannot change.' : null }),
    field('Events', controls.events, { hint: 'Comma-separated names, e.g. SMS-sent. Empty: every non-sms event (default channel only).' }),
    field('Body type', controls.body_type),
    field('Body template', controls.body, { hint: 'A JSON object for json, form and urlencoded; the template text for xml, html and text.' }),
    field('Headers', controls.headers, { hint: 'A JSON object, e.g. {"x-api-key": "…"}; empty for none.' }),
    field('Response message', controls.response_message),
    field('Encryption (enc)', controls.enc, { hint: 'JSON, e.g. {"algo": "AES-128-GCM", "key": "16 bytes key....", "params": ["status"]}; empty for none.' }),
    field('Callback authentication (auth)', controls.auth, { hint: 'JSON, e.g. {"type": "basic", "username": "…", "password": "…"} or an oauth2 object; a secret shown as ******** is kept when sent back unchanged; empty for none.' }),
    field('Dynamic variables', controls.dynamic_variables, { hint: 'A JSON object; empty for none.' }),
    field('Replacers', controls.replacers, { hint: 'A JSON object mapping a placeholder to a path in the event data; empty for none.' }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, profile ? 'Save changes' : 'Create profile'),
      link(profile ? `/profiles/${id}` : '/profiles', 'Cancel', { class: 'button' })));

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const { body, problems } = requestBody(controls, profile !== null);
    if (problems.length) {
      showProblems(form, problems);
      return;
    }
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    try {
      const saved = profile
        ? await session.call('PATCH', `${session.base}/profiles/${encodeURIComponent(id)}`, { body })
        : await session.call('POST', `${session.base}/profiles`, { body });
      announce(profile ? 'Profile saved.' : 'Profile created.');
      location.hash = `/profiles/${saved.profile_id}`;
    } catch (e) {
      if (e instanceof ApiError && e.envelope) showProblems(form, e.problems(), e.message);
      else showProblems(form, [], e.message);
    } finally {
      submit.disabled = false;
    }
  });
  return h('section', { 'aria-labelledby': 'edit-heading' },
    h('h2', { id: 'edit-heading' }, profile ? `Edit ${profile.title}` : 'New profile'), form);
}

/** Text for a JSON-ish field in the form: empty for nothing, else the object as JSON. */
function editable(value) {
  if (value === null || value === undefined) return '';
  const object = typeof value === 'string' ? safeParse(value) : value;
  if (object && typeof object === 'object' && Object.keys(object).length === 0) return '';
  return object && typeof object === 'object' ? JSON.stringify(object, null, 2) : String(value);
}

function safeParse(text) {
  try { return JSON.parse(text); } catch (e) { return text; }
}

/** The replacers a person configured: the response also lists every placeholder as itself, which needs no mapping. */
function configuredReplacers(replacers) {
  if (!replacers) return null;
  return Object.fromEntries(Object.entries(replacers).filter(([name, path]) => name !== path));
}

/**
 * The JSON the API receives. Text fields holding JSON go as strings (the API accepts a string holding an object and
 * reports what is wrong with it); `enc` and `auth` must be objects, so they are parsed here. On edit an emptied field is null.
 */
function requestBody(controls, editing) {
  const body = {};
  const problems = [];
  const optional = (name, value) => {
    if (value !== '') body[name] = value;
    else if (editing) body[name] = null;
  };
  body.title = controls.title.value.trim();
  body.http_method = controls.http_method.value;
  body.url = controls.url.value.trim();
  if (!editing) body.channel = controls.channel.value;
  const events = controls.events.value.split(',').map(name => name.trim()).filter(Boolean);
  if (events.length) body.events = events;
  else if (editing || body.channel === 'sms') body.events = null;
  optional('body_type', controls.body_type.value);
  optional('body', controls.body.value.trim());
  optional('headers', controls.headers.value.trim());
  optional('response_message', controls.response_message.value);
  optional('dynamic_variables', controls.dynamic_variables.value.trim());
  optional('replacers', controls.replacers.value.trim());
  for (const name of ['enc', 'auth']) {
    const text = controls[name].value.trim();
    if (text) {
      try {
        body[name] = JSON.parse(text);
      } catch (e) {
        problems.push({ place: `body/${name}`, text: `${name} is not JSON: ${e.message}` });
      }
    } else if (editing) {
      body[name] = null;
    }
  }
  return { body, problems };
}
