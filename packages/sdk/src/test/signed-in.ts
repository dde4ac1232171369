import { sessionAuth } from '../auth.js';
import { createClient, type SwitchboardClient } from '../client.js';
import { SwitchboardError } from '../errors.js';
import { signIn } from '../sign-in.js';

/** SDK clients signed in against a test server (one per `open`), all closed by `closeAll` after the suite. */
export function signedInClients() {
  const clients: SwitchboardClient[] = [];
  return {
    async open(url: string, email: string, password: string): Promise<SwitchboardClient> {
      const { user, org: _org, ...tokens } = await signIn({ url }, { email, password });
      const client = createClient({ url, auth: sessionAuth(tokens), userId: user.id, warn: () => {} });
      clients.push(client);
      return client;
    },
    closeAll(): void {
      for (const c of clients) c.close();
    },
  };
}

/** How a call ended: `resolved`, or the `SwitchboardError` code it was refused with. */
export const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof SwitchboardError ? e.code : String(e)),
  );
