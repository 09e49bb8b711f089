import type { Delivery, OutgoingMessage } from "./delivery.ts";

/**
 * The default delivery for local development: prints each message, code included, on stdout.
 * (A delivery, not a log: that is where a developer reads the code.)
 */
export class ConsoleDelivery implements Delivery {
  private readonly write: (line: string) => void;
  constructor(write: (line: string) => void = (l) => process.stdout.write(l)) {
    this.write = write;
  }
  async send(m: OutgoingMessage): Promise<void> {
    const subject = m.subject ? ` subject="${m.subject}"` : "";
    this.write(
      `[${m.channel.toLowerCase()} to ${m.destination}] pool=${m.poolId} user=${m.username} purpose=${m.purpose}${subject}\n${m.body}\n`,
    );
  }
}
