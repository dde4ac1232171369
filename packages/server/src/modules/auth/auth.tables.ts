import type { Role } from '@switchboard/protocol';
import { sql } from 'kysely';
import type { ModuleMigration } from '../../platform/db/migration.js';

export interface SessionsTable {
  id: string;
  orgId: string;
  userId: string;
  kind: 'user' | 'visitor';
  /**
   * The user's role when the session began. A role change ends the user's sessions, so this is the role
   * every call of the session acts with, whatever an access token claims.
   */
  role: Role;
  /** sha256 (hex) of the current refresh token; the token itself is never stored. */
  refreshTokenHash: string;
  createdAt: number;
  /** Last sign of life (refresh, authenticated request), for the idle timeout. */
  lastActivityAt: number;
  /** Absolute end of the session. */
  expiresAt: number;
  revokedAt: number | null;
  revokedReason: string | null;
}

/** Refresh tokens already exchanged: presenting one again means it leaked, so the session is revoked. */
export interface SessionRotatedTokensTable {
  tokenHash: string;
  sessionId: string;
  rotatedAt: number;
}

export interface AuthTables {
  sessions: SessionsTable;
  sessionRotatedTokens: SessionRotatedTokensTable;
}

export const authMigrations: ModuleMigration[] = [
  {
    name: '0102_auth_sessions',
    async up(db) {
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('userId', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('refreshTokenHash', 'text', (c) => c.notNull().unique())
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .addColumn('lastActivityAt', 'bigint', (c) => c.notNull())
        .addColumn('expiresAt', 'bigint', (c) => c.notNull())
        .addColumn('revokedAt', 'bigint')
        .addColumn('revokedReason', 'text')
        .execute();
      await db.schema.createIndex('sessions_user_idx').on('sessions').columns(['orgId', 'userId']).execute();
      // The socket watcher asks "what was revoked since my last look" every second.
      await db.schema.createIndex('sessions_revoked_idx').on('sessions').column('revokedAt').execute();
      await db.schema
        .createTable('sessionRotatedTokens')
        .addColumn('tokenHash', 'text', (c) => c.primaryKey())
        .addColumn('sessionId', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
        .addColumn('rotatedAt', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('session_rotated_tokens_session_idx')
        .on('sessionRotatedTokens')
        .column('sessionId')
        .execute();
    },
  },
  {
    name: '0980_auth_session_role',
    async up(db) {
      // Least privilege until the backfill below names the real role.
      await db.schema
        .alterTable('sessions')
        .addColumn('role', 'text', (c) => c.notNull().defaultTo('customer'))
        .execute();
      await sql`update sessions set role = (select u.role from users u where u.id = sessions.user_id)`.execute(db);
    },
  },
];
