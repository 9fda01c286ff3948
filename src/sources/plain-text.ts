import { decodeEntities } from '../common/html.js';

/** Markup → plain text for display (the page escapes it again): tags dropped, entities decoded. */
export function plainText(html: string): string {
  const text = html
    .replace(/<(br|\/p|\/div|\/li)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/\n{3,}/g, '\n\n');
  return decodeEntities(text).trim();
}
