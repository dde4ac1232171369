import { randomUUID } from 'node:crypto';
import { type CreateSupportNote, CreateSupportNoteSchema, type SupportNote } from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import type { Platform } from '../../platform/platform.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import { notesRepo } from './notes.repo.js';

/** A conversation shows at most this many notes (the newest). */
export const NOTES_LIMIT = 500;

/** Where a new note goes live: the org's staff, never a customer. */
export type NotesNotifier = (orgId: string, note: SupportNote) => void;

/**
 * Private notes in support conversations. Callers are staff (the routes say so); the conversation must be a
 * support conversation of the caller's org. Notes live in their own table, so no customer read path (history,
 * sync, resume, socket rooms of the conversation) can ever include one.
 */
export function notesService(platform: Platform, messenger: MessengerService, notify: NotesNotifier) {
  const repo = notesRepo(platform.database);

  async function add(orgId: string, conversationId: string, authorId: string, kind: SupportNote['kind'], text: string) {
    await messenger.support.get(orgId, conversationId);
    const note = await repo.insert({
      id: randomUUID(),
      orgId,
      conversationId,
      authorId,
      kind,
      text,
      createdAt: platform.clock.now(),
    });
    notify(orgId, note);
    return note;
  }

  return {
    async list(actor: Actor, conversationId: string): Promise<SupportNote[]> {
      await messenger.support.get(actor.orgId, conversationId);
      return repo.list(actor.orgId, conversationId, NOTES_LIMIT);
    },
    /** A staff member's note. */
    add: (actor: Actor, conversationId: string, input: CreateSupportNote) =>
      add(actor.orgId, conversationId, actor.userId, 'note', CreateSupportNoteSchema.parse(input).text),
    /** The AI's summary for whoever takes the conversation over. */
    addSummary: (orgId: string, conversationId: string, aiUserId: string, text: string) =>
      add(orgId, conversationId, aiUserId, 'summary', text),
  };
}
export type NotesService = ReturnType<typeof notesService>;
