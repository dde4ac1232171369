import { Alert, Badge, Button, Card, Group, Kbd, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { Approval, ApprovalDecision } from '@switchboard/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Markdown } from '../components/Markdown';
import { useSession } from '../session';
import { useName } from './data';

export type ApprovalMode = 'view' | 'edit' | 'reject';

/**
 * One AI draft waiting for a person: the customer's question, the draft, its confidence and cited sources.
 * Approve sends it as is, edit sends my text, reject takes the conversation (I answer myself). The keys
 * (C, A, E, R; Ctrl+Enter to send an edit or a rejection, Esc to go back) are handled by the console page,
 * which drives `mode`.
 */
export function ApprovalCard(props: {
  approval: Approval;
  mode: ApprovalMode;
  setMode(m: ApprovalMode): void;
  /** Registered by the page so its key handler can run the same actions as the buttons. */
  bind(actions: ApprovalActions): void;
}) {
  const { approval, mode, setMode, bind } = props;
  const { client, user } = useSession();
  const qc = useQueryClient();
  const [text, setText] = useState(approval.draft);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const editRef = useRef<HTMLTextAreaElement>(null);
  const reasonRef = useRef<HTMLInputElement>(null);
  const holder = useName(approval.claimedBy);
  const claimedByOther =
    approval.claimedBy !== null && approval.claimedBy !== user.id && (approval.claimExpiresAt ?? 0) > Date.now();

  useEffect(() => {
    setText(approval.draft);
    setReason('');
    setError(null);
  }, [approval.draft]);
  useEffect(() => {
    if (mode === 'edit') editRef.current?.focus();
    if (mode === 'reject') reasonRef.current?.focus();
  }, [mode]);

  const run = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await what();
      await qc.invalidateQueries({ queryKey: ['console'] });
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : 'That did not work');
      await qc.invalidateQueries({ queryKey: ['console', 'approvals'] });
      return false;
    } finally {
      setBusy(false);
    }
  };
  const decide = async (d: ApprovalDecision) => {
    if (await run(() => client.api.approvals.decide(approval.id, d))) setMode('view');
  };
  const actions: ApprovalActions = {
    claim: () => void run(() => client.api.approvals.claim(approval.id)),
    // Nothing to approve under the floor: the key does nothing rather than send a wrong article.
    approve: () => !approval.noAnswer && void decide({ action: 'approve' }),
    sendEdit: () => text.trim() && void decide({ action: 'edit', text: text.trim() }),
    sendReject: () => reason.trim() && void decide({ action: 'reject', reason: reason.trim() }),
    startEdit: () => {
      // Editing takes a while: hold the item so nobody approves it under me.
      if (approval.claimedBy !== user.id) void run(() => client.api.approvals.claim(approval.id));
      setMode('edit');
    },
  };
  bind(actions);

  const pct = Math.round(approval.confidence * 100);
  return (
    <Card withBorder padding="md" data-testid="approval-card" data-approval={approval.id}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Text fw={600}>{approval.noAnswer ? 'No good answer found' : 'AI draft waiting for approval'}</Text>
          <Group gap="xs">
            <Badge color={pct >= 60 ? 'yellow' : 'red'} variant="light" data-testid="confidence">
              Confidence {pct}%
            </Badge>
            {approval.claimedBy && (
              <Badge color={claimedByOther ? 'red' : 'blue'} variant="light" data-testid="claimed">
                {approval.claimedBy === user.id ? 'Claimed by you' : `Claimed by ${holder ?? 'another agent'}`}
              </Badge>
            )}
          </Group>
        </Group>
        <Group gap="xs">
          {mode === 'view' && (
            <>
              {!approval.noAnswer && (
                <Button onClick={actions.approve} loading={busy} disabled={claimedByOther}>
                  Approve <Kbd ml={6}>A</Kbd>
                </Button>
              )}
              <Button
                variant={approval.noAnswer ? 'filled' : 'light'}
                onClick={actions.startEdit}
                disabled={claimedByOther}
              >
                {approval.noAnswer ? 'Write an answer' : 'Edit'} <Kbd ml={6}>E</Kbd>
              </Button>
              <Button variant="light" color="red" onClick={() => setMode('reject')} disabled={claimedByOther}>
                Reject <Kbd ml={6}>R</Kbd>
              </Button>
              {approval.claimedBy !== user.id && (
                <Button variant="subtle" onClick={actions.claim} disabled={claimedByOther}>
                  Claim <Kbd ml={6}>C</Kbd>
                </Button>
              )}
            </>
          )}
          {mode === 'edit' && (
            <>
              <Button onClick={actions.sendEdit} loading={busy} disabled={!text.trim()}>
                Send edited answer <Kbd ml={6}>Ctrl+Enter</Kbd>
              </Button>
              <Button variant="subtle" onClick={() => setMode('view')}>
                Cancel <Kbd ml={6}>Esc</Kbd>
              </Button>
            </>
          )}
          {mode === 'reject' && (
            <>
              <Button color="red" onClick={actions.sendReject} loading={busy} disabled={!reason.trim()}>
                Reject and take over <Kbd ml={6}>Enter</Kbd>
              </Button>
              <Button variant="subtle" onClick={() => setMode('view')}>
                Cancel <Kbd ml={6}>Esc</Kbd>
              </Button>
            </>
          )}
        </Group>
        <div>
          <Text size="xs" c="dimmed">
            Customer asked
          </Text>
          <div data-testid="approval-question">
            <Markdown text={approval.question} />
          </div>
        </div>
        {mode === 'edit' ? (
          <Textarea
            ref={editRef}
            label="Your answer (Ctrl+Enter sends, Esc cancels)"
            autosize
            minRows={3}
            maxRows={12}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            data-testid="approval-edit"
          />
        ) : approval.noAnswer ? (
          <Alert color="gray" py={8} data-testid="no-answer">
            The knowledge base has no article that answers this with enough confidence, so nothing is proposed. Write
            the answer yourself (the articles below may help), or reject and take the conversation.
          </Alert>
        ) : (
          <div>
            <Text size="xs" c="dimmed">
              Draft
            </Text>
            <Text
              data-testid="approval-draft"
              component="div"
              p="sm"
              style={{ whiteSpace: 'pre-wrap', background: 'var(--mantine-color-gray-light)', borderRadius: 8 }}
            >
              <Markdown text={approval.draft} />
            </Text>
          </div>
        )}
        {mode === 'reject' && (
          <TextInput
            ref={reasonRef}
            label="Why reject? You take the conversation and answer yourself (Enter confirms, Esc cancels)"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-testid="reject-reason"
          />
        )}
        {approval.sources.length > 0 && (
          <div>
            <Text size="xs" c="dimmed">
              {approval.noAnswer ? 'Closest articles (suggestions, probably not the answer)' : 'Cited sources'}
            </Text>
            {approval.sources.map((s) => (
              <Group key={s.articleId} gap="xs" wrap="nowrap" align="flex-start">
                <Text size="sm" data-testid="approval-source" style={{ flex: 1 }}>
                  <b>{s.title}</b> —{' '}
                  <span style={{ color: 'var(--mantine-color-dimmed)' }}>{s.passage.slice(0, 200)}</span>
                </Text>
                {approval.noAnswer && mode === 'edit' && (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    data-testid="use-suggestion"
                    onClick={() => setText((t) => (t ? `${t}\n\n${s.passage}` : s.passage))}
                  >
                    Insert
                  </Button>
                )}
              </Group>
            ))}
          </div>
        )}
        <Text size="xs" c="dimmed">
          Why unsure: {approval.reason}
        </Text>
        {error && (
          <Alert color="red" py={6} data-testid="approval-error">
            {error}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

export interface ApprovalActions {
  claim(): void;
  approve(): void;
  startEdit(): void;
  sendEdit(): void;
  sendReject(): void;
}
