import request from 'supertest';
import { createTestEnv, makeTownship, TestEnv, unique } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';

// Township links are slow: the board page's first screen shows the first 10 of each list with a link to all of
// them (the past folded in a <details>), and ?show=<list>&page=N gives one list alone, 20 at a time, with plain
// links (no JavaScript). The API's /api/v1/board is unchanged: everything, in one answer.

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const HOUR = 3600_000;

async function townshipWithListings(n: number) {
  const township = await makeTownship(env.ctx);
  const stem = unique('看板');
  const titles: string[] = [];
  for (let i = 0; i < n; i++) {
    const title = `${stem}-项目${String(i).padStart(2, '0')}`;
    titles.push(title);
    await makeListing(env.ctx, {
      townshipId: township.id,
      title,
      bidOpensAt: new Date(Date.now() - HOUR),
      bidDeadline: new Date(Date.now() + (i + 2) * HOUR),
    });
  }
  return { township, titles };
}

/** the page's text with Handlebars' escapes of = and & undone, so links read as written */
const get = async (url: string) => {
  const res = await request(env.app).get(url).expect(200);
  return res.text.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
};

const shown = (html: string, titles: string[]) => titles.filter((t) => html.includes(`>${t}</a>`));

describe('the board page: a light first screen, the rest a link away', () => {
  it('shows the first 10 announcements and links to all of them; pages of 20 follow, without JavaScript', async () => {
    const { township, titles } = await townshipWithListings(25);
    const q = `townshipId=${township.id}`;

    const first = await get(`/board?${q}`);
    expect(shown(first, titles)).toHaveLength(10);
    expect(first).toContain(`href="/board?${q}&show=announcements"`);
    expect(first).toContain('查看全部 25 条公告');
    expect(first).toContain('id="disclosures"'); // the rest of the first screen is still there

    const page1 = await get(`/board?${q}&show=announcements`);
    const on1 = shown(page1, titles);
    expect(on1).toHaveLength(20);
    expect(page1).toContain('第 1 / 2 页，共 25 条');
    expect(page1).toContain(`href="/board?${q}&show=announcements&page=2" rel="next"`);
    expect(page1).not.toContain('rel="prev"');
    expect(page1).not.toContain('id="disclosures"');
    expect(page1).toContain(`href="/board?${q}"`); // back to the first screen

    const page2 = await get(`/board?${q}&show=announcements&page=2`);
    const on2 = shown(page2, titles);
    expect(on2).toHaveLength(5);
    expect(page2).toContain(`href="/board?${q}&show=announcements" rel="prev"`);
    expect(page2).not.toContain('rel="next"');
    expect(new Set([...on1, ...on2]).size).toBe(25); // every listing is on exactly one page
    // the first screen's ten are the first ten of page 1, in the same order
    expect(shown(first, titles)).toEqual(on1.slice(0, 10).sort());

    // a page past the end is the last page, served from the same cache entry
    const beyond = await get(`/board?${q}&show=announcements&page=99`);
    expect(shown(beyond, titles)).toEqual(on2);

    const en = await get(`/board?${q}&show=announcements&lang=en`);
    expect(en).toContain('Page 1 of 2, 25 in all');
    expect(en).toContain('>Next</a>');
  });

  it('keeps the API whole', async () => {
    const { township, titles } = await townshipWithListings(12);
    const api = await request(env.app).get(`/api/v1/board?townshipId=${township.id}`).expect(200);
    const body = api.body as { announcements: { title: string }[] };
    expect(body.announcements.map((a) => a.title).sort()).toEqual(titles);
  });

  it('shows no link to more when a list is short', async () => {
    const { township, titles } = await townshipWithListings(3);
    const first = await get(`/board?townshipId=${township.id}`);
    expect(shown(first, titles)).toHaveLength(3);
    expect(first).not.toContain('show=announcements');
  });

  it('refuses a list or a page it does not have with 400 and a plain message', async () => {
    const township = await makeTownship(env.ctx);
    for (const bad of [
      'show=everything',
      'page=2',
      'show=past&page=0',
      'show=results&page=abc',
      'show=past&page=1.5',
    ]) {
      const res = await request(env.app).get(`/board?townshipId=${township.id}&${bad}`).expect(400);
      expect(res.text).toMatch(/show|页码/);
    }
    const en = await request(env.app).get(`/board?townshipId=${township.id}&page=2`).set('Accept-Language', 'en');
    expect(en.status).toBe(400);
    expect(en.text).toContain('page must be a whole number from 1, given with show.');
  });
});
