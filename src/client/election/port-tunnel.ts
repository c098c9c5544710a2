import { isLinkMessage, type LinkMessage } from './relay-messages';

const ROOT = 'root';
/** The key of the mark that stands for a port inside a message while it crosses the channel. */
const MARK = 'parley-tunnelled-port';

interface PortMark {
  [MARK]: string;
}

function isPortMark(value: unknown): value is PortMark {
  return typeof value === 'object' && value !== null && MARK in value && typeof value[MARK] === 'string';
}

/** A copy of `value` with `replace` applied to every value it answers for (arrays and plain objects are walked). */
function mapDeep(value: unknown, replace: (value: unknown) => unknown): unknown {
  const replaced = replace(value);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(value)) return value.map((item) => mapDeep(item, replace));
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapDeep(item, replace)]));
  }
  return value;
}

/**
 * Carry `port`'s traffic over `channel`, as if the port's other end were in the tab at the
 * channel's other end. Comlink sends ports inside its messages (the event port `subscribe`
 * takes), and a BroadcastChannel cannot: each such port is tunnelled too, over the same channel,
 * so every message keeps its order.
 *
 * Sending: a message that carries ports → each port gets an id and is tunnelled, and a mark
 * with its id takes its place. Receiving: each mark → a new MessageChannel, one end put in the
 * message's place and transferred, the other tunnelled under the same id. Both ends run this.
 *
 * Returns `close`: the channel and every tunnelled port are closed.
 */
export function tunnelPort(port: MessagePort, channel: BroadcastChannel): () => void {
  const ports = new Map<string, MessagePort>();

  const send = (id: string, event: MessageEvent): void => {
    if (event.ports.length === 0) {
      channel.postMessage({ type: 'port-message', port: id, data: event.data } satisfies LinkMessage);
      return;
    }
    const carried: string[] = [];
    const data = mapDeep(event.data, (value) => {
      if (!(value instanceof MessagePort)) return undefined;
      const carriedId = crypto.randomUUID();
      tunnel(carriedId, value);
      carried.push(carriedId);
      return { [MARK]: carriedId } satisfies PortMark;
    });
    channel.postMessage({ type: 'port-message', port: id, data, ports: carried } satisfies LinkMessage);
  };

  const tunnel = (id: string, local: MessagePort): void => {
    ports.set(id, local);
    local.onmessage = (event) => send(id, event);
  };

  const receive = (event: MessageEvent): void => {
    const message: unknown = event.data;
    if (!isLinkMessage(message) || message.type !== 'port-message') return;
    const local = ports.get(message.port);
    if (!local) return;
    if (!message.ports) {
      local.postMessage(message.data);
      return;
    }
    const transferred: MessagePort[] = [];
    const data = mapDeep(message.data, (value) => {
      if (!isPortMark(value)) return undefined;
      const pair = new MessageChannel();
      tunnel(value[MARK], pair.port2);
      transferred.push(pair.port1);
      return pair.port1;
    });
    local.postMessage(data, transferred);
  };

  channel.addEventListener('message', receive);
  tunnel(ROOT, port);
  return () => {
    channel.removeEventListener('message', receive);
    channel.close();
    for (const local of ports.values()) local.close();
    ports.clear();
  };
}
