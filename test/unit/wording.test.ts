import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../../server/app';
import { allMessages } from '../../server/http/i18n';

// One word for one thing. A sealed offer is 报价 (to make one: 报价; the person: 竞买人) and in English a "bid";
// 投标 (a tendering word, wrong for the leases that are most of the station's deals) and "offer" are retired.
// 开标 (the opening) and 招投标 (the field, in a quoted rule) are other things and stay.

void createApp; // importing the app declares every concept's messages

const VIEWS = path.resolve(__dirname, '../../views');

function viewTexts(): [string, string][] {
  const out: [string, string][] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (/\.(hbs|js)$/.test(e.name)) out.push([path.relative(VIEWS, file), fs.readFileSync(file, 'utf8')]);
    }
  };
  walk(VIEWS);
  return out;
}

describe('one word for a sealed offer', () => {
  const messages = allMessages();

  it('has the messages of every concept loaded', () => {
    expect(messages.length).toBeGreaterThan(500);
    expect(messages.map(([k]) => k)).toEqual(expect.arrayContaining(['bids.withdraw', 'role.bidder', 'listings.bid']));
  });

  it('never says 投标 in Chinese (报价 and 竞买人 instead)', () => {
    const retired = messages.filter(([, m]) => m.zh.replace(/招投标/g, '').includes('投标')).map(([k]) => k);
    expect(retired).toEqual([]);
    expect(viewTexts().filter(([, text]) => text.replace(/招投标/g, '').includes('投标'))).toEqual([]);
  });

  it('never says "offer" in English ("bid" instead)', () => {
    const retired = messages.filter(([, m]) => /\boffer(s|ed|ing)?\b/i.test(m.en)).map(([k]) => k);
    expect(retired).toEqual([]);
  });

  it('names the sealed offer 报价 where a bidder acts on it', () => {
    const zh = new Map(messages.map(([k, m]) => [k, m.zh]));
    for (const key of ['listings.bid', 'bids.withdraw', 'bids.deadline', 'listings.status.open', 'bids.myBids'])
      expect(zh.get(key)).toContain('报价');
    expect(zh.get('role.bidder')).toBe('竞买人');
  });
});
