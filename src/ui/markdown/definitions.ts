import type { Links, Token } from 'marked';

/**
 * Link reference definitions (`[1]: https://…`) by normalised label. They apply to the whole
 * reply, wherever they stand, and the first definition of a label wins — as marked's own lexer
 * collects them into `tokens.links`.
 */
export type Definitions = Links;

export function emptyDefinitions(): Definitions {
  return Object.create(null) as Definitions;
}

export function copyDefinitions(definitions: Definitions): Definitions {
  return Object.assign(emptyDefinitions(), definitions);
}

/** Adds the definitions made inside `token` (in a list item or quote too), keeping earlier ones. */
export function addDefinitionsOf(token: Token, definitions: Definitions): void {
  if (token.type === 'def') {
    definitions[token.tag] ??= { href: token.href, title: token.title };
    return;
  }
  if (token.type === 'list') {
    for (const item of token.items) for (const child of item.tokens) addDefinitionsOf(child, definitions);
    return;
  }
  if (token.type === 'blockquote') for (const child of token.tokens ?? []) addDefinitionsOf(child, definitions);
}

export function sameDefinitions(a: Definitions, b: Definitions): boolean {
  const labels = Object.keys(a);
  if (labels.length !== Object.keys(b).length) return false;
  return labels.every((label) => b[label] !== undefined && a[label].href === b[label].href && a[label].title === b[label].title);
}

/**
 * A copy of `definitions` that notes every label marked looks up while lexing one block: the
 * labels whose definitions that block's HTML depends on.
 */
export function recordingDefinitions(definitions: Definitions, lookedUp: Set<string>): Definitions {
  return new Proxy(copyDefinitions(definitions), {
    get(target, label) {
      if (typeof label === 'string') lookedUp.add(label);
      return Reflect.get(target, label);
    },
    getOwnPropertyDescriptor(target, label) {
      if (typeof label === 'string') lookedUp.add(label);
      return Reflect.getOwnPropertyDescriptor(target, label);
    },
  });
}

/** What `labels` mean under `definitions`, as a string that changes when any of them does. */
export function definitionsSignature(labels: readonly string[], definitions: Definitions): string {
  if (labels.length === 0) return '';
  return JSON.stringify(labels.map((label) => definitions[label] ?? null));
}
