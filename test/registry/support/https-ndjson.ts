/** NDJSON streamed over HTTPS with a client certificate: the body written as the test says, the answer read line by line. */
import type { ClientRequest, IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { createInterface } from 'node:readline';
import type { HttpsClient } from './https-json';

export interface NdjsonExchange {
  /** The request, still open: write lines, then end() it. */
  request: ClientRequest;
  /** Resolves with the answer's status and headers as soon as they arrive (before the body is sent, possibly). */
  response: Promise<IncomingMessage>;
}

export function openNdjsonStream(port: number, path: string, client: HttpsClient, contentType = 'application/x-ndjson'): NdjsonExchange {
  let req!: ClientRequest;
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        servername: 'localhost',
        ca: client.ca,
        ...(client.cert ? { cert: client.cert, key: client.key } : {}),
        headers: { 'content-type': contentType, ...(client.token ? { authorization: `Bearer ${client.token}` } : {}) },
      },
      resolve,
    );
    req.on('error', reject);
  });
  req.flushHeaders();
  return { request: req, response };
}

/** The answer's lines, parsed, as they arrive. */
export async function* answerLines(response: IncomingMessage): AsyncGenerator<any> {
  for await (const line of createInterface({ input: response, crlfDelay: Infinity })) if (line.trim()) yield JSON.parse(line);
}

/** Sends `lines` as one body and collects the whole answer. */
export async function postNdjson(port: number, path: string, client: HttpsClient, lines: readonly string[], contentType?: string): Promise<{ status: number; contentType: string; lines: any[] }> {
  const { request: req, response } = openNdjsonStream(port, path, client, contentType);
  req.end(lines.map((line) => `${line}\n`).join(''));
  const answer = await response;
  const parsed: any[] = [];
  for await (const line of answerLines(answer)) parsed.push(line);
  return { status: answer.statusCode!, contentType: String(answer.headers['content-type'] ?? ''), lines: parsed };
}
