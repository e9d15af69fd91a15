/**
 * A local HTTP server on 127.0.0.1 that replays saved pages: each endpoint's pages are served
 * in order, the next one chosen by the `page` cursor the previous page gave; faults (429, 500,
 * cut-off bodies, refusals) are queued per endpoint and page and served before the page.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body: string;
  /** Announce the whole body but send only this many bytes, then drop the connection. */
  cutAfter?: number;
  /** Send the headers and this many bytes, then nothing more (the client must time out). */
  stallAfter?: number;
}

export interface Seen {
  url: URL;
  headers: IncomingHttpHeaders;
}

export interface Replay {
  base: string;
  requests: Seen[];
  /** Pages of one endpoint path, as the bodies to send. */
  pages: Map<string, string[]>;
  /** Served, in order, before page `index` of `path`. */
  fault(path: string, index: number, ...replies: Reply[]): void;
  close(): Promise<void>;
}

const EMPTY_PAGE = '{"object":"page","data":[],"has_more":false,"next_page":null}';

/** Which page a request asks for: the first without a cursor, else the one after the page whose next_page it is. */
function pageIndex(pages: string[], cursor: string | null): number {
  if (cursor === null) return 0;
  const i = pages.findIndex((p) => (JSON.parse(p) as { next_page?: string }).next_page === cursor);
  return i < 0 ? -1 : i + 1;
}

export async function startReplay(emptyFor: (path: string) => boolean = () => false): Promise<Replay> {
  const pages = new Map<string, string[]>();
  const faults = new Map<string, Reply[]>();
  const requests: Seen[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ url, headers: req.headers });
    const list = pages.get(url.pathname) ?? (emptyFor(url.pathname) ? [EMPTY_PAGE] : null);
    const index = list ? pageIndex(list, url.searchParams.get('page')) : -1;
    const queued = faults.get(`${url.pathname}#${index}`);
    const reply: Reply = queued?.length
      ? queued.shift()!
      : list && index >= 0 && index < list.length
        ? { body: list[index]! }
        : { status: 404, body: '{"error":{"message":"no such page in the replay","type":"invalid_request_error"}}' };
    const body = Buffer.from(reply.body);
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', 'content-length': String(body.length), ...reply.headers });
    if (reply.stallAfter !== undefined) {
      res.write(body.subarray(0, reply.stallAfter));
      return;
    }
    if (reply.cutAfter !== undefined) {
      res.write(body.subarray(0, reply.cutAfter), () => res.destroy());
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    pages,
    fault(path, index, ...replies) {
      faults.set(`${path}#${index}`, [...(faults.get(`${path}#${index}`) ?? []), ...replies]);
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The elements of a top-level JSON array, each as its own text (indentation and all). */
export function splitTopLevelArray(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 1 && start < 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 1 && start >= 0) {
        out.push(text.slice(start, i + 1));
        start = -1;
      }
    }
  }
  return out;
}
