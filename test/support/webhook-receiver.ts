import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookPost {
  path: string;
  body: { text: string; channel?: string };
}

/** A local Slack-like incoming webhook: records JSON posts; `failNext(n, status)` fails n posts. */
export class WebhookReceiver {
  readonly posts: WebhookPost[] = [];
  attempts = 0;
  private failures = 0;
  private failureStatus = 500;

  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.attempts++;
        if (this.failures > 0) {
          this.failures--;
          res.writeHead(this.failureStatus, { 'content-type': 'text/plain' });
          res.end('invalid_payload');
          return;
        }
        this.posts.push({
          path: req.url ?? '',
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPost['body'],
        });
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      });
    });
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path = '/services/T0001/B0001/s3cretHookToken'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  failNext(count: number, status = 500): void {
    this.failures = count;
    this.failureStatus = status;
  }

  /** Posts since the last take, sorted by channel ('' = the webhook's own channel first). */
  take(): WebhookPost[] {
    return this.posts
      .splice(0)
      .sort((a, b) => ((a.body.channel ?? '') < (b.body.channel ?? '') ? -1 : 1));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
