/**
 * A plain HTTP client (one connection per request, so nothing lingers after the services stop) that keeps every
 * answer it received, so a test can check afterwards that no answer ever carried a secret.
 */
import { request } from 'node:http';

export interface HttpAnswer {
  status: number;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON (problem documents included); untyped because tests assert on many shapes. */
  body: any;
}

export interface HttpRequestOptions {
  method?: 'GET' | 'POST';
  token?: string;
  json?: unknown;
}

export class RecordingHttpClient {
  private readonly answers: string[] = [];

  /** Every body received so far. */
  get bodies(): readonly string[] {
    return this.answers;
  }

  send(url: string, options: HttpRequestOptions = {}): Promise<HttpAnswer> {
    const payload = options.json === undefined ? undefined : JSON.stringify(options.json);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (payload !== undefined) headers['content-type'] = 'application/json';
    return new Promise((resolve, reject) => {
      const req = request(url, { method: options.method ?? 'GET', headers, agent: false, timeout: 15_000 }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          this.answers.push(text);
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            headers: res.headers,
            text,
            body: parseJson(text),
          });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 15 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
