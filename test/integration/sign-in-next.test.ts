import crypto from 'node:crypto';
import request from 'supertest';
import { createTestEnv, csrfFrom, makeTownship, makeUser, TestEnv, unique } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';

// 我要报价 while signed out leads through sign-in (or registration) and back to the bid form;
// the way back is only ever a path on this site.

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

/** Handlebars writes `=` in attributes as an entity; a browser reads it back as `=`. */
const unescaped = (html: string) => html.replace(/&#x3D;/g, '=');

async function signInWith(agent: ReturnType<typeof request.agent>, username: string, password: string, next: string) {
  const page = await agent.get(`/login?next=${encodeURIComponent(next)}`).expect(200);
  return agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), username, password, next });
}

it('sends a signed-out bidder from 我要报价 to sign in and back to the bid form', async () => {
  const township = await makeTownship(env.ctx);
  const listing = await makeListing(env.ctx, { townshipId: township.id });
  const bidder = await makeUser(env.ctx, 'bidder');
  const want = `/listings/${listing.id}/bid`;
  const announcement = await request(env.app).get(`/listings/${listing.id}`).expect(200);
  expect(unescaped(announcement.text)).toContain(`href="/login?next=${encodeURIComponent(want)}"`);

  const agent = request.agent(env.app);
  const login = await agent.get(`/login?next=${encodeURIComponent(want)}`).expect(200);
  expect(login.text).toContain(`name="next" value="${want}"`);
  expect(unescaped(login.text)).toContain(`href="/register?next=${encodeURIComponent(want)}"`);
  // a wrong password keeps the way back in the form
  const wrong = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(login.text), username: bidder.username, password: 'not the password', next: want })
    .expect(401);
  expect(wrong.text).toContain(`name="next" value="${want}"`);

  const res = await signInWith(agent, bidder.username, bidder.password, want);
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe(want);
  const form = await agent.get(want).expect(200);
  expect(form.text).toContain(listing.title);
});

it('offers the sign-in form on a page that needs an account instead of a bare 401', async () => {
  const township = await makeTownship(env.ctx);
  const listing = await makeListing(env.ctx, { townshipId: township.id });
  const want = `/listings/${listing.id}/bid`;
  const agent = request.agent(env.app);
  const page = await agent.get(want).expect(401);
  expect(page.text).toContain('action="/login"');
  expect(page.text).toContain(`name="next" value="${want}"`);
  expect(unescaped(page.text)).toContain(`href="/register?next=${encodeURIComponent(want)}"`);
  // the form works from there: its token is the session's
  const bidder = await makeUser(env.ctx, 'bidder');
  const res = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), username: bidder.username, password: bidder.password, next: want })
    .expect(303);
  expect(res.headers.location).toBe(want);
});

it('registers and then signs in back to where the bidder was going', async () => {
  const township = await makeTownship(env.ctx);
  const listing = await makeListing(env.ctx, { townshipId: township.id });
  const want = `/listings/${listing.id}/bid`;
  const agent = request.agent(env.app);
  const form = await agent.get(`/register?next=${encodeURIComponent(want)}`).expect(200);
  expect(form.text).toContain(`name="next" value="${want}"`);
  const username = unique('nx');
  const done = await agent
    .post('/register')
    .type('form')
    .send({
      _csrf: csrfFrom(form.text),
      username,
      password: 'a long enough password',
      name: '王建国',
      idNumber: `3608021990${crypto.randomInt(10_000_000, 99_999_999)}`,
      phone: '13900001111',
      next: want,
    })
    .expect(303);
  expect(done.headers.location).toBe(`/login?registered=1&next=${encodeURIComponent(want)}`);
  const res = await signInWith(agent, username, 'a long enough password', want);
  expect(res.headers.location).toBe(want);
});

it.each(['https://evil.example/', '//evil.example', '/\\evil.example', 'http:/evil.example', '/login'])(
  'never sends anyone off the site or in a loop (next=%s)',
  async (next) => {
    const bidder = await makeUser(env.ctx, 'bidder');
    const agent = request.agent(env.app);
    const page = await agent.get(`/login?next=${encodeURIComponent(next)}`).expect(200);
    expect(page.text).not.toContain('name="next"');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username: bidder.username, password: bidder.password, next })
      .expect(303);
    expect(res.headers.location).toBe('/bidder');
  },
);
