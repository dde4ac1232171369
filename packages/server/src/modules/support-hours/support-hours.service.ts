import {
  OpeningRangeSchema,
  type SupportContact,
  type SupportHours,
  type SupportSettings,
  SupportSettingsSchema,
  type UpdateSupportContact,
  UpdateSupportContactSchema,
} from '@switchboard/protocol';
import { z } from 'zod';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import type { UsersService } from '../users/users.service.js';
import { isOpenAt, nextOpening } from './opening-hours.js';
import { supportHoursRepo } from './support-hours.repo.js';

/** What an org gets before an admin saves anything: always open, no pre-chat form. */
export const DEFAULT_SUPPORT_SETTINGS: SupportSettings = {
  timezone: 'UTC',
  hoursEnabled: false,
  hours: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })),
  awayMessage: "We're away right now. Leave your email and we'll get back to you.",
  prechatName: false,
  prechatEmail: false,
};

const HoursJson = z.array(OpeningRangeSchema);

/**
 * The org's support settings (business hours, away message, pre-chat form), whether the team is open now,
 * and the contact details a visitor leaves in the widget.
 */
export function supportHoursService(platform: Platform, users: UsersService) {
  const repo = supportHoursRepo(platform.database);

  async function settings(orgId: string): Promise<SupportSettings> {
    const row = await repo.find(orgId);
    if (!row) return DEFAULT_SUPPORT_SETTINGS;
    return {
      timezone: row.timezone,
      hoursEnabled: row.hoursEnabled === 1,
      hours: HoursJson.catch([]).parse(JSON.parse(row.hours)),
      awayMessage: row.awayMessage,
      prechatName: row.prechatName === 1,
      prechatEmail: row.prechatEmail === 1,
    };
  }

  async function hours(orgId: string, at = platform.clock.now()): Promise<SupportHours> {
    const s = await settings(orgId);
    const open = !s.hoursEnabled || isOpenAt(s.hours, s.timezone, at);
    return {
      open,
      nextOpenAt: open ? null : nextOpening(s.hours, s.timezone, at),
      timezone: s.timezone,
      awayMessage: s.awayMessage,
      prechatName: s.prechatName,
      prechatEmail: s.prechatEmail,
    };
  }

  return {
    settings: (actor: Actor) => settings(actor.orgId),
    /** Open now or not, for the caller's org: the widget's view and the contact center's away notice. */
    hours: (actor: Actor) => hours(actor.orgId),
    hoursOf: (orgId: string) => hours(orgId),

    async update(actor: Actor, input: SupportSettings): Promise<SupportSettings> {
      const s = SupportSettingsSchema.parse(input);
      await repo.upsert({
        orgId: actor.orgId,
        timezone: s.timezone,
        hoursEnabled: s.hoursEnabled ? 1 : 0,
        hours: JSON.stringify(s.hours),
        awayMessage: s.awayMessage,
        prechatName: s.prechatName ? 1 : 0,
        prechatEmail: s.prechatEmail ? 1 : 0,
        updatedAt: platform.clock.now(),
      });
      return settings(actor.orgId);
    },

    /** A widget customer names themselves or leaves an email; only for their own user. */
    async setContact(actor: Actor, input: UpdateSupportContact): Promise<SupportContact> {
      if (actor.role !== 'customer') throw new AppError('forbidden', 'Only a customer sets their contact details');
      const patch = UpdateSupportContactSchema.parse(input);
      const row = await users.setContact(actor.orgId, actor.userId, patch);
      return { displayName: row.displayName, email: row.kind === 'user' ? row.email : (row.contactEmail ?? '') };
    },
  };
}

export type SupportHoursService = ReturnType<typeof supportHoursService>;
