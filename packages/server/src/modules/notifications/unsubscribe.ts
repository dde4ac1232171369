import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed unsubscribe tokens for email links: `base64url(orgId.userId).hmac`. The key is the deployment's
 * token key (JWT_SECRET or the generated one), with a purpose label so no other signature can pass as one.
 */
export function unsubscribeTokens(key: Uint8Array) {
  const sign = (body: string) =>
    createHmac('sha256', key).update(`notifications.unsubscribe:${body}`).digest('base64url');
  return {
    create(orgId: string, userId: string): string {
      const body = Buffer.from(`${orgId}.${userId}`).toString('base64url');
      return `${body}.${sign(body)}`;
    },
    /** The user the token names, or undefined for a token that is malformed or not ours. */
    verify(token: string): { orgId: string; userId: string } | undefined {
      const [body, mac, extra] = token.split('.');
      if (!body || !mac || extra !== undefined) return undefined;
      const want = Buffer.from(sign(body));
      const got = Buffer.from(mac);
      if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
      const [orgId, userId] = Buffer.from(body, 'base64url').toString('utf8').split('.');
      return orgId && userId ? { orgId, userId } : undefined;
    },
  };
}
