// Server-Sent Events over fetch(): EventSource cannot send the Authorization header.

import {headers, problem} from './api.js';

/**
 * Splits a text/event-stream into events ({event, data, id}) as chunks arrive. Lines end with
 * \n, \r\n or \r; a blank line dispatches; lines starting with ':' are comments.
 */
export class EventStreamParser {
    constructor(onEvent) {
        this.onEvent = onEvent;
        this.buffer = '';
        this.afterCarriageReturn = false;
        this.reset();
    }

    reset() {
        this.event = '';
        this.data = [];
        this.id = null;
        this.retry = null;
    }

    push(chunk) {
        // A \r at the end of one chunk and a \n at the start of the next are one line end.
        const text = this.afterCarriageReturn && chunk.startsWith('\n') ? chunk.slice(1) : chunk;
        this.afterCarriageReturn = chunk.endsWith('\r');
        const lines = (this.buffer + text).split(/\r\n|\r|\n/);
        this.buffer = lines.pop();
        lines.forEach(line => this.line(line));
    }

    line(line) {
        if (line === '') {
            if (this.data.length > 0 || this.event) {
                this.onEvent({event: this.event || 'message', data: this.data.join('\n'), id: this.id});
            }
            this.reset();
            return;
        }
        if (line.startsWith(':')) {
            return;
        }
        const colon = line.indexOf(':');
        const name = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) {
            value = value.slice(1);
        }
        if (name === 'event') {
            this.event = value;
        } else if (name === 'data') {
            this.data.push(value);
        } else if (name === 'id') {
            this.id = value;
        } else if (name === 'retry' && /^\d+$/.test(value)) {
            this.retry = Number(value);
        }
    }
}

/**
 * Follows an event stream until an 'end' event or close(): a dropped stream is reopened after
 * a pause with Last-Event-ID set to the last id seen, so no event is lost or repeated.
 * A 4xx answer stops (onError); a 5xx or a network failure is retried (after its Retry-After, if any).
 */
export function follow(path, {onEvent, onError, onReconnect}) {
    const controller = new AbortController();
    let lastId = null;
    let pause = 1000;
    let ended = false;

    async function once() {
        const all = headers({Accept: 'text/event-stream'});
        if (lastId != null) {
            all.set('Last-Event-ID', lastId);
        }
        const response = await fetch(path, {headers: all, signal: controller.signal, cache: 'no-store'});
        if (!response.ok) {
            const error = await problem(response);
            error.final = response.status < 500;
            // 503 (too many streams on this replica, or it is stopping) says when to come back.
            error.retryMillis = 1000 * Number(response.headers.get('Retry-After')) || null;
            throw error;
        }
        const parser = new EventStreamParser(event => {
            if (event.id != null && event.id !== '') {
                lastId = event.id;
            }
            if (event.event === 'end') {
                ended = true;
            }
            onEvent(event);
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
            const {value, done} = await reader.read();
            if (done) {
                break; // an event cut off without its blank line is dropped, as EventSource does
            }
            parser.push(value);
            if (parser.retry != null) {
                pause = parser.retry;
            }
        }
    }

    (async () => {
        while (!ended && !controller.signal.aborted) {
            let wait = pause;
            try {
                await once();
            } catch (e) {
                wait = e.retryMillis ?? pause;
                if (controller.signal.aborted) {
                    return;
                }
                if (e.final) {
                    onError(e);
                    return;
                }
            }
            if (!ended && !controller.signal.aborted) {
                await new Promise(resolve => setTimeout(resolve, wait));
                onReconnect?.(lastId);
            }
        }
    })();

    return {close: () => controller.abort()};
}
