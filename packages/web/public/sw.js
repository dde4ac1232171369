/* Switchboard service worker: shows Web Push notifications and opens the conversation on click.
   The payload is the protocol's PushPayload: { title, body, conversationId, messageId, url }. */

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: 'Switchboard', body: event.data ? event.data.text() : '' };
  }
  const title = data.title || 'Switchboard';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || '',
      icon: '/favicon.svg',
      // One notification per conversation: a newer message replaces the older one.
      tag: data.conversationId ? `conversation:${data.conversationId}` : undefined,
      renotify: Boolean(data.conversationId),
      data: { url: data.url || '/messenger', messageId: data.messageId },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || '/messenger', self.location.origin);
  // Only ever open this app's own pages.
  if (target.origin !== self.location.origin) return;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((w) => new URL(w.url).origin === target.origin);
      if (open) {
        await open.focus();
        if ('navigate' in open) return open.navigate(target.href);
        return undefined;
      }
      return self.clients.openWindow(target.href);
    })(),
  );
});
