/**
 * The page's entry, small on purpose: it starts the core (the SharedWorker, or the election) and
 * attaches, and asks for what the first screen shows, while the UI's code — a chunk of its own,
 * fetched at the same time (index.html preloads it) — is still being parsed and run. Both sides
 * of the start then run at once: the worker loads and opens the database on its thread, the
 * page evaluates the UI on its own.
 */
import { connectToCore } from './client/connect';
import { requestStartData } from './ui/state/start-data';

const connecting = connectToCore().then((client) => ({ client, start: requestStartData(client.api) }));
// Handled where it is shown (the UI's entry); until then a rejection is not unhandled.
connecting.catch(() => undefined);

void import('./main').then(({ startUi }) => startUi(connecting));
