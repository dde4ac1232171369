/** The parts of a `ws` WebSocket this touches: its frame reader and its message event. */
export interface ReadingSocket {
  _receiver: { _mask?: unknown; _fragments?: unknown[]; _binaryType?: string } | null;
  on(event: 'message', listener: () => void): unknown;
}

/**
 * Let what a WebSocket read die young. `ws`'s frame reader keeps the last frame's 4-byte mask as a view of the
 * chunk read from the TCP socket, until the next frame overwrites it: about a second for a chat user, long
 * enough for V8 to move the view, its chunk's `ArrayBuffer` and more to the old generation, which only a full
 * collection empties again (docs/performance.md: the chat tail is full collections). The mask is spent once
 * the frame's payload is unmasked, before its message is emitted, so it is dropped at each message.
 */
export function releaseReads(ws: ReadingSocket): void {
  const receiver = ws._receiver;
  if (!receiver || !('_mask' in receiver)) return;
  // ws also starts a new array for the next message's fragments at every message; that array lives as long
  // and so was made in the old generation. One array per connection, emptied, is handed back instead (not for
  // the 'fragments' binary type, which gives the array itself to the listener).
  const fragments: unknown[] = [];
  const reuse = Array.isArray(receiver._fragments);
  ws.on('message', () => {
    receiver._mask = undefined;
    if (reuse && receiver._binaryType !== 'fragments') {
      fragments.length = 0;
      receiver._fragments = fragments;
    }
  });
}
