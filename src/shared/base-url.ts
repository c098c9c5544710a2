import type { Result } from './protocol';
import { fail, ok } from './result';

/**
 * A provider's API root as Parley stores it: an http(s) address without trailing slashes. Every
 * request, with the key, goes there, so nothing else will do. The one rule for the provider form,
 * the core, and every import.
 */
export function parseBaseUrl(text: string): Result<string> {
  const baseURL = text.trim().replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return fail('config', 'The base URL is not a web address. It should look like https://api.example.com/v1.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return fail('config', 'The base URL must start with https:// (or http:// for a server on your own machine).');
  }
  return ok(baseURL);
}
