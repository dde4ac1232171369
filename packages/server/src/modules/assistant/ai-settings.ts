import { randomBytes } from 'node:crypto';
import { type AiSettings, SERVICE_ACCOUNT_DOMAIN } from '@switchboard/protocol';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import { usersService } from '../users/users.service.js';
import { type AiSettingsRow, assistantRepo } from './assistant.repo.js';

export const DEFAULT_SETTINGS = {
  enabled: true,
  threshold: 0.75,
  approvalTimeoutMs: 120_000,
  agentCapacity: 5,
  staffLabel: 'agent' as const,
};

/**
 * An org's AI settings (enabled, threshold, approval timeout, agent capacity) and the AI's own user, created
 * with the settings on first use (once, even when several calls race).
 */
export function aiSettings(platform: Platform) {
  const repo = assistantRepo(platform.database);
  const users = usersService(platform);
  const settingsCreating = new Map<string, Promise<AiSettingsRow>>();

  async function settingsRow(orgId: string): Promise<AiSettingsRow> {
    const found = await repo.settings(orgId);
    if (found) return found;
    let p = settingsCreating.get(orgId);
    if (!p) {
      p = (async () => {
        // The AI speaks as a user of the org: agent role (it answers customers), no usable password.
        const ai = await users.create(orgId, {
          email: `ai-assistant+${orgId.slice(0, 8)}@${SERVICE_ACCOUNT_DOMAIN}`,
          displayName: 'AI assistant',
          password: randomBytes(24).toString('base64url'),
          role: 'agent',
        });
        await repo.insertSettings({
          orgId,
          ...DEFAULT_SETTINGS,
          enabled: 1,
          aiUserId: ai.id,
          updatedAt: platform.clock.now(),
        });
        const row = await repo.settings(orgId);
        if (!row) throw new AppError('internal', 'assistant settings vanished');
        return row;
      })().finally(() => settingsCreating.delete(orgId));
      settingsCreating.set(orgId, p);
    }
    return p;
  }

  const toSettings = (r: AiSettingsRow): AiSettings => ({
    enabled: r.enabled === 1,
    threshold: Number(r.threshold),
    approvalTimeoutMs: Number(r.approvalTimeoutMs),
    agentCapacity: Number(r.agentCapacity),
    staffLabel: r.staffLabel === 'team' ? 'team' : 'agent',
  });

  return {
    settingsRow,
    toSettings,
    async settings(orgId: string): Promise<AiSettings> {
      return toSettings(await settingsRow(orgId));
    },
    async updateSettings(orgId: string, patch: Partial<AiSettings>): Promise<AiSettings> {
      await settingsRow(orgId);
      await repo.updateSettings(orgId, {
        ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
        ...(patch.threshold !== undefined ? { threshold: patch.threshold } : {}),
        ...(patch.approvalTimeoutMs !== undefined ? { approvalTimeoutMs: patch.approvalTimeoutMs } : {}),
        ...(patch.agentCapacity !== undefined ? { agentCapacity: patch.agentCapacity } : {}),
        ...(patch.staffLabel !== undefined ? { staffLabel: patch.staffLabel } : {}),
        updatedAt: platform.clock.now(),
      });
      return toSettings(await settingsRow(orgId));
    },
  };
}
export type AiSettingsStore = ReturnType<typeof aiSettings>;
