import { createTransport, type Transporter } from 'nodemailer';
import type { WatchConfig } from '../../config/app-config.js';
import { digestSubject, digestText } from '../watch-digest.js';
import { destinationsFor } from '../watch-routing.js';
import type { Finding } from '../watch-rules.js';
import { groupByTarget, type Delivery, type Notifier } from './notifier.port.js';

type EmailConfig = NonNullable<WatchConfig['email']>;

/** One plain-text digest mail per recipient, through SMTP_URL. */
export class EmailNotifier implements Notifier {
  readonly channel = 'email';
  private transport?: Transporter;

  constructor(private readonly config: EmailConfig) {}

  route(findings: Finding[]): Delivery[] {
    return groupByTarget(findings, 'email', (f) =>
      destinationsFor(this.config.to, f.rule, f.severity),
    );
  }

  preview(delivery: Delivery, generatedAt: Date): string {
    const to = delivery.target.slice('email:'.length);
    return `To: ${to}\nSubject: ${digestSubject(delivery.findings)}\n\n${digestText(delivery.findings, generatedAt)}`;
  }

  async send(delivery: Delivery, generatedAt: Date): Promise<void> {
    this.transport ??= createTransport({
      url: this.config.smtpUrl,
      logger: false,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    await this.transport.sendMail({
      from: this.config.from,
      to: delivery.target.slice('email:'.length),
      subject: digestSubject(delivery.findings),
      text: digestText(delivery.findings, generatedAt),
    });
  }

  /** SMTP 5xx answers (bad recipient, refused sender) will not heal by retrying now. */
  isTransient(error: unknown): boolean {
    const code = (error as { responseCode?: number }).responseCode;
    return !(typeof code === 'number' && code >= 500 && code < 600);
  }

  close(): void {
    this.transport?.close();
  }
}
