// The create and edit form of a profile: every field, and the API's own validation messages next to the fields
// they name.
import { ApiError } from './api.js';
import { h, field, formError, showProblems, failure, announce, link, select } from './view.js';
import { CHANNELS, eventNames } from './profiles.js';

const METHODS = ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'];
const BODY_TYPES = ['', 'json', 'form', 'urlencoded', 'xml', 'html', 'text'];

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
    policy: area('policy', profile?.policy ? JSON.stringify(profile.policy) : ''),
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
    field('Delivery policy', controls.policy, { hint: 'JSON: retry_schedule, timeout, max_in_flight, rate_limit, final_statuses, as they apply now; sent only when changed; empty returns to the engine\'s defaults.' }),
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
 * reports what is wrong with it); `enc`, `auth` and `policy` must be objects, so they are parsed here. On edit an emptied
 * field is null.
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
  for (const name of ['enc', 'auth', 'policy']) {
    const text = controls[name].value.trim();
    if (name === 'policy' && text === controls.policy.defaultValue.trim()) {
      continue; // shown as it applies, defaults included: unchanged, it is not sent, so no default becomes pinned
    }
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
