/**
 * What a tab posts to its dedicated worker, with a MessagePort transferred, to connect one more
 * tab: the counterpart of a SharedWorker's `connect` event. The leader tab sends one for itself
 * and one for each follower its relay links.
 */
export interface ConnectMessage {
  type: 'parley-connect';
}

export const CONNECT_MESSAGE: ConnectMessage = { type: 'parley-connect' };

/** Whether a message a dedicated worker received is a {@link ConnectMessage}. */
export function isConnectMessage(data: unknown): data is ConnectMessage {
  return typeof data === 'object' && data !== null && 'type' in data && data.type === CONNECT_MESSAGE.type;
}
