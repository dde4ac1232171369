import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signatures older (or further in the future) than this are refused, and remembered for this long. */
export const SIGNATURE_MAX_AGE_MS = 5 * 60_000;

export function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The signature header value for `body`: `t=<unix ms>,v1=<hex HMAC-SHA256(t + "." + body)>`. */
export function signatureHeader(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

function parseHeader(header: string): { timestamp: number; signatures: string[] } | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && v && /^\d{1,15}$/.test(v)) timestamp = Number(v);
    else if (k === 'v1' && v && /^[0-9a-f]{64}$/.test(v)) signatures.push(v);
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}

function equalHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export type VerifyResult =
  | { ok: true; timestamp: number; signature: string }
  | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/**
 * Check a signed body against every accepted key (current and next, for rotation) in constant time.
 * Replay protection is the caller's: remember `signature` until `timestamp + SIGNATURE_MAX_AGE_MS`.
 */
export function verifySignature(
  header: string | undefined,
  body: string,
  secrets: readonly string[],
  now: number,
): VerifyResult {
  const parsed = header ? parseHeader(header) : undefined;
  if (!parsed) return { ok: false, reason: 'malformed' };
  if (Math.abs(now - parsed.timestamp) > SIGNATURE_MAX_AGE_MS) return { ok: false, reason: 'stale' };
  let match: string | undefined;
  // Every candidate is compared, so the time taken does not tell which key or signature matched.
  for (const secret of secrets) {
    const expected = hmacHex(secret, parsed.timestamp, body);
    for (const given of parsed.signatures) if (equalHex(expected, given) && !match) match = given;
  }
  return match ? { ok: true, timestamp: parsed.timestamp, signature: match } : { ok: false, reason: 'mismatch' };
}
