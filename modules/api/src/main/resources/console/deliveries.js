// The delivery log of one profile (filtered by status, paged, newest first) and one delivery with every attempt.
import { h, field, table, pager, failure, announce, time, link } from './view.js';

const STATUSES = ['pending', 'delivering', 'delivered', 'failed', 'held', 'cancelled'];

function outcomeOf(delivery) {
  if (delivery.last_http_status !== null) return `HTTP ${delivery.last_http_status}`;
  return delivery.last_error ?? '—';
}

export async function log(session, profileId) {
  let profile;
  try {
    profile = await session.call('GET', `${session.base}/profiles/${encodeURIComponent(profileId)}`);
  } catch (e) {
    return h('section', {}, h('h2', {}, 'Delivery log'), failure(e), link('/profiles', 'Back to profiles'));
  }
  const filters = { status: '', offset: 0 };
  const results = h('div', { class: 'results', 'aria-live': 'polite' });
  const status = h('select', { name: 'status' }, h('option', { value: '' }, 'any'),
    STATUSES.map(s => h('option', { value: s }, s)));
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter deliveries' },
    field('Status', status, { name: 'status' }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, 'Apply filter'),
      h('button', { type: 'button', onclick: () => load() }, 'Refresh')));

  async function load() {
    results.replaceChildren(h('p', { class: 'loading' }, 'Loading deliveries…'));
    try {
      const page = await session.call('GET', `${session.base}/profiles/${encodeURIComponent(profileId)}/deliveries`,
        { query: { status: filters.status, offset: filters.offset, limit: 20 } });
      results.replaceChildren(
        table(`Deliveries of ${profile.title}, newest first`,
          ['Delivery', 'Event', 'Status', 'Attempts', 'Last outcome', 'Created', 'Next attempt'],
          page.deliveries.map(d => [link(`/deliveries/${d.delivery_id}`, d.delivery_id, { class: 'mono' }), d.event,
            h('span', { class: `badge delivery-${d.status}` }, d.status), String(d.attempt_count), outcomeOf(d),
            time(d.created_at), time(d.next_attempt_at)]),
          filters.status ? `No ${filters.status} delivery for this profile.`
            : 'No delivery for this profile yet: publish an event, or use "Send test event" on the profile.'),
        pager(page, offset => { filters.offset = offset; load(); }));
    } catch (e) {
      results.replaceChildren(failure(e));
    }
  }

  form.addEventListener('submit', event => {
    event.preventDefault();
    filters.status = status.value;
    filters.offset = 0;
    load();
  });
  load();
  return h('section', { 'aria-labelledby': 'log-heading' },
    h('div', { class: 'heading-row' }, h('h2', { id: 'log-heading' }, `Delivery log: ${profile.title}`),
      link(`/profiles/${profileId}`, 'Back to the profile', { class: 'button' })),
    form, results, replayForm(session, profileId, () => load()));
}

/** Puts the profile's finished deliveries of a time range back in the queue (POST …/replay), after an outage. */
function replayForm(session, profileId, reload) {
  const since = h('input', { type: 'datetime-local', name: 'since', required: true, step: 1 });
  const until = h('input', { type: 'datetime-local', name: 'until', step: 1 });
  const failed = h('input', { type: 'checkbox', name: 'failed', checked: true });
  const delivered = h('input', { type: 'checkbox', name: 'delivered' });
  const outcome = h('div', { class: 'outcome', role: 'status' });
  const form = h('form', { class: 'filters', 'aria-labelledby': 'replay-heading' },
    h('h3', { id: 'replay-heading' }, 'Replay finished deliveries'),
    h('p', { class: 'hint' }, 'Sends the deliveries created in this range again (at most 10,000 a time), with the same '
      + 'webhook-id; their retry schedule starts again.'),
    field('Created from (your time)', since, { name: 'since' }),
    field('Created until (empty: now)', until, { name: 'until' }),
    h('fieldset', {}, h('legend', {}, 'Which'),
      h('label', {}, failed, ' failed'), h('label', {}, delivered, ' delivered')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Replay')),
    outcome);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const statuses = [failed.checked && 'failed', delivered.checked && 'delivered'].filter(Boolean);
    const body = { since: new Date(since.value).toISOString(), status: statuses };
    if (until.value) body.until = new Date(until.value).toISOString();
    try {
      const result = await session.call('POST', `${session.base}/profiles/${encodeURIComponent(profileId)}/replay`,
        { body });
      const message = `Replayed ${result.replayed} deliveries${result.more ? '; more match: replay again' : ''}.`;
      outcome.replaceChildren(h('p', { class: 'notice ok' }, message));
      announce(message);
      reload();
    } catch (e) {
      outcome.replaceChildren(failure(e));
    }
  });
  return form;
}

export async function show(session, deliveryId) {
  let delivery;
  try {
    delivery = await session.call('GET', `${session.base}/deliveries/${encodeURIComponent(deliveryId)}`);
  } catch (e) {
    return h('section', {}, h('h2', {}, 'Delivery'), failure(e));
  }
  const section = h('section', { 'aria-labelledby': 'delivery-heading' });
  const outcome = h('div', { class: 'outcome', role: 'status' });
  const retry = h('button', { type: 'button', class: 'primary', onclick: async () => {
    retry.disabled = true;
    try {
      const queued = await session.call('POST', `${session.base}/deliveries/${encodeURIComponent(deliveryId)}/retry`);
      const fresh = await show(session, deliveryId);
      section.replaceWith(fresh);
      const message = `Re-queued: the delivery is ${queued.status}. Refresh to see the new attempt.`;
      fresh.querySelector('.outcome').replaceChildren(h('p', { class: 'notice ok' }, message));
      fresh.querySelector('h2').focus();
      announce(message);
    } catch (e) {
      outcome.replaceChildren(failure(e));
      retry.disabled = false;
    }
  } }, 'Retry now');
  const refresh = h('button', { type: 'button', onclick: async () => {
    const fresh = await show(session, deliveryId);
    section.replaceWith(fresh);
    fresh.querySelector('h2').focus();
  } }, 'Refresh');

  section.append(
    h('div', { class: 'heading-row' }, h('h2', { id: 'delivery-heading' }, `Delivery ${delivery.delivery_id}`),
      h('span', { class: `badge delivery-${delivery.status}` }, delivery.status)),
    outcome,
    h('div', { class: 'actions' }, retry, refresh,
      link(`/profiles/${delivery.profile_id}/deliveries`, 'Delivery log', { class: 'button' })),
    h('dl', { class: 'facts' },
      [['Event', `${delivery.event} (${delivery.event_id})`], ['Channel', delivery.channel],
        ['Profile', link(`/profiles/${delivery.profile_id}`, delivery.profile_id)],
        ['Attempts', String(delivery.attempt_count)], ['Created', time(delivery.created_at)],
        ['Next attempt', time(delivery.next_attempt_at)], ['Finished', time(delivery.finished_at)]]
        .map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
    h('h3', {}, 'Attempts'),
    table(`Attempts of ${delivery.delivery_id}, oldest first`,
      ['#', 'Started', 'Duration', 'Status or error', 'Response excerpt', 'Unknown placeholders'],
      delivery.attempts.map(a => [String(a.attempt), time(a.started_at), `${a.duration_ms} ms`,
        a.http_status !== null ? `HTTP ${a.http_status}` : (a.error ?? '—'),
        a.response_excerpt ? h('pre', { class: 'excerpt' }, a.response_excerpt) : '—',
        a.unknown_placeholders.length ? a.unknown_placeholders.join(', ') : '—']),
      delivery.status === 'held' ? 'No attempt: the delivery is held while its profile is disabled.'
        : 'No attempt yet: the first one is due at the time above.'));
  return section;
}
