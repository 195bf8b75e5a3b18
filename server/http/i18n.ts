import type { Request } from 'express';

export type Lang = 'zh' | 'en';
export interface Message {
  zh: string;
  en: string;
}

const dictionary = new Map<string, Message>();

/**
 * Each concept declares its own messages next to its code; they land in one dictionary.
 * Returns the same object so callers can keep the keys typed.
 */
export function defineMessages<T extends Record<string, Message>>(messages: T): T {
  for (const [key, msg] of Object.entries(messages)) {
    if (dictionary.has(key) && dictionary.get(key)!.zh !== msg.zh) throw new Error(`message key defined twice: ${key}`);
    dictionary.set(key, msg);
  }
  return messages;
}

/** Translate a key; {name} placeholders are filled from params. Unknown keys show themselves. */
export function t(lang: Lang, key: string, params: Record<string, unknown> = {}): string {
  const msg = dictionary.get(key);
  const text = msg ? msg[lang] : key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? String(params[name]) : `{${name}}`));
}

export function hasMessage(key: string): boolean {
  return dictionary.has(key);
}

/** Every message declared so far (for the wording tests: one word for one thing). */
export function allMessages(): [string, Message][] {
  return [...dictionary];
}

/** zh-CN is the default; English when asked by ?lang=, the lang cookie, or Accept-Language. */
export function detectLang(req: Request): Lang {
  const q = typeof req.query?.lang === 'string' ? req.query.lang : undefined;
  if (q === 'en' || q === 'zh') return q;
  const cookie = req.headers.cookie?.match(/(?:^|;\s*)lang=(zh|en)\b/)?.[1] as Lang | undefined;
  if (cookie) return cookie;
  const accept = req.headers['accept-language'];
  if (typeof accept === 'string') {
    const langs = accept
      .split(',')
      .map((part) => {
        const [tag, ...rest] = part.trim().split(';');
        const qv = rest.find((r) => r.trim().startsWith('q='));
        return { tag: tag.toLowerCase(), q: qv ? Number(qv.trim().slice(2)) || 0 : 1 };
      })
      .sort((a, b) => b.q - a.q);
    for (const { tag } of langs) {
      if (tag.startsWith('zh')) return 'zh';
      if (tag.startsWith('en')) return 'en';
    }
  }
  return 'zh';
}
