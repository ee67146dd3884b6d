// The HTTP API as the console calls it: the API key from sessionStorage, problems turned into ApiError(detail).

const KEY = 'lrnn.apiKey';

export const apiKey = {
    get: () => sessionStorage.getItem(KEY) ?? '',
    set: key => key ? sessionStorage.setItem(KEY, key) : sessionStorage.removeItem(KEY),
};

/** An answer other than 2xx, with the problem's detail (or the Open Inference error) as its message. */
export class ApiError extends Error {
    constructor(status, detail, type) {
        super(detail);
        this.status = status;
        this.type = type;
    }
}

export function headers(extra = {}) {
    const all = new Headers(extra);
    const key = apiKey.get();
    if (key) {
        all.set('Authorization', `Bearer ${key}`);
    }
    return all;
}

/** Reads a failed response as an ApiError; a 401 also tells the page (the key form shows it). */
export async function problem(response) {
    let detail = `${response.status} ${response.statusText}`.trim();
    let type;
    try {
        const body = await response.json();
        detail = body.detail ?? body.error ?? detail;
        type = body.type;
    } catch {
        // not JSON: keep the status line
    }
    const error = new ApiError(response.status, detail, type);
    if (response.status === 401) {
        window.dispatchEvent(new CustomEvent('lrnn:unauthorized', {detail: error}));
    }
    return error;
}

export async function request(method, path, {json, body, signal} = {}) {
    const all = headers({Accept: 'application/json'});
    if (json !== undefined) {
        all.set('Content-Type', 'application/json');
        body = JSON.stringify(json);
    }
    let response;
    try {
        response = await fetch(path, {method, headers: all, body, signal});
    } catch (e) {
        if (e.name === 'AbortError') {
            throw e;
        }
        throw new ApiError(0, `the server did not answer (${e.message})`);
    }
    if (!response.ok) {
        throw await problem(response);
    }
    window.dispatchEvent(new CustomEvent('lrnn:authorized'));
    if (response.status === 204) {
        return null;
    }
    return (response.headers.get('Content-Type') ?? '').includes('json') ? response.json() : response.text();
}

export const api = {
    get: (path, options) => request('GET', path, options),
    post: (path, json) => request('POST', path, {json}),
    put: (path, json) => request('PUT', path, {json}),
    delete: path => request('DELETE', path),
    upload: (method, path, form) => request(method, path, {body: form}),
};
