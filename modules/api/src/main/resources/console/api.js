// The public HTTP API, as the console calls it: same origin, the same headers a script would send, and the
// credentials held by a Session object in this tab's memory only (never in storage, a cookie or the page).

/** A refusal or failure of the API: the HTTP status and the envelope the API answered (null when none). */
export class ApiError extends Error {
  constructor(status, envelope, message) {
    super(message);
    this.status = status;
    this.envelope = envelope;
  }

  /** The envelope's problems as {place, text} pairs ("body/title must ..." → place "body/title"). */
  problems() {
    const items = Array.isArray(this.envelope?.error) ? this.envelope.error : [];
    return items.flatMap(item => Object.values(item)).map(text => {
      const quoted = /required property '([^']+)'/.exec(text);
      const place = quoted ? `body/${quoted[1]}` : String(text).split(' ')[0];
      return { place, text: String(text) };
    });
  }
}

/** Who is signed in, and how their requests are authenticated. */
export class Session {
  /** A tenant: the account's sid and one of its API keys (header `api-key`). */
  static tenant(sid, apiKey) {
    return new Session('tenant', sid, { 'api-key': apiKey });
  }

  /** An operator: the admin token (`Authorization: Bearer`). */
  static operator(token) {
    return new Session('operator', null, { authorization: `Bearer ${token}` });
  }

  constructor(kind, sid, credentials) {
    this.kind = kind;
    this.sid = sid;
    // Not enumerable: never shown by a debugger's object preview or serialised by mistake.
    Object.defineProperty(this, 'credentials', { value: Object.freeze({ ...credentials }), enumerable: false });
  }

  /** The tenant routes' prefix, `/v1/{sid}/callback`. */
  get base() {
    return `/v1/${encodeURIComponent(this.sid)}/callback`;
  }

  /** Calls the API; answers the envelope's `data`, or throws an ApiError carrying the envelope. */
  async call(method, path, { query = {}, body } = {}) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') params.set(name, value);
    }
    const search = params.toString();
    const url = search ? `${path}?${search}` : path;
    const headers = { accept: 'application/json', ...this.credentials };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response;
    try {
      response = await fetch(url, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit', cache: 'no-store', redirect: 'error',
      });
    } catch (e) {
      throw new ApiError(0, null, `The engine did not answer (${e.message}).`);
    }
    let envelope = null;
    try {
      envelope = await response.json();
    } catch (e) {
      // not JSON: reported below by status
    }
    if (!response.ok) {
      throw new ApiError(response.status, envelope, envelope?.message ?? `HTTP ${response.status}`);
    }
    return envelope?.data;
  }
}

/** A management route (no credentials, no envelope): answers the response's text and status. */
export async function management(path) {
  const response = await fetch(path, { credentials: 'omit', cache: 'no-store' });
  return { status: response.status, text: await response.text() };
}
