import ExcelJS from 'exceljs';
import request from 'supertest';
import { createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';
import { insertAward, insertBid } from './board-fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

/** A small RFC 4180 reader, enough to read our own output back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

async function dealSetup() {
  const tw = await makeTownship(env.ctx, {}, '导出区');
  const other = await makeTownship(env.ctx, {}, '别的区');
  const bidder = await makeUser(env.ctx, 'bidder', { name: '=HYPERLINK("http://evil")' });
  const works = await makeListing(env.ctx, {
    townshipId: tw.id,
    state: 'awarded',
    title: '村道, "硬化"工程',
    basePrice: '50000.00',
  });
  await insertAward(
    env.ctx,
    works,
    await insertBid(env.ctx, works, bidder.id, '42000.00', true),
    bidder.id,
    '42000.00',
    new Date('2026-03-10T02:30:00Z'),
  );
  const lease = await makeListing(env.ctx, {
    townshipId: tw.id,
    state: 'concluded',
    kind: 'lease',
    category: 'shop',
    title: '店面出租',
    basePrice: '10000.00',
  });
  await insertAward(
    env.ctx,
    lease,
    await insertBid(env.ctx, lease, bidder.id, '12345.60', true),
    bidder.id,
    '12345.60',
    new Date('2026-05-01T00:00:00Z'),
  );
  const elsewhere = await makeListing(env.ctx, { townshipId: other.id, state: 'awarded' });
  await insertAward(
    env.ctx,
    elsewhere,
    await insertBid(env.ctx, elsewhere, bidder.id, '40000.00', true),
    bidder.id,
    '40000.00',
    new Date('2026-03-11T00:00:00Z'),
  );
  await makeListing(env.ctx, { townshipId: tw.id, state: 'failed' }); // not a deal
  return { tw, works, lease };
}

describe('GET /api/v1/stats/deals.csv and deals.xlsx', () => {
  it('exports one CSV row per awarded deal: BOM, CRLF, quoting and formula-safe cells', async () => {
    const { tw, works, lease } = await dealSetup();
    const res = await request(env.app).get(`/api/v1/stats/deals.csv?townshipId=${tw.id}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="deals\.csv"/);
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    expect(res.text.endsWith('\r\n')).toBe(true);
    expect(res.text.replace(/\r\n/g, '')).not.toContain('\n'); // CRLF only, no bare LF
    const rows = parseCsv(res.text.slice(1));
    expect(rows[0]).toEqual([
      '项目编号',
      '乡镇',
      '交易类型',
      '项目类别',
      '项目名称',
      '最高限价/底价（元）',
      '成交金额（元）',
      '增收节资（元）',
      '增收节资率',
      '成交人',
      '公告发布时间',
      '成交时间',
      '合同签订时间',
      '计价方式',
      '租期（月）',
      '全期成交金额（元）',
    ]);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual([
      works.code,
      tw.name,
      '采购/小型工程',
      '小型工程',
      '村道, "硬化"工程',
      '50000.00',
      '42000.00',
      '8000.00',
      '0.1600',
      '\'=HYPERLINK("http://evil")',
      expect.any(String),
      '2026-03-10 10:30',
      '',
      '', // procurement has no price basis or term
      '',
      '42000.00',
    ]);
    expect(rows[2].slice(0, 9)).toEqual([
      lease.code,
      tw.name,
      '出租/发包',
      '店面',
      '店面出租',
      '10000.00',
      '12345.60',
      '2345.60',
      '0.2346',
    ]);
    expect(rows[2].slice(-3)).toEqual(['元（全期）', '36', '12345.60']);
    const march = parseCsv(
      (
        await request(env.app)
          .get(`/api/v1/stats/deals.csv?district=${encodeURIComponent('导出区')}&from=2026-03-01&to=2026-03-31`)
          .expect(200)
      ).text.slice(1),
    );
    expect(march.map((r) => r[0])).toEqual(['项目编号', works.code]);
    const en = await request(env.app)
      .get(`/api/v1/stats/deals.csv?townshipId=${tw.id}`)
      .set('Accept-Language', 'en')
      .expect(200);
    expect(en.text.slice(1, 20)).toMatch(/^Code,Township,Kind/);
    expect((await request(env.app).get('/api/v1/stats/deals.csv?from=2026-13-01').expect(422)).body.error.code).toBe(
      'VALIDATION',
    );
  });

  it('exports the same rows as XLSX with numbers as numbers and dates as dates', async () => {
    const { tw, works } = await dealSetup();
    const res = await request(env.app)
      .get(`/api/v1/stats/deals.xlsx?townshipId=${tw.id}`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as never);
    const sheet = book.worksheets[0];
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(1).getCell(1).value).toBe('项目编号');
    const row = sheet.getRow(2);
    expect(row.getCell(1).value).toBe(works.code);
    expect(row.getCell(5).value).toBe('村道, "硬化"工程');
    expect(row.getCell(6).value).toBe(50000);
    expect(row.getCell(7).value).toBe(42000);
    expect(row.getCell(8).value).toBe(8000);
    expect(row.getCell(7).numFmt).toBe('#,##0.00');
    expect(row.getCell(9).value).toBe(0.16);
    expect(row.getCell(10).value).toBe('\'=HYPERLINK("http://evil")');
    const awarded = row.getCell(12).value;
    expect(awarded).toBeInstanceOf(Date);
    expect((awarded as Date).toISOString()).toBe('2026-03-10T10:30:00.000Z'); // Asia/Shanghai wall clock
    expect(row.getCell(13).value).toBeNull();
    expect(sheet.getRow(3).getCell(7).value).toBe(12345.6);
  });
});
