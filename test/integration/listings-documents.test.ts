import request from 'supertest';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ MAX_DOCUMENT_BYTES: '4096' });
});
afterAll(async () => {
  await env.close();
});

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(500, 0x20), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

async function setup(state: 'draft' | 'published' | 'awarded' = 'draft') {
  const township = await makeTownship(env.ctx);
  const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
  const listing = await makeListing(env.ctx, { townshipId: township.id, state });
  return { township, staff, listing };
}
const docCount = async (listingId: string) =>
  Number(
    (
      await env.ctx.db
        .selectFrom('listing_documents')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('listing_id', '=', listingId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('listing documents', () => {
  it('stores a PDF in PostgreSQL, lists it and serves it back with its type and name', async () => {
    const { staff, listing } = await setup();
    const res = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/documents`)
      .attach('file', PDF, { filename: '招标文件.pdf', contentType: 'application/pdf' })
      .expect(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      filename: '招标文件.pdf',
      mimeType: 'application/pdf',
      sizeBytes: PDF.length,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const row = await env.ctx.db
      .selectFrom('listing_documents')
      .selectAll()
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(Buffer.compare(row.content, PDF)).toBe(0);
    const list = await as(env.app, staff.token).get(`/api/v1/listings/${listing.id}/documents`).expect(200);
    expect(list.body.map((d: { id: string }) => d.id)).toEqual([res.body.id]);
    const file = await as(env.app, staff.token)
      .get(`/api/v1/listings/${listing.id}/documents/${res.body.id}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toMatch(
      /^attachment; filename=".*"; filename\*=UTF-8''%E6%8B%9B%E6%A0%87%E6%96%87%E4%BB%B6\.pdf$/,
    );
    expect(Buffer.compare(file.body as Buffer, PDF)).toBe(0);
    const audit = await env.ctx.db.selectFrom('audit').select('action').where('listing_id', '=', listing.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['listing.document_added']);
  });

  it('types a document by its bytes, not by its name, and refuses anything else (422), storing nothing', async () => {
    const { staff, listing } = await setup('published');
    const png = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/documents`)
      .attach('file', PNG, { filename: 'site.pdf', contentType: 'application/pdf' })
      .expect(201);
    expect(png.body).toMatchObject({ mimeType: 'image/png', filename: 'site.pdf.png' });
    const exe = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/documents`)
      .attach('file', Buffer.from('MZ\x90\x00fake'), { filename: 'tender.pdf', contentType: 'application/pdf' })
      .expect(422);
    expect(exe.body.error.code).toBe('VALIDATION');
    expect(exe.body.error.details.fields).toHaveProperty('file');
    const none = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/documents`)
      .field('note', 'x')
      .expect(422);
    expect(none.body.error.details.fields).toHaveProperty('file');
    expect(await docCount(listing.id)).toBe(1);
  });

  it('refuses a file over MAX_DOCUMENT_BYTES with 413, storing nothing', async () => {
    const { staff, listing } = await setup();
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5000, 0x20)]);
    const res = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/documents`)
      .attach('file', big, 'big.pdf')
      .expect(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await docCount(listing.id)).toBe(0);
  });

  it('lets only the township’s staff upload, only before opening', async () => {
    const { listing } = await setup();
    const other = await makeUser(env.ctx, 'staff', { townshipId: (await makeTownship(env.ctx)).id });
    const bidder = await makeUser(env.ctx, 'bidder');
    expect(
      (
        await as(env.app, other.token)
          .post(`/api/v1/listings/${listing.id}/documents`)
          .attach('file', PDF, 'a.pdf')
          .expect(403)
      ).body.error.code,
    ).toBe('FORBIDDEN');
    await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/documents`)
      .attach('file', PDF, 'a.pdf')
      .expect(403);
    const awarded = await setup('awarded');
    expect(
      (
        await as(env.app, awarded.staff.token)
          .post(`/api/v1/listings/${awarded.listing.id}/documents`)
          .attach('file', PDF, 'a.pdf')
          .expect(409)
      ).body.error.code,
    ).toBe('INVALID_STATE');
    expect(await docCount(listing.id)).toBe(0);
    expect(await docCount(awarded.listing.id)).toBe(0);
  });

  it('hides a draft’s documents from the public (404) and shows a published listing’s to anyone', async () => {
    const { staff, listing } = await setup();
    const doc = (
      await as(env.app, staff.token)
        .post(`/api/v1/listings/${listing.id}/documents`)
        .attach('file', PDF, 'a.pdf')
        .expect(201)
    ).body;
    await request(env.app).get(`/api/v1/listings/${listing.id}/documents`).expect(404);
    await request(env.app).get(`/api/v1/listings/${listing.id}/documents/${doc.id}`).expect(404);
    await env.ctx.db
      .updateTable('listings')
      .set({ state: 'published', published_at: new Date() })
      .where('id', '=', listing.id)
      .execute();
    await request(env.app)
      .get(`/api/v1/listings/${listing.id}/documents/${doc.id}`)
      .expect(200)
      .expect('Content-Type', 'application/pdf');
    await request(env.app)
      .get(`/api/v1/listings/${listing.id}/documents/00000000-0000-4000-8000-000000000000`)
      .expect(404);
  });
});
