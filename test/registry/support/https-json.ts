/** JSON over HTTPS with an optional client certificate (mutual TLS) or bearer token, as a production-line client sends it. */
import { request } from 'node:https';

export interface HttpsClient {
  /** PEM of the CA the server certificate is checked against. */
  ca: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
  token?: string;
}

export interface JsonAnswer {
  status: number;
  contentType: string;
  body: any;
}

export function httpsJson(port: number, method: string, path: string, client: HttpsClient, body?: unknown): Promise<JsonAnswer> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        servername: 'localhost',
        ca: client.ca,
        ...(client.cert ? { cert: client.cert, key: client.key } : {}),
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          ...(client.token ? { authorization: `Bearer ${client.token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode!, contentType: String(res.headers['content-type'] ?? ''), body: text ? JSON.parse(text) : {} });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
