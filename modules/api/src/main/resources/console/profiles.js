// Profiles: the filtered, paged list, and one profile with its actions (the form is profile-form.js).
import { ApiError } from './api.js';
import { h, field, formError, showProblems, clearProblems, table, pager, failure, announce, time, link, select }
  from './view.js';

export const STATUS = { 1: 'active', 2: 'auto-disabled', 3: 'disabled' };
export const CHANNELS = ['sms', 'Default - No Channel Selected'];

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
