// Reading the engine's Prometheus text and turning two samples into the health page's numbers. Pure functions.

/** Parses Prometheus text exposition into [{name, labels, value}], skipping comments. */
export function parse(text) {
  const samples = [];
  const line = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
  const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (const row of text.split('\n')) {
    if (!row || row.startsWith('#')) continue;
    const match = line.exec(row);
    if (!match) continue;
    const labels = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(label)) labels[name] = value.replace(/\\(.)/g, '$1');
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of a metric's samples whose labels include `where`. */
export function sum(samples, name, where = {}) {
  return samples.filter(s => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + (Number.isFinite(s.value) ? s.value : 0), 0);
}

/** The numbers the health page draws from one scrape. */
export function reading(samples, at) {
  const attempts = samples.filter(s => s.name === 'callback_attempts_total');
  return {
    at,
    pending: sum(samples, 'callback_queue_deliveries', { state: 'pending' }),
    delivering: sum(samples, 'callback_queue_deliveries', { state: 'delivering' }),
    held: sum(samples, 'callback_queue_deliveries', { state: 'held' }),
    lag: sum(samples, 'callback_queue_lag_seconds'),
    finished: sum(samples, 'callback_deliveries_finished_total'),
    attempts: attempts.reduce((t, s) => t + s.value, 0),
    failedAttempts: attempts.filter(s => s.labels.result !== '2xx').reduce((t, s) => t + s.value, 0),
  };
}

/**
 * Between two readings: deliveries finished per second, and the share of attempts that failed (null when there was
 * no attempt). A counter that went down means the process restarted: the interval is skipped (null).
 */
export function rates(previous, current) {
  const seconds = (current.at - previous.at) / 1000;
  const finished = current.finished - previous.finished;
  const attempts = current.attempts - previous.attempts;
  const failed = current.failedAttempts - previous.failedAttempts;
  if (seconds <= 0 || finished < 0 || attempts < 0 || failed < 0) return { perSecond: null, failureRatio: null };
  return { perSecond: finished / seconds, failureRatio: attempts > 0 ? failed / attempts : null };
}
