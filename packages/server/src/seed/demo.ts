import type { Role } from '@switchboard/protocol';
import { knowledgeService } from '../modules/knowledge/knowledge.service.js';
import { orgsService } from '../modules/orgs/orgs.service.js';
import { usersService } from '../modules/users/users.service.js';
import type { Platform } from '../platform/platform.js';
import { DEMO_ARTICLES } from './demo-kb.js';

export const DEMO_ORG = { slug: 'demo', name: 'Demo Company' } as const;
export const DEMO_PASSWORD = 'switchboard-demo';
export const DEMO_USERS: readonly { email: string; displayName: string; role: Role }[] = [
  { email: 'admin@demo.example', displayName: 'Ada Admin', role: 'admin' },
  { email: 'supervisor@demo.example', displayName: 'Sam Supervisor', role: 'supervisor' },
  { email: 'agent@demo.example', displayName: 'Alex Agent', role: 'agent' },
  { email: 'customer@demo.example', displayName: 'Casey Customer', role: 'customer' },
];

export type DemoSeedResult = { created: boolean; org: string; logins: { email: string; role: Role }[] };

/** Create the demo org and its users; a second run changes nothing. */
export async function seedDemo(platform: Platform): Promise<DemoSeedResult> {
  const orgs = orgsService(platform);
  const users = usersService(platform);
  const logins = DEMO_USERS.map(({ email, role }) => ({ email, role }));
  const existing = await orgs.getBySlug(DEMO_ORG.slug).catch(() => undefined);
  if (existing) return { created: false, org: existing.slug, logins };
  const org = await orgs.create(DEMO_ORG);
  for (const u of DEMO_USERS) await users.create(org.id, { ...u, password: DEMO_PASSWORD });
  await knowledgeService(platform).import(org.id, null, { articles: [...DEMO_ARTICLES] });
  return { created: true, org: org.slug, logins };
}

/** The first start of an empty embedded install gets the demo org, so a newcomer can log in at once. */
export async function seedDemoIfEmpty(platform: Platform): Promise<DemoSeedResult | undefined> {
  if ((await orgsService(platform).count()) > 0) return undefined;
  return seedDemo(platform);
}
