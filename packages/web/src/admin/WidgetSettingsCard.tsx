import { Button, Card, Code, CopyButton, Group, Loader, Modal, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSession } from '../session';

/** The chat widget's public key (with the embed snippet) and the identity secret, which can be rotated. */
export function WidgetSettingsCard() {
  const { client } = useSession();
  const qc = useQueryClient();
  const widget = useQuery({ queryKey: ['widget-settings'], queryFn: () => client.api.orgs.widget() });
  const [confirm, setConfirm] = useState(false);
  const rotate = useMutation({
    mutationFn: () => client.api.orgs.rotateWidgetSecret(),
    onSuccess: (w) => {
      qc.setQueryData(['widget-settings'], w);
      setConfirm(false);
    },
  });
  const snippet = widget.data
    ? `<script src="${window.location.origin}/widget.js" data-org-key="${widget.data.widgetKey}" async></script>`
    : '';
  return (
    <Card withBorder data-testid="widget-settings">
      <Stack>
        <Title order={3} size="h4">
          Chat widget
        </Title>
        {widget.isLoading && <Loader size="sm" />}
        {widget.error && <Text c="red">{widget.error.message}</Text>}
        {widget.data && (
          <>
            <div>
              <Text size="sm" fw={500}>
                Embed on your site
              </Text>
              <Code block data-testid="widget-snippet" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                {snippet}
              </Code>
              <CopyButton value={snippet}>
                {({ copied, copy }) => (
                  <Button size="compact-sm" variant="subtle" onClick={copy} mt={4}>
                    {copied ? 'Copied' : 'Copy snippet'}
                  </Button>
                )}
              </CopyButton>
            </div>
            <PasswordInput
              label="Identity-verification secret"
              description="Your server signs signed-in users' ids with it. Never put it in a web page."
              value={widget.data.identitySecret}
              readOnly
            />
            <Group justify="flex-end">
              <Button color="red" variant="light" onClick={() => setConfirm(true)}>
                Rotate secret
              </Button>
            </Group>
          </>
        )}
      </Stack>
      <Modal opened={confirm} onClose={() => setConfirm(false)} title="Rotate the identity secret?">
        <Stack>
          <Text size="sm">Signatures made with the current secret stop working at once. Update your server first.</Text>
          {rotate.error && <Text c="red">{rotate.error.message}</Text>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(false)}>
              Cancel
            </Button>
            <Button color="red" loading={rotate.isPending} onClick={() => rotate.mutate()}>
              Rotate
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
